import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { tierProgrammeSchema, type TierProgramme, type TierProgrammeInput } from './tier-schema.ts';
import { parseTierProgramme } from './find-tier-programme.ts';

/**
 * One tier programme per shop, replaced as a whole. Changes apply from now on: customers keep
 * the tier they hold until its review (new thresholds decide there), and move up on their next
 * qualifying event. A tier that customers hold cannot be removed (their standing would point
 * at nothing); rewards naming a removed tier are simply never redeemable.
 */
export async function getTierProgramme(db: Db, shop: ShopRow) {
  const row = await db
    .selectFrom('tier_programmes')
    .select(['programme', 'updated_at', 'updated_by'])
    .where('shop_id', '=', shop.id)
    .executeTakeFirst();
  if (!row) throw problems.notFound('A tier programme');
  return view(parseTierProgramme(row.programme), row.updated_at, row.updated_by);
}

export async function saveTierProgramme(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: TierProgrammeInput,
  actor: string,
) {
  const programme = tierProgrammeSchema.parse(input);
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    // Serialises saves with manual assignments, which read the programme under this lock.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`tiers:${shop.id}`}))`.execute(tx);
    const ids = programme.tiers.map((t) => t.id);
    const held = await sql<{ tier_id: string; customers: number }>`
      SELECT t.tier_id, count(*)::int AS customers
      FROM customer_tiers c, LATERAL (VALUES (c.tier_id), (c.manual_tier_id)) AS t(tier_id)
      WHERE c.shop_id = ${shop.id} AND t.tier_id IS NOT NULL AND NOT (t.tier_id = ANY(${ids}::text[]))
      GROUP BY t.tier_id ORDER BY t.tier_id`.execute(tx);
    if (held.rows.length > 0) {
      throw problems.conflict(
        held.rows
          .map((r) => `Tier "${r.tier_id}" is held by ${r.customers} customer(s)`)
          .join('; ') + '. Keep it in the programme (its thresholds may change).',
      );
    }
    await tx
      .insertInto('tier_programmes')
      .values({
        shop_id: shop.id,
        programme: JSON.stringify(programme),
        updated_at: now,
        updated_by: actor,
      })
      .onConflict((oc) =>
        oc.column('shop_id').doUpdateSet({
          programme: JSON.stringify(programme),
          updated_at: now,
          updated_by: actor,
        }),
      )
      .execute();
    return view(programme, now, actor);
  });
}

function view(programme: TierProgramme, updatedAt: Date, updatedBy: string | null) {
  return {
    ...programme,
    tiers: programme.tiers.map((tier, i) => ({ ...tier, rank: i + 1 })),
    updatedAt: updatedAt.toISOString(),
    updatedBy,
  };
}
