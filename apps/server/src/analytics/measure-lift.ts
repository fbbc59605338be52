import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays } from '../shared/zoned-time.ts';
import { liveProgramme } from '../points/live-programme.ts';

const Z95 = 1.959963984540054;
const RETENTION_DAYS = 90;

export interface GroupRow {
  holdout: boolean;
  customers: number;
  revenue_mean: number | null;
  revenue_sd: number | null;
  repeaters: number;
  eligible: number;
  retained: number;
}

/**
 * Does the programme earn more than doing nothing? Customers acquired in [from, to) (their
 * first paid order), members against the holdout group kept out of the programme: revenue per
 * customer and repeat rate in the range, and 90-day retention (a second order within 90 days
 * of the first, among customers whose first order is at least 90 days old). Each difference
 * comes with a 95% confidence interval (normal approximation; Welch for means) and a two-sided
 * p-value.
 */
export async function measureLift(
  db: Db,
  shop: ShopRow,
  range: { from: string; to: string },
  now: Date,
) {
  const { programme } = await liveProgramme(db, shop.id);
  const percent = programme.settings.holdoutPercent;
  // From the rollups (customer_rollups: first day, first_at, later_at, holdout position;
  // customer_order_days for the revenue before `to` of customers who bought again after it),
  // the same figures as grouping the orders (test/analytics/summary-rollups.test.ts compares).
  const from = sql`${range.from}::date`;
  const to = sql`${range.to}::date`;
  const { rows } = await sql<GroupRow>`
    WITH per AS MATERIALIZED (
      SELECT r.holdout_position, r.first_at,
             coalesce(later.revenue, r.total_spent::numeric) AS revenue,
             coalesce(later.orders, r.orders_count) AS orders,
             coalesce(r.later_at <= r.first_at + make_interval(days => ${RETENTION_DAYS}), false) AS retained
      FROM customer_rollups r
      -- one probe, only for the customers who bought again on or after the range end
      LEFT JOIN LATERAL (
        SELECT coalesce(sum(d.net), 0) AS revenue, coalesce(sum(d.orders), 0)::int AS orders
        FROM customer_order_days d
        WHERE r.last_day >= ${to}
          AND d.shop_id = ${shop.id} AND d.customer_id = r.customer_id AND d.day < ${to}
      ) later ON r.last_day >= ${to}
      WHERE r.shop_id = ${shop.id} AND r.first_day >= ${from} AND r.first_day < ${to})
    SELECT holdout_position < ${percent} AS holdout,
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

interface Difference {
  difference: number;
  relative: number | null;
  ci95: [number, number];
  pValue: number | null;
}

export function differenceOfMeans(a: GroupRow, b: GroupRow): Difference | null {
  if (a.customers < 2 || b.customers < 2) return null;
  const diff = (a.revenue_mean ?? 0) - (b.revenue_mean ?? 0);
  const se = Math.sqrt(
    (a.revenue_sd ?? 0) ** 2 / a.customers + (b.revenue_sd ?? 0) ** 2 / b.customers,
  );
  return result(diff, se, b.revenue_mean ?? 0, 0);
}

export function differenceOfShares(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): Difference | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return result(p1 - p2, se, p2, 4);
}

function result(diff: number, se: number, base: number, digits: number): Difference {
  const round = (x: number) => (digits === 0 ? Math.round(x) : Number(x.toFixed(digits)));
  return {
    difference: round(diff),
    relative: base !== 0 ? Number((diff / base).toFixed(4)) : null,
    ci95: [round(diff - Z95 * se), round(diff + Z95 * se)],
    pValue: se > 0 ? Number((2 * (1 - normalCdf(Math.abs(diff) / se))).toFixed(4)) : null,
  };
}

/** Φ(x), from the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
