import { sql, type RawBuilder } from 'kysely';
import type { CustomerFact, SegmentRule } from './segment-rules.ts';
import { COUNTED_ORDER } from '../db/shop-days.ts';

/**
 * Every customer of a shop with the facts segment rules test. Order facts come from the
 * customer_rollups table (one row per buyer, kept by the orders triggers); RFM quintiles rank
 * those rows. Days count in the shop's time zone relative to `now`. `categories_bought` needs
 * the order lines, read only when `categories` is true (a rule tests it). A caller that only
 * tests rules (a count) can leave out what its rules do not test: `rfm: false` skips the
 * quintile cut points (the RFM columns are then 0), `predictions: false` the CLV predictions
 * (then NULL). `who` narrows it to the customers with a rollups row (`buyers`) or to those
 * without one (`never`, whose order facts are then constants: a rule that cannot select
 * someone who never bought folds to false when the database plans it, and nothing is read).
 */
/**
 * The RFM cut points as CTEs (`cuts`, then `thresholds` with one row: r1..r4, f1..f4, m1..m4),
 * to follow a WITH. RFM quintiles by rank, so customers with equal facts get equal scores: a
 * buyer's score is least(5, 1 + floor(5 · percent_rank)) with percent_rank = (number of smaller
 * values) / (buyers − 1). It only grows with that number, so it is 1 + the number of cut points
 * c_2..c_5 (the fewest smaller values scoring 2..5, found with the same float arithmetic) whose
 * c-th smallest value is below the buyer's, computed in the select list (no ranking, no join).
 */
export function rfmCutPointsCtes(shopId: string): RawBuilder<unknown> {
  return sql`
    cuts AS (
      SELECT array_agg(m.c ORDER BY k) AS ranks
      FROM (SELECT sum(customers) AS n FROM customer_rfm_values
            WHERE shop_id = ${shopId} AND fact = 2) counted
      CROSS JOIN generate_series(2, 5) AS k
      CROSS JOIN LATERAL (
        SELECT min(c) AS c
        FROM generate_series(greatest(1, (k - 1) * (n - 1) / 5 - 3),
                             least(n - 1, (k - 1) * (n - 1) / 5 + 3)) AS c
        WHERE 1 + floor(5 * (c::float8 / (n - 1)::float8)) >= k
      ) m
      WHERE n > 1
    ),
    -- the c-th smallest value of each fact (percentile_disc at (c − 0.5) / buyers), read from
    -- the buyers' value counts (customer_rfm_values, migration 0054) instead of sorting them
    -- the cut points as scalars: an array subscript per buyer and fact costs more than the rest
    thresholds AS MATERIALIZED (
      SELECT t.r[1] AS r1, t.r[2] AS r2, t.r[3] AS r3, t.r[4] AS r4,
             t.f[1] AS f1, t.f[2] AS f2, t.f[3] AS f3, t.f[4] AS f4,
             t.m[1] AS m1, t.m[2] AS m2, t.m[3] AS m3, t.m[4] AS m4
      FROM cuts CROSS JOIN analytics_rfm_cut_points(${shopId}, cuts.ranks) t
    )`;
}

/**
 * The facts a customer's orders give, as select-list columns over `p` (their customer_rollups
 * row; all NULL for someone who never bought) and, with `rfm`, `t` (the thresholds row):
 * total_spent, orders_count, average_order_value, days_since_last_order,
 * days_since_first_order, rfm_recency, rfm_frequency, rfm_monetary. The one definition of those
 * facts: the facts query and the counts (evaluate-segment.ts) read them from here.
 */
export function orderFactColumns(today: RawBuilder<unknown>, rfm: boolean): RawBuilder<unknown> {
  return sql`coalesce(p.total_spent, 0)::bigint AS total_spent,
           coalesce(p.orders_count, 0)::int AS orders_count,
           CASE WHEN p.orders_count > 0 THEN round(p.total_spent::numeric / p.orders_count)::bigint ELSE 0 END
             AS average_order_value,
           (${today} - p.last_day)::int AS days_since_last_order,
           (${today} - p.first_day)::int AS days_since_first_order,
           ${
             rfm
               ? sql`CASE WHEN p.customer_id IS NULL THEN 0 ELSE
             1 + coalesce((p.last_day > t.r1)::int + (p.last_day > t.r2)::int
                          + (p.last_day > t.r3)::int + (p.last_day > t.r4)::int, 0) END AS rfm_recency,
           CASE WHEN p.customer_id IS NULL THEN 0 ELSE
             1 + coalesce((p.orders_count > t.f1)::int + (p.orders_count > t.f2)::int
                          + (p.orders_count > t.f3)::int + (p.orders_count > t.f4)::int, 0) END AS rfm_frequency,
           CASE WHEN p.customer_id IS NULL THEN 0 ELSE
             1 + coalesce((p.total_spent > t.m1)::int + (p.total_spent > t.m2)::int
                          + (p.total_spent > t.m3)::int + (p.total_spent > t.m4)::int, 0) END AS rfm_monetary`
               : sql`0 AS rfm_recency, 0 AS rfm_frequency, 0 AS rfm_monetary`
           }`;
}

export const localToday = (timezone: string, now: Date) =>
  sql`(${now}::timestamptz AT TIME ZONE ${timezone})::date`;

/**
 * Every customer of a shop with the facts segment rules test. Order facts come from the
 * customer_rollups table (one row per buyer, kept by the orders triggers); RFM quintiles rank
 * those rows. Days count in the shop's time zone relative to `now`. `categories_bought` needs
 * the order lines, read only when `categories` is true (a rule tests it). A caller that only
 * tests rules (a count) can leave out what its rules do not test: `rfm: false` skips the
 * quintile cut points (the RFM columns are then 0), `predictions: false` the CLV predictions
 * (then NULL). `who` narrows it to the customers with a rollups row (`buyers`) or to those
 * without one (`never`, whose order facts are then constants: a rule that cannot select
 * someone who never bought folds to false when the database plans it, and nothing is read).
 */
export function customerFactsQuery(
  shopId: string,
  timezone: string,
  now: Date,
  {
    categories = true,
    rfm = true,
    predictions = true,
    who = 'everyone',
  }: {
    categories?: boolean;
    rfm?: boolean;
    predictions?: boolean;
    who?: 'everyone' | 'buyers' | 'never';
  } = {},
): RawBuilder<unknown> {
  const rollups =
    who === 'everyone'
      ? sql`LEFT JOIN per_customer p ON p.customer_id = cu.id`
      : who === 'buyers'
        ? sql`JOIN per_customer p ON p.customer_id = cu.id`
        : sql`CROSS JOIN (SELECT NULL::text AS customer_id, NULL::int AS orders_count,
                                 NULL::bigint AS total_spent, NULL::date AS last_day,
                                 NULL::date AS first_day) p`;
  const thresholds = !rfm
    ? sql``
    : who === 'never'
      ? sql`CROSS JOIN (SELECT NULL::date AS r1, NULL::date AS r2, NULL::date AS r3, NULL::date AS r4,
                               NULL::bigint AS f1, NULL::bigint AS f2, NULL::bigint AS f3,
                               NULL::bigint AS f4, NULL::bigint AS m1, NULL::bigint AS m2,
                               NULL::bigint AS m3, NULL::bigint AS m4) t`
      : sql`CROSS JOIN thresholds t`;
  return sql`
    WITH per_customer AS (
      SELECT customer_id, orders_count, total_spent, last_day, first_day
      FROM customer_rollups WHERE shop_id = ${shopId}
    )${rfm && who !== 'never' ? sql`,${rfmCutPointsCtes(shopId)}` : sql``}${
      categories
        ? sql`,
    categories AS (
      SELECT o.customer_id, array_agg(DISTINCT category) AS categories_bought
      FROM orders o
      JOIN order_lines l ON l.shop_id = ${shopId} AND l.order_id = o.id
      CROSS JOIN LATERAL unnest(l.category_ids) AS category
      WHERE o.shop_id = ${shopId} AND o.customer_id IS NOT NULL AND ${COUNTED_ORDER}
      GROUP BY o.customer_id
    )`
        : sql``
    }
    SELECT cu.id, cu.external_id, cu.email,
           ${orderFactColumns(localToday(timezone, now), rfm)},
           ${
             predictions
               ? sql`cp.probability_alive, cp.predicted_clv,`
               : sql`NULL::float8 AS probability_alive, NULL::bigint AS predicted_clv,`
           }
           cu.tags,
           ${categories ? sql`coalesce(cat.categories_bought, '{}')` : sql`'{}'::text[]`} AS categories_bought,
           coalesce(cu.accepts_email_marketing, false) AS accepts_email_marketing,
           coalesce(cu.accepts_sms_marketing, false) AS accepts_sms_marketing
    FROM customers cu
    ${rollups}
    ${thresholds}
    ${categories ? sql`LEFT JOIN categories cat ON cat.customer_id = cu.id` : sql``}
    ${
      predictions
        ? sql`LEFT JOIN customer_predictions cp ON cp.shop_id = cu.shop_id AND cp.customer_id = cu.id`
        : sql``
    }
    WHERE cu.shop_id = ${shopId} AND cu.redacted_at IS NULL
      ${
        who === 'never'
          ? sql`AND NOT EXISTS (SELECT FROM customer_rollups r
                                WHERE r.shop_id = cu.shop_id AND r.customer_id = cu.id)`
          : sql``
      }`;
}

/** Whether a rule tests the given fact anywhere in its groups. */
export function ruleUsesFact(rule: SegmentRule, fact: CustomerFact): boolean {
  if ('all' in rule) return rule.all.some((r) => ruleUsesFact(r, fact));
  if ('any' in rule) return rule.any.some((r) => ruleUsesFact(r, fact));
  return rule.fact === fact;
}

const COMPARISONS: Record<string, string> = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  eq: '=',
  neq: '<>',
};

/** The facts whose values are whole numbers (the others: probability_alive). */
const WHOLE_NUMBER_FACTS: ReadonlySet<CustomerFact> = new Set<CustomerFact>([
  'total_spent',
  'orders_count',
  'average_order_value',
  'days_since_last_order',
  'days_since_first_order',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'predicted_clv',
]);

/**
 * The SQL type a number is compared as: a whole-number fact against whole numbers compares as
 * bigint (the same answer as numeric, and cheaper over a million rows), anything else as
 * numeric (exact for fractions).
 */
function numberType(fact: CustomerFact, ...values: number[]) {
  return WHOLE_NUMBER_FACTS.has(fact) && values.every((v) => Number.isSafeInteger(v))
    ? sql.raw('bigint')
    : sql.raw('numeric');
}

/** A validated rule as a SQL condition over the facts query's columns; values are parameters. */
export function ruleToSql(rule: SegmentRule): RawBuilder<boolean> {
  if ('all' in rule) return sql<boolean>`(${sql.join(rule.all.map(ruleToSql), sql` AND `)})`;
  if ('any' in rule) return sql<boolean>`(${sql.join(rule.any.map(ruleToSql), sql` OR `)})`;
  // the fact name was checked against the registry, so it is a known column
  const column = sql.ref(`f.${rule.fact satisfies CustomerFact}`);
  switch (rule.op) {
    case 'between': {
      const [low, high] = rule.value as [number, number];
      const type = numberType(rule.fact, low, high);
      return sql<boolean>`(${column} BETWEEN ${low}::${type} AND ${high}::${type})`;
    }
    case 'contains':
      return sql<boolean>`(${rule.value as string} = ANY(${column}))`;
    case 'not_contains':
      return sql<boolean>`(NOT (${rule.value as string} = ANY(${column})))`;
    case 'is':
      return sql<boolean>`(${column} = ${rule.value as boolean})`;
    default:
      return sql<boolean>`(${column} ${sql.raw(COMPARISONS[rule.op]!)} ${rule.value as number}::${numberType(rule.fact, rule.value as number)})`;
  }
}
