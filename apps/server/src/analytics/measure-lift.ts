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
  // From the rollups (customer_lift_pairs, migration 0054: sums per first purchase day and
  // purchase day, split by the holdout share), the same figures as grouping the orders
  // (test/analytics/summary-rollups.test.ts compares). The customers acquired on the day 90 days
  // before `now` are the only ones whose eligibility needs their first order's instant.
  await sql`SELECT analytics_set_lift_holdout(${shop.id}, ${percent}::numeric)`.execute(db);
  const from = sql`${range.from}::date`;
  const to = sql`${range.to}::date`;
  const cutoff = addDays(now, -RETENTION_DAYS);
  const cutoffDay = sql`(${cutoff}::timestamptz AT TIME ZONE ${shop.timezone})::date`;
  const { rows } = await sql<GroupRow>`
    WITH groups AS (
      SELECT holdout, sum(customers) AS n, sum(net) AS sx, sum(net_squares) AS sxx,
             sum(repeaters) AS repeaters,
             coalesce(sum(customers) FILTER (WHERE b < ${cutoffDay}), 0) AS eligible,
             coalesce(sum(retained) FILTER (WHERE b < ${cutoffDay}), 0) AS retained
      FROM customer_lift_pairs
      WHERE shop_id = ${shop.id} AND b >= ${from} AND a < ${to}
      GROUP BY holdout
      HAVING sum(customers) > 0),
    boundary AS (
      SELECT coalesce(holdout_position < ${percent}::numeric, false) AS holdout,
             count(*) AS eligible,
             count(*) FILTER (WHERE later_at <= first_at + make_interval(days => ${RETENTION_DAYS})) AS retained
      FROM customer_rollups
      WHERE shop_id = ${shop.id} AND first_day = ${cutoffDay}
        AND first_day >= ${from} AND first_day < ${to} AND first_at <= ${cutoff}
      GROUP BY 1)
    SELECT g.holdout, g.n::int AS customers,
           (g.sx / g.n)::float8 AS revenue_mean,
           CASE WHEN g.n > 1
                THEN sqrt(greatest(g.n * g.sxx - g.sx * g.sx, 0) / (g.n * (g.n - 1)))::float8
           END AS revenue_sd,
           g.repeaters::int AS repeaters,
           (g.eligible + coalesce(x.eligible, 0))::int AS eligible,
           (g.retained + coalesce(x.retained, 0))::int AS retained
    FROM groups g LEFT JOIN boundary x ON x.holdout = g.holdout`.execute(db);
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
