import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { ruleKinds, RULE_CODES } from './earning-rules.ts';
import { liveProgramme } from './live-programme.ts';
import { programmeSchema, type Programme, type ProgrammeInput } from './programme.ts';

/**
 * Rules are edited as a draft (one per shop), previewed by a backtest, then published as a new
 * version. Published versions are never changed: ledger entries point at them.
 */
export async function getProgramme(db: Db, shop: ShopRow) {
  const live = await liveProgramme(db, shop.id);
  const draft = await findDraft(db, shop.id);
  return {
    live: {
      version: live.version,
      publishedAt: live.publishedAt?.toISOString() ?? null,
      ...live.programme,
    },
    draft: draft && { version: draft.version, ...draft.programme },
  };
}

export async function findDraft(
  db: Db,
  shopId: string,
): Promise<{ version: number; programme: Programme } | null> {
  const row = await db
    .selectFrom('programme_versions')
    .select(['version', 'programme'])
    .where('shop_id', '=', shopId)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return row ? { version: row.version, programme: programmeSchema.parse(row.programme) } : null;
}

export async function saveDraft(db: Db, shop: ShopRow, input: ProgrammeInput) {
  const programme = programmeSchema.parse(input);
  const live = await liveProgramme(db, shop.id);
  const row = await db
    .insertInto('programme_versions')
    .values({ shop_id: shop.id, version: live.version + 1, programme: JSON.stringify(programme) })
    .onConflict((oc) =>
      oc
        .columns(['shop_id'])
        .where('published_at', 'is', null)
        .doUpdateSet({ programme: JSON.stringify(programme) }),
    )
    .returning('version')
    .executeTakeFirstOrThrow();
  return { version: row.version, ...programme };
}

export async function discardDraft(db: Db, shop: ShopRow): Promise<void> {
  const deleted = await db
    .deleteFrom('programme_versions')
    .where('shop_id', '=', shop.id)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw problems.notFound('A draft programme');
}

/** Makes the draft the live version; earning uses it from the next event on. */
export async function publishDraft(db: Db, clock: Clock, shop: ShopRow, actor: string) {
  const row = await db
    .updateTable('programme_versions')
    .set({ published_at: clock.now(), published_by: actor })
    .where('shop_id', '=', shop.id)
    .where('published_at', 'is', null)
    .returning(['version', 'published_at'])
    .executeTakeFirst();
  if (!row) throw problems.notFound('A draft programme');
  return getProgramme(db, shop);
}

/** The rule registry as the dashboard and integrators see it: code, title, args JSON Schema. */
export function ruleKindList() {
  return RULE_CODES.map((code) => ({
    code,
    title: ruleKinds[code].title,
    args: z.toJSONSchema(ruleKinds[code].args, { io: 'input' }),
  }));
}
