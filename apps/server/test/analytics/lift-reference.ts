import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';
import type { ShopRow } from '../../src/shops/shop.ts';
import { addDays } from '../../src/shared/zoned-time.ts';
import { liveProgramme } from '../../src/points/live-programme.ts';
import { COUNTED_ORDER, startOfDay } from '../../src/db/shop-days.ts';
import { holdoutPositionSql } from '../../src/points/holdout.ts';
import {
  differenceOfMeans,
  differenceOfShares,
  type GroupRow,
} from '../../src/analytics/measure-lift.ts';

const RETENTION_DAYS = 90;

/**
 * The lift as measured before the rollups (issue 17/20), straight from the orders: the
 * reference measure-lift.ts's rollup query must equal.
 *
 * Does the programme earn more than doing nothing? Customers acquired in [from, to) (their
 * first paid order), members against the holdout group kept out of the programme: revenue per
 * customer and repeat rate in the range, and 90-day retention (a second order within 90 days
 * of the first, among customers whose first order is at least 90 days old). Each difference
 * comes with a 95% confidence interval (normal approximation; Welch for means) and a two-sided
 * p-value.
 */
export async function measureLiftFromOrders(
  db: Db,
  shop: ShopRow,
  range: { from: string; to: string },
  now: Date,
) {
  const { programme } = await liveProgramme(db, shop.id);
  const percent = programme.settings.holdoutPercent;
  const start = startOfDay(range.from, shop.timezone);
  const end = startOfDay(range.to, shop.timezone);
  const { rows } = await sql<GroupRow>`
    WITH firsts AS (
      SELECT customer_id, min(placed_at) AS first_at FROM orders
      WHERE shop_id = ${shop.id} AND customer_id IS NOT NULL AND ${COUNTED_ORDER}
      GROUP BY customer_id
      HAVING min(placed_at) >= ${start} AND min(placed_at) < ${end}),
    per AS (
      SELECT f.customer_id, f.first_at,
             COALESCE(sum(o.total - o.refunded_amount) FILTER (WHERE o.placed_at < ${end}), 0) AS revenue,
             count(*) FILTER (WHERE o.placed_at < ${end}) AS orders,
             bool_or(o.placed_at > f.first_at AND o.placed_at <= f.first_at + make_interval(days => ${RETENTION_DAYS})) AS retained
      FROM firsts f
      JOIN orders o ON o.shop_id = ${shop.id} AND o.customer_id = f.customer_id AND ${COUNTED_ORDER}
      GROUP BY f.customer_id, f.first_at)
    SELECT ${holdoutPositionSql(sql`per.customer_id`)} < ${percent} AS holdout,
           count(*)::int AS customers,
           avg(revenue)::float8 AS revenue_mean,
           stddev_samp(revenue)::float8 AS revenue_sd,
           count(*) FILTER (WHERE orders >= 2)::int AS repeaters,
           count(*) FILTER (WHERE first_at <= ${addDays(now, -RETENTION_DAYS)})::int AS eligible,
           count(*) FILTER (WHERE first_at <= ${addDays(now, -RETENTION_DAYS)} AND retained)::int AS retained
    FROM per GROUP BY 1`.execute(db);
  const members = rows.find((r) => !r.holdout);
  const holdout = rows.find((r) => r.holdout);
  const group = (r: GroupRow | undefined) =>
    r
      ? {
          customers: r.customers,
          revenuePerCustomer: Math.round(r.revenue_mean ?? 0),
          repeatRate: r.repeaters / r.customers,
          retention90: r.eligible > 0 ? r.retained / r.eligible : null,
        }
      : { customers: 0, revenuePerCustomer: 0, repeatRate: 0, retention90: null };
  const lift =
    members && holdout
      ? {
          revenuePerCustomer: differenceOfMeans(members, holdout),
          repeatRate: differenceOfShares(
            members.repeaters,
            members.customers,
            holdout.repeaters,
            holdout.customers,
          ),
          retention90: differenceOfShares(
            members.retained,
            members.eligible,
            holdout.retained,
            holdout.eligible,
          ),
        }
      : null;
  return {
    from: range.from,
    to: range.to,
    holdoutPercent: percent,
    members: group(members),
    holdout: group(holdout),
    lift,
    note:
      percent === 0
        ? 'No holdout group: set settings.holdoutPercent in the programme to measure lift.'
        : lift === null
          ? 'Not enough customers in one of the groups yet.'
          : null,
  };
}
