import { sql, type RawBuilder } from 'kysely';
import type { CustomerFact, SegmentRule } from './segment-rules.ts';
import { COUNTED_ORDER } from '../analytics/shop-days.ts';

/**
 * Every customer of a shop with the facts segment rules test, computed from orders in one pass.
 * Days count in the shop's time zone relative to `now`.
 */
export function customerFactsQuery(
  shopId: string,
  timezone: string,
  now: Date,
): RawBuilder<unknown> {
  const today = sql`(${now}::timestamptz AT TIME ZONE ${timezone})::date`;
  return sql`
    WITH counted AS (
      SELECT customer_id, id, total - refunded_amount AS net, (placed_at AT TIME ZONE ${timezone})::date AS day
      FROM orders
      WHERE shop_id = ${shopId} AND customer_id IS NOT NULL AND ${COUNTED_ORDER}
    ),
    per_customer AS (
      SELECT customer_id, count(*) AS orders_count, sum(net) AS total_spent, max(day) AS last_day, min(day) AS first_day
      FROM counted GROUP BY customer_id
    ),
    categories AS (
      SELECT c.customer_id, array_agg(DISTINCT category) AS categories_bought
      FROM counted c
      JOIN order_lines l ON l.shop_id = ${shopId} AND l.order_id = c.id
      CROSS JOIN LATERAL unnest(l.category_ids) AS category
      GROUP BY c.customer_id
    ),
    ranked AS (
      SELECT customer_id,
             -- quintiles by rank, so customers with equal facts get equal scores
             least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY last_day)))::int AS rfm_recency,
             least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY orders_count)))::int AS rfm_frequency,
             least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY total_spent)))::int AS rfm_monetary
      FROM per_customer
    )
    SELECT cu.id, cu.external_id, cu.email,
           coalesce(p.total_spent, 0)::bigint AS total_spent,
           coalesce(p.orders_count, 0)::int AS orders_count,
           CASE WHEN p.orders_count > 0 THEN round(p.total_spent::numeric / p.orders_count)::bigint ELSE 0 END
             AS average_order_value,
           (${today} - p.last_day)::int AS days_since_last_order,
           (${today} - p.first_day)::int AS days_since_first_order,
           coalesce(r.rfm_recency, 0)::int AS rfm_recency,
           coalesce(r.rfm_frequency, 0)::int AS rfm_frequency,
           coalesce(r.rfm_monetary, 0)::int AS rfm_monetary,
           cp.probability_alive,
           cp.predicted_clv,
           cu.tags,
           coalesce(cat.categories_bought, '{}') AS categories_bought,
           coalesce(cu.accepts_email_marketing, false) AS accepts_email_marketing,
           coalesce(cu.accepts_sms_marketing, false) AS accepts_sms_marketing
    FROM customers cu
    LEFT JOIN per_customer p ON p.customer_id = cu.id
    LEFT JOIN ranked r ON r.customer_id = cu.id
    LEFT JOIN categories cat ON cat.customer_id = cu.id
    LEFT JOIN customer_predictions cp ON cp.shop_id = cu.shop_id AND cp.customer_id = cu.id
    WHERE cu.shop_id = ${shopId} AND cu.redacted_at IS NULL`;
}

const COMPARISONS: Record<string, string> = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  eq: '=',
  neq: '<>',
};

/** A validated rule as a SQL condition over the facts query's columns; values are parameters. */
export function ruleToSql(rule: SegmentRule): RawBuilder<boolean> {
  if ('all' in rule) return sql<boolean>`(${sql.join(rule.all.map(ruleToSql), sql` AND `)})`;
  if ('any' in rule) return sql<boolean>`(${sql.join(rule.any.map(ruleToSql), sql` OR `)})`;
  // the fact name was checked against the registry, so it is a known column
  const column = sql.ref(`f.${rule.fact satisfies CustomerFact}`);
  switch (rule.op) {
    case 'between': {
      const [low, high] = rule.value as [number, number];
      return sql<boolean>`(${column} BETWEEN ${low}::numeric AND ${high}::numeric)`;
    }
    case 'contains':
      return sql<boolean>`(${rule.value as string} = ANY(${column}))`;
    case 'not_contains':
      return sql<boolean>`(NOT (${rule.value as string} = ANY(${column})))`;
    case 'is':
      return sql<boolean>`(${column} = ${rule.value as boolean})`;
    default:
      return sql<boolean>`(${column} ${sql.raw(COMPARISONS[rule.op]!)} ${rule.value as number}::numeric)`;
  }
}
