import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findTierProgramme } from './find-tier-programme.ts';

/**
 * How many customers hold each tier now (the manual tier while it lasts, else the computed
 * one), how many of them by hand, and how many have no tier. Two counts over the shop's
 * `customer_tiers` and `customers` rows, each by their primary key's shop prefix.
 */
export async function countTierMembers(db: Db, clock: Clock, shop: ShopRow) {
  const now = clock.now();
  const programme = await findTierProgramme(db, shop.id);
  const [held, total] = await Promise.all([
    sql<{ tier_id: string; members: number; manual: number }>`
      SELECT t.tier_id, count(*)::int AS members, count(*) FILTER (WHERE t.manual)::int AS manual
      FROM customer_tiers c,
           LATERAL (SELECT c.manual_tier_id IS NOT NULL
                           AND (c.manual_until IS NULL OR c.manual_until > ${now}) AS manual) m,
           LATERAL (SELECT CASE WHEN m.manual THEN c.manual_tier_id ELSE c.tier_id END AS tier_id,
                           m.manual) t
      WHERE c.shop_id = ${shop.id} AND t.tier_id IS NOT NULL
      GROUP BY t.tier_id`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM customers WHERE shop_id = ${shop.id}`.execute(
      db,
    ),
  ]);
  const byId = new Map(held.rows.map((r) => [r.tier_id, r]));
  const tiers = (programme?.tiers ?? []).map((tier, i) => ({
    id: tier.id,
    name: tier.name,
    rank: i + 1,
    members: byId.get(tier.id)?.members ?? 0,
    manual: byId.get(tier.id)?.manual ?? 0,
  }));
  const customers = total.rows[0]?.n ?? 0;
  const withTier = tiers.reduce((sum, t) => sum + t.members, 0);
  return { customers, withoutTier: Math.max(0, customers - withTier), tiers };
}
