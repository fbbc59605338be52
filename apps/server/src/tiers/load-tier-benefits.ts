import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';

export interface TierBenefitFactors {
  tierId: string;
  pointsMultiplier: number;
  birthdayMultiplier: number;
}

/**
 * The multipliers of the tier each customer has at `at` (manual while it lasts, else the
 * computed one), read in one statement for a whole batch. Customers without a tier are absent.
 */
export async function loadTierBenefits(
  db: Db | Tx,
  shopId: string,
  customerIds: Iterable<string>,
  at: Date,
): Promise<Map<string, TierBenefitFactors>> {
  const ids = [...new Set(customerIds)];
  const out = new Map<string, TierBenefitFactors>();
  if (ids.length === 0) return out;
  const rows = await sql<{
    customer_id: string;
    tier_id: string;
    points_multiplier: number | null;
    birthday_multiplier: number | null;
  }>`
    SELECT ct.customer_id, t.tier->>'id' AS tier_id,
           (t.tier->'benefits'->>'pointsMultiplier')::float8 AS points_multiplier,
           (t.tier->'benefits'->>'birthdayMultiplier')::float8 AS birthday_multiplier
    FROM customer_tiers ct
    JOIN tier_programmes tp ON tp.shop_id = ct.shop_id
    CROSS JOIN LATERAL (
      SELECT x AS tier FROM jsonb_array_elements(tp.programme->'tiers') x
      WHERE x->>'id' = CASE WHEN ct.manual_tier_id IS NOT NULL
                              AND (ct.manual_until IS NULL OR ct.manual_until > ${at})
                            THEN ct.manual_tier_id ELSE ct.tier_id END) t
    WHERE ct.shop_id = ${shopId} AND ct.customer_id = ANY(${ids}::text[])`.execute(db);
  for (const row of rows.rows) {
    out.set(row.customer_id, {
      tierId: row.tier_id,
      pointsMultiplier: row.points_multiplier ?? 1,
      birthdayMultiplier: row.birthday_multiplier ?? 1,
    });
  }
  return out;
}
