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
  await refuseRuleIdsReused(db, shop.id, programme);
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

/**
 * A rule id names one rule for good: ledger keys, caps and reports follow it. Giving an id a
 * new code would make, say, newsletter points collide with the signup points of the same id.
 */
async function refuseRuleIdsReused(db: Db, shopId: string, programme: Programme): Promise<void> {
  const rows = await db
    .selectFrom('programme_versions')
    .select(['version', 'programme'])
    .where('shop_id', '=', shopId)
    .where('published_at', 'is not', null)
    .execute();
  const codes = new Map<string, { code: string; version: number }>();
  for (const row of rows) {
    const rules = (row.programme as { rules?: Array<{ id: string; code: string }> }).rules ?? [];
    for (const rule of rules) codes.set(rule.id, { code: rule.code, version: row.version });
  }
  const errors = programme.rules.flatMap((rule, i) => {
    const earlier = codes.get(rule.id);
    return earlier && earlier.code !== rule.code
      ? [
          {
            path: `rules.${i}.id`,
            message: `was a ${earlier.code} rule in version ${earlier.version}; give this rule a new id`,
          },
        ]
      : [];
  });
  if (errors.length > 0) throw problems.validation(errors);
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
