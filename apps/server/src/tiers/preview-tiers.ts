import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { metricSince } from './evaluate-tier.ts';
import { tierProgrammeSchema, type TierProgrammeInput } from './tier-schema.ts';

/**
 * What a proposed tier programme would do to the shop's customers, before it is saved: for
 * each customer, the metric over the proposed period (as of now) against the proposed
 * thresholds, with the rules of evaluate-tier.ts:
 * - moves up: the metric meets the entry threshold of a tier above the computed tier held now
 *   (at their next qualifying event, since saving places nobody by itself);
 * - moves down: the metric is below the held tier's retain threshold, so a review held today
 *   would drop the customer to the highest lower tier whose retain threshold is met, or none;
 * - a manual tier that lasts stays as it is (counted apart).
 *
 * One statement over the shop's orders (or point entries) grouped by customer, joined with
 * its `customer_tiers` rows; customers with neither have no tier before or after. Ranks are
 * the proposed programme's: tiers are matched by id.
 */
export async function previewTiers(db: Db, clock: Clock, shop: ShopRow, input: TierProgrammeInput) {
  const programme = tierProgrammeSchema.parse(input);
  const now = clock.now();
  const since = metricSince(programme.period, shop.timezone, now);
  const ids = programme.tiers.map((t) => t.id);
  const entries = programme.tiers.map((t) => String(t.entryThreshold));
  const retains = programme.tiers.map((t) => String(t.retainThreshold));

  const metric =
    programme.metric === 'points_earned'
      ? sql`
        earned AS (
          SELECT customer_id, id, points FROM point_entries
          WHERE shop_id = ${shop.id} AND kind = 'earn'
            AND effective_at >= ${since} AND effective_at <= ${now}),
        metric AS (
          SELECT customer_id, sum(v)::bigint AS value FROM (
            SELECT customer_id, points AS v FROM earned
            UNION ALL
            SELECT r.customer_id, r.points - r.absorbed - r.already_expired
            FROM point_entries r JOIN earned x ON x.id = r.reverses_entry_id
            WHERE r.shop_id = ${shop.id} AND r.kind = 'reverse') e
          GROUP BY customer_id)`
      : sql`
        metric AS (
          SELECT customer_id,
                 ${programme.metric === 'orders' ? sql`count(*)` : sql`sum(total - refunded_amount)`}::bigint AS value
          FROM orders
          WHERE shop_id = ${shop.id} AND customer_id IS NOT NULL AND paid_at IS NOT NULL
            AND cancelled_at IS NULL AND paid_at >= ${since} AND paid_at <= ${now}
          GROUP BY customer_id)`;

  const { rows } = await sql<{
    rank_before: number;
    rank_after: number;
    manual: boolean;
    customers: number;
  }>`
    WITH ${metric},
    held AS (
      SELECT customer_id, tier_id,
             CASE WHEN manual_tier_id IS NOT NULL AND (manual_until IS NULL OR manual_until > ${now})
                  THEN manual_tier_id END AS manual_tier_id
      FROM customer_tiers WHERE shop_id = ${shop.id}),
    standing AS (
      SELECT COALESCE(m.value, 0) AS value,
             COALESCE(array_position(${ids}::text[], h.tier_id), 0) AS held_rank,
             array_position(${ids}::text[], h.manual_tier_id) AS manual_rank
      FROM metric m FULL JOIN held h ON h.customer_id = m.customer_id),
    decided AS (
      SELECT s.*, width_bucket(s.value, ${entries}::bigint[]) AS entry_rank FROM standing s)
    SELECT COALESCE(manual_rank, held_rank) AS rank_before,
           COALESCE(manual_rank,
             CASE WHEN entry_rank > held_rank THEN entry_rank
                  WHEN held_rank > 0 AND value < (${retains}::bigint[])[held_rank] THEN
                    COALESCE((SELECT max(i)::int FROM unnest(${retains}::bigint[]) WITH ORDINALITY AS r(th, i)
                              WHERE i < held_rank AND th <= value), 0)
                  ELSE held_rank END) AS rank_after,
           manual_rank IS NOT NULL AS manual,
           count(*)::int AS customers
    FROM decided
    GROUP BY 1, 2, 3`.execute(db);

  const total = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM customers WHERE shop_id = ${shop.id}`.execute(db);
  const customers = total.rows[0]?.n ?? 0;

  const before = new Array<number>(ids.length + 1).fill(0);
  const after = new Array<number>(ids.length + 1).fill(0);
  let movingUp = 0;
  let movingDown = 0;
  let manual = 0;
  for (const row of rows) {
    before[row.rank_before]! += row.customers;
    after[row.rank_after]! += row.customers;
    if (row.manual) manual += row.customers;
    else if (row.rank_after > row.rank_before) movingUp += row.customers;
    else if (row.rank_after < row.rank_before) movingDown += row.customers;
  }
  const placed = (list: number[]) => list.slice(1).reduce((a, b) => a + b, 0);
  return {
    metric: programme.metric,
    period: programme.period,
    since: since.toISOString(),
    customers,
    movingUp,
    movingDown,
    manual,
    withoutTier: {
      now: Math.max(0, customers - placed(before)),
      after: Math.max(0, customers - placed(after)),
    },
    tiers: programme.tiers.map((tier, i) => ({
      id: tier.id,
      rank: i + 1,
      now: before[i + 1]!,
      after: after[i + 1]!,
    })),
  };
}
