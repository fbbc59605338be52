import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

/** Days from the first to the second purchase day: a bucket holds the days up to its bound. */
export const SECOND_ORDER_BOUNDS = [7, 14, 30, 60, 90, 180, 365] as const;
/** The repeat curve's points: bought again within this many days of the first order. */
export const REPEAT_CURVE_DAYS = [7, 14, 30, 60, 90, 180, 365] as const;

/**
 * How customers acquired in [from, to) (their first counted order's shop day) come back, read
 * from the rollups (customer_rollups' first and second purchase days, from one index by the
 * first; cohort_activity), never from orders:
 *
 * - time to second order: customers by the days between their first and second purchase day;
 * - the repeat curve: of the customers whose first order is at least N days before `today`, the
 *   share with a second purchase day within N days;
 * - the retention curve: month k after the first order, the share of the cohorts old enough to
 *   have a month k that bought in it (cohorts weighted by their size).
 */
export async function describeRepeatPurchases(
  db: Db,
  shop: ShopRow,
  range: { from: string; to: string },
  today: string,
) {
  const [curve, retention] = await Promise.all([
    sql<{
      customers: number;
      repeaters: number[];
      eligible: number[];
      median: number | null;
      gaps: number[];
    }>`
      SELECT count(*)::int AS customers,
             array[${sql.join(
               [...SECOND_ORDER_BOUNDS, null].map((upTo, i) => {
                 const above = i === 0 ? 0 : SECOND_ORDER_BOUNDS[i - 1]!;
                 return upTo === null
                   ? sql`count(*) FILTER (WHERE r.second_day - r.first_day > ${above}::int)::int`
                   : sql`count(*) FILTER (WHERE r.second_day - r.first_day > ${above}::int AND r.second_day - r.first_day <= ${upTo}::int)::int`;
               }),
             )}] AS gaps,
             array[${sql.join(
               REPEAT_CURVE_DAYS.map(
                 (n) =>
                   sql`count(*) FILTER (WHERE r.first_day <= ${today}::date - ${n}::int AND r.second_day - r.first_day <= ${n}::int)::int`,
               ),
             )}] AS repeaters,
             array[${sql.join(
               REPEAT_CURVE_DAYS.map(
                 (n) => sql`count(*) FILTER (WHERE r.first_day <= ${today}::date - ${n}::int)::int`,
               ),
             )}] AS eligible,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY r.second_day - r.first_day)::float8 AS median
      FROM customer_rollups r
      WHERE r.shop_id = ${shop.id} AND r.first_day >= ${range.from}::date AND r.first_day < ${range.to}::date`.execute(
      db,
    ),
    sql<{ k: number; active: number; size: number }>`
      WITH sizes AS (
        SELECT cohort_month, customers AS size FROM cohort_activity
        WHERE shop_id = ${shop.id} AND cohort_month = month AND customers > 0
          AND cohort_month >= date_trunc('month', ${range.from}::date)
          AND cohort_month < ${range.to}::date),
      ages AS (
        SELECT s.cohort_month, s.size, k
        FROM sizes s, generate_series(0,
          ((extract(year FROM age(date_trunc('month', ${today}::date), s.cohort_month)) * 12
           + extract(month FROM age(date_trunc('month', ${today}::date), s.cohort_month)))::int - 1)) AS k)
      SELECT a.k, sum(coalesce(c.customers, 0))::int AS active, sum(a.size)::int AS size
      FROM ages a
      LEFT JOIN cohort_activity c ON c.shop_id = ${shop.id} AND c.cohort_month = a.cohort_month
        AND c.month = (a.cohort_month + make_interval(months => a.k))::date
      GROUP BY a.k ORDER BY a.k`.execute(db),
  ]);
  const c = curve.rows[0]!;
  return {
    from: range.from,
    to: range.to,
    asOf: today,
    customers: c.customers,
    medianDaysToSecondOrder: c.median,
    timeToSecondOrder: [...SECOND_ORDER_BOUNDS, null].map((upTo, i) => ({
      upToDays: upTo,
      customers: c.gaps[i]!,
    })),
    repeatCurve: REPEAT_CURVE_DAYS.map((days, i) => ({
      days,
      eligible: c.eligible[i]!,
      repeaters: c.repeaters[i]!,
      rate: c.eligible[i]! > 0 ? Number((c.repeaters[i]! / c.eligible[i]!).toFixed(4)) : null,
    })),
    retentionCurve: retention.rows.map((r) => ({
      month: r.k,
      cohortCustomers: r.size,
      active: r.active,
      rate: r.size > 0 ? Number((r.active / r.size).toFixed(4)) : null,
    })),
  };
}
