import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { COUNTED_ORDER, startOfDay } from '../db/shop-days.ts';
import { differenceOfShares } from './measure-lift.ts';
import { differenceOfMeans } from './difference-of-means.ts';
import { customerFactsQuery, ruleToSql, ruleUsesFact } from '../segments/customer-facts-query.ts';
import type { SegmentRule } from '../segments/segment-rules.ts';

export interface BenefitsQuery {
  from: string;
  to: string;
  /** Days after a run starts in which its customer's next order counts. */
  days: number;
  flowId?: string;
  /** Only runs whose triggering order holds a line of this product category. */
  category?: string;
  /** Only runs of the customers a segment's rules select now (membership today, not at the run). */
  segment?: { rules: SegmentRule; now: Date };
  /** The merchant's margin on revenue, in percent; without it there is no net margin. */
  marginPercent?: number;
  /** Merchant-entered cost of one benefit taken up, per variant (a gift's purchase price). */
  costs: Record<string, number>;
}

interface VariantRow {
  flow_id: string;
  flow_name: string;
  variant: string;
  runs: number;
  granted: number;
  kinds: string[];
  points: number;
  coupon_runs: number;
  used: number;
  discount_given: number;
  converted: number;
  median_days: number | null;
  aov_mean: number | null;
  aov_sd: number | null;
  revenue_mean: number;
  revenue_sd: number | null;
  cost_mean: number;
  cost_sd: number | null;
  margin_mean: number | null;
  margin_sd: number | null;
}

/**
 * Which after-purchase benefit pays? Per flow and variant (the A/B branch a run took, `holdout`
 * for the share that got nothing): what the benefit cost, how many took it up, and what the
 * customers did in the `days` after the run started — their next paid order (rate, days to it,
 * its value), and the net margin per customer (margin % of their revenue less the benefit's
 * cost) — each against the flow's holdout with a 95% interval.
 *
 * A benefit's cost is the merchant-entered cost of the variant when given (per coupon used, or
 * per grant of points), otherwise the discount its coupons actually gave (coupon_uses, released
 * uses left out); points without an entered cost count as free. Runs are the flow's runs
 * started in [from, to), days in the shop time zone; a run's next order is the first counted
 * order after its start that is not the order that triggered it.
 */
export async function measureBenefits(db: Db, shop: ShopRow, q: BenefitsQuery) {
  const start = startOfDay(q.from, shop.timezone);
  const end = startOfDay(q.to, shop.timezone);
  const costVariants = Object.keys(q.costs);
  const costAmounts = Object.values(q.costs);
  const margin = q.marginPercent === undefined ? null : q.marginPercent / 100;
  const { rows } = await sql<VariantRow>`
    WITH runs AS (
      SELECT r.id, r.flow_id, r.customer_id, r.started_at, coalesce(r.variant, 'all') AS variant,
             coalesce(r.context->>'orderId', '') AS trigger_order
      FROM flow_runs r
      WHERE r.shop_id = ${shop.id} AND r.started_at >= ${start} AND r.started_at < ${end}
        ${q.flowId ? sql`AND r.flow_id = ${q.flowId}` : sql``}
        ${
          q.category
            ? sql`AND EXISTS (SELECT 1 FROM order_lines l WHERE l.shop_id = r.shop_id
                    AND l.order_id = r.context->>'orderId' AND ${q.category} = ANY (l.category_ids))`
            : sql``
        }
        ${
          q.segment
            ? sql`AND r.customer_id IN (
                SELECT f.id FROM (${customerFactsQuery(shop.id, shop.timezone, q.segment.now, {
                  categories: ruleUsesFact(q.segment.rules, 'categories_bought'),
                })}) f
                WHERE ${ruleToSql(q.segment.rules)})`
            : sql``
        }),
    grants AS (
      SELECT s.run_id, string_agg(DISTINCT s.detail->>'kind', '+') AS kind,
             coalesce(sum((s.detail->>'points')::bigint), 0) AS points,
             array_agg(s.detail->>'couponId') FILTER (WHERE s.detail ? 'couponId') AS coupon_ids
      FROM flow_run_steps s JOIN runs ON runs.id = s.run_id
      WHERE s.shop_id = ${shop.id} AND s.kind = 'grant' AND s.outcome = 'granted'
      GROUP BY s.run_id),
    uses AS (
      SELECT g.run_id, count(u.coupon_id) AS used, coalesce(sum(u.discount_amount), 0) AS discount
      FROM grants g CROSS JOIN LATERAL unnest(g.coupon_ids) AS c(id)
      JOIN coupon_uses u ON u.shop_id = ${shop.id} AND u.coupon_id = c.id AND u.released_at IS NULL
      GROUP BY g.run_id),
    after AS (
      SELECT runs.id AS run_id,
             min(o.placed_at) AS next_at,
             (array_agg(o.total - o.refunded_amount ORDER BY o.placed_at, o.id))[1] AS next_net,
             sum(o.total - o.refunded_amount) AS revenue
      FROM runs JOIN orders o ON o.shop_id = ${shop.id} AND o.customer_id = runs.customer_id
        AND ${COUNTED_ORDER} AND o.placed_at > runs.started_at
        AND o.placed_at <= runs.started_at + make_interval(days => ${q.days})
        AND o.id <> runs.trigger_order
      GROUP BY runs.id),
    entered AS (
      SELECT * FROM unnest(${costVariants}::text[], ${costAmounts}::bigint[]) AS e(variant, cost)),
    per AS (
      SELECT runs.flow_id, runs.variant, g.run_id IS NOT NULL AS granted, g.kind,
             coalesce(g.points, 0) AS points, g.coupon_ids IS NOT NULL AS coupon_run,
             coalesce(u.used, 0) AS used, coalesce(u.discount, 0) AS discount,
             a.next_at, a.next_net, coalesce(a.revenue, 0) AS revenue,
             extract(epoch FROM a.next_at - runs.started_at) / 86400 AS days_to_next,
             CASE
               WHEN e.cost IS NULL THEN coalesce(u.discount, 0)
               WHEN g.coupon_ids IS NOT NULL THEN e.cost * coalesce(u.used, 0)
               WHEN g.run_id IS NOT NULL THEN e.cost
               ELSE 0
             END AS cost
      FROM runs
      LEFT JOIN grants g ON g.run_id = runs.id
      LEFT JOIN uses u ON u.run_id = runs.id
      LEFT JOIN after a ON a.run_id = runs.id
      LEFT JOIN entered e ON e.variant = runs.variant)
    SELECT per.flow_id, f.name AS flow_name, per.variant,
           count(*)::int AS runs,
           count(*) FILTER (WHERE granted)::int AS granted,
           coalesce(array_agg(DISTINCT kind) FILTER (WHERE kind IS NOT NULL), '{}') AS kinds,
           sum(points)::float8 AS points,
           count(*) FILTER (WHERE coupon_run)::int AS coupon_runs,
           count(*) FILTER (WHERE used > 0)::int AS used,
           sum(discount)::float8 AS discount_given,
           count(next_at)::int AS converted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_next)::float8 AS median_days,
           avg(next_net)::float8 AS aov_mean, stddev_samp(next_net)::float8 AS aov_sd,
           avg(revenue)::float8 AS revenue_mean, stddev_samp(revenue)::float8 AS revenue_sd,
           avg(cost)::float8 AS cost_mean, stddev_samp(cost)::float8 AS cost_sd,
           ${margin === null ? sql`NULL` : sql`avg(revenue * ${margin}::float8 - cost)`}::float8 AS margin_mean,
           ${margin === null ? sql`NULL` : sql`stddev_samp(revenue * ${margin}::float8 - cost)`}::float8 AS margin_sd
    FROM per
    JOIN flows f ON f.shop_id = ${shop.id} AND f.id = per.flow_id
    GROUP BY per.flow_id, f.name, per.variant
    ORDER BY per.flow_id, per.variant`.execute(db);
  return {
    from: q.from,
    to: q.to,
    days: q.days,
    currency: shop.currency,
    marginPercent: q.marginPercent ?? null,
    flows: groupByFlow(rows),
  };
}

function groupByFlow(rows: VariantRow[]) {
  const flows = new Map<string, VariantRow[]>();
  for (const row of rows) flows.set(row.flow_id, [...(flows.get(row.flow_id) ?? []), row]);
  return [...flows.values()].map((variants) => {
    const holdout = variants.find((v) => v.variant === 'holdout');
    return {
      flowId: variants[0]!.flow_id,
      name: variants[0]!.flow_name,
      variants: variants.map((v) => ({
        ...figures(v),
        againstHoldout: holdout && v !== holdout ? compare(v, holdout) : null,
      })),
    };
  });
}

function figures(v: VariantRow) {
  const round = (x: number | null) => (x === null ? null : Math.round(x));
  const costTotal = v.cost_mean * v.runs;
  const takenUp = v.coupon_runs > 0 ? v.used : v.granted;
  return {
    variant: v.variant,
    benefit: v.kinds.length === 0 ? null : [...v.kinds].sort().join(', '),
    runs: v.runs,
    granted: v.granted,
    pointsGranted: v.points,
    uptake: v.coupon_runs > 0 ? share(v.used, v.coupon_runs) : null,
    unitCost: takenUp > 0 ? Math.round(costTotal / takenUp) : null,
    costPerCustomer: Math.round(v.cost_mean),
    discountGiven: v.discount_given,
    secondPurchases: v.converted,
    secondPurchaseRate: share(v.converted, v.runs),
    medianDaysToSecondOrder: v.median_days === null ? null : Number(v.median_days.toFixed(1)),
    aov: round(v.aov_mean),
    revenuePerCustomer: Math.round(v.revenue_mean),
    netMarginPerCustomer: round(v.margin_mean),
  };
}

function compare(v: VariantRow, h: VariantRow) {
  const moments = (n: number, mean: number | null, sd: number | null) => ({
    n,
    mean: mean ?? 0,
    sd: sd ?? 0,
  });
  return {
    secondPurchaseRate: differenceOfShares(v.converted, v.runs, h.converted, h.runs),
    aov: differenceOfMeans(
      moments(v.converted, v.aov_mean, v.aov_sd),
      moments(h.converted, h.aov_mean, h.aov_sd),
    ),
    netMarginPerCustomer:
      v.margin_mean === null || h.margin_mean === null
        ? null
        : differenceOfMeans(
            moments(v.runs, v.margin_mean, v.margin_sd),
            moments(h.runs, h.margin_mean, h.margin_sd),
          ),
  };
}

function share(x: number, n: number): number | null {
  return n > 0 ? Number((x / n).toFixed(4)) : null;
}
