import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/db/connect.ts';
import type { ShopRow } from '../../src/shops/shop.ts';
import { COUNTED_ORDER, DAY_MS, startOfDay } from '../../src/db/shop-days.ts';
import {
  SUMMARY_METRICS,
  type OrdersSummary,
  type PeriodSummary,
  type SummaryMetric,
} from '../../src/analytics/summarize-orders.ts';

/**
 * The summary as it was computed before the rollups of migration 0048 (issue 17/20), straight
 * from the orders: the reference the rollup-based summarizeOrders must equal.
 *
 * API.md "Analytics" summary: paid, not cancelled orders created in [from, to) (days in the
 * shop's time zone); revenue is their total less refunds, in minor units; a repeat customer has
 * two or more such orders in the range. Guest orders count as orders and revenue, not customers.
 *
 * Beyond API.md (all over counted orders only):
 * - a customer of the range is *new* when their first counted order ever falls in the range,
 *   *returning* when it was before `from`; revenue splits the same way, guest orders apart, and
 *   `revenueFromNew + revenueFromReturning + revenueFromGuests = revenue`;
 * - `retention`: of the customers who bought in the previous period (the same number of days
 *   just before `from`), the share who bought again in the range; `churn` = 1 − retention;
 *   both null when the previous period had no customers;
 * - `medianDaysToSecondOrder`: over customers whose second counted order ever falls in the
 *   range, the median number of calendar days (in the shop's time zone) from their first to
 *   their second counted order; null when there is none;
 * - `purchaseFrequency`: customers' orders (guest orders left out) per customer; null without
 *   customers;
 * - `previous`: all of this for the previous period, and `change` against it.
 *
 * One query covers the range, the previous period and the one before it (which the previous
 * period's retention needs): one pass over the orders of the three periods, grouped by customer
 * with a column per period, then, for the customers of the range or the previous period whose
 * history those days do not settle, their first two counted orders ever from the
 * (shop_id, customer_id, placed_at) index.
 */
export async function summarizeOrdersFromOrders(
  db: Db,
  shop: ShopRow,
  from: string,
  to: string,
): Promise<OrdersSummary> {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
  const previousFrom = shiftDays(from, -days);
  const figures = await periodFigures(db, shop, [
    shiftDays(from, -2 * days),
    previousFrom,
    from,
    to,
  ]);
  const current = periodSummary(from, to, shop.currency, figures[0], figures[1]);
  const previous = periodSummary(previousFrom, from, shop.currency, figures[1], figures[2]);
  return { ...current, previous, change: changeBetween(current, previous) };
}

interface PeriodFigures {
  orders: number;
  revenue: number;
  customers: number;
  customerOrders: number;
  repeaters: number;
  newCustomers: number;
  returningCustomers: number;
  revenueFromNew: number;
  revenueFromReturning: number;
  revenueFromGuests: number;
  /** Customers of this period who also bought in the period before it. */
  retained: number;
  medianDaysToSecondOrder: number | null;
}

const NO_ORDERS: PeriodFigures = {
  orders: 0,
  revenue: 0,
  customers: 0,
  customerOrders: 0,
  repeaters: 0,
  newCustomers: 0,
  returningCustomers: 0,
  revenueFromNew: 0,
  revenueFromReturning: 0,
  revenueFromGuests: 0,
  retained: 0,
  medianDaysToSecondOrder: null,
};

/**
 * Figures of three consecutive periods given by four days `[d0, d1, d2, d3]`: period 0 is
 * [d2, d3), period 1 is [d1, d2), period 2 is [d0, d1). Of period 2 only the number of
 * customers is right (it is what period 1's retention divides by): the rest is not computed.
 */
async function periodFigures(
  db: Db,
  shop: ShopRow,
  [d0, d1, d2, d3]: [string, string, string, string],
): Promise<[PeriodFigures, PeriodFigures, PeriodFigures]> {
  const tz = shop.timezone;
  const [s2, s1, s0, e0] = [d0, d1, d2, d3].map((d) => dayStart(d, tz)) as [
    RawBuilder<Date>,
    RawBuilder<Date>,
    RawBuilder<Date>,
    RawBuilder<Date>,
  ];
  const { rows } = await sql<PeriodFigures & { period: number }>`
    -- one row per customer of the three periods (all guest orders in one row, customer_id NULL)
    WITH per_customer AS (
      SELECT customer_id,
             count(*) FILTER (WHERE placed_at >= ${s0}) AS orders_0,
             sum(total - refunded_amount) FILTER (WHERE placed_at >= ${s0}) AS net_0,
             count(*) FILTER (WHERE placed_at >= ${s1} AND placed_at < ${s0}) AS orders_1,
             sum(total - refunded_amount) FILTER (WHERE placed_at >= ${s1} AND placed_at < ${s0})
               AS net_1,
             count(*) FILTER (WHERE placed_at < ${s1}) AS orders_2
      FROM orders
      WHERE shop_id = ${shop.id} AND ${COUNTED_ORDER} AND placed_at >= ${s2} AND placed_at < ${e0}
      GROUP BY customer_id
    ),
    -- with the first two counted orders ever (index probes) of each customer of period 0 or 1
    -- who has fewer than two orders in the scanned days before that period: with two or more,
    -- the customer is returning and their second order is not in the period, no probe needed
    history AS (
      SELECT c.*, two.first_at, two.second_at
      FROM per_customer c
      CROSS JOIN LATERAL (
        SELECT min(placed_at) AS first_at,
               CASE WHEN count(*) = 2 THEN max(placed_at) END AS second_at
        FROM (SELECT o.placed_at FROM orders o
              WHERE ((c.orders_0 > 0 AND c.orders_1 + c.orders_2 < 2)
                     OR (c.orders_1 > 0 AND c.orders_2 < 2))
                AND o.shop_id = ${shop.id} AND o.customer_id = c.customer_id AND ${COUNTED_ORDER}
              ORDER BY o.placed_at LIMIT 2) first_two
      ) two
    ),
    -- one row per customer (or the guests) and period they bought in
    per_period AS (
      SELECT p.period, p.orders, p.net, h.customer_id, p.bought_before,
             -- not probed (first_at NULL): two orders before the period, so returning
             coalesce(h.first_at >= p.starts, false) AS is_new,
             CASE WHEN h.second_at >= p.starts AND h.second_at < p.ends
               THEN (h.second_at AT TIME ZONE ${tz})::date - (h.first_at AT TIME ZONE ${tz})::date
             END AS days_to_second_order
      FROM history h
      CROSS JOIN LATERAL (VALUES
        (0, h.orders_0, h.net_0, ${s0}, ${e0}, h.orders_1 > 0),
        (1, h.orders_1, h.net_1, ${s1}, ${s0}, h.orders_2 > 0),
        (2, h.orders_2, NULL, ${s2}, ${s1}, false)
      ) AS p (period, orders, net, starts, ends, bought_before)
      WHERE p.orders > 0
    )
    SELECT period,
           sum(orders)::int AS orders,
           sum(net)::bigint AS revenue,
           count(customer_id)::int AS customers,
           coalesce(sum(orders) FILTER (WHERE customer_id IS NOT NULL), 0)::int
             AS "customerOrders",
           count(customer_id) FILTER (WHERE orders >= 2)::int AS repeaters,
           count(customer_id) FILTER (WHERE is_new)::int AS "newCustomers",
           count(customer_id) FILTER (WHERE NOT is_new)::int AS "returningCustomers",
           coalesce(sum(net) FILTER (WHERE customer_id IS NOT NULL AND is_new), 0)::bigint
             AS "revenueFromNew",
           coalesce(sum(net) FILTER (WHERE customer_id IS NOT NULL AND NOT is_new), 0)::bigint
             AS "revenueFromReturning",
           coalesce(sum(net) FILTER (WHERE customer_id IS NULL), 0)::bigint
             AS "revenueFromGuests",
           count(customer_id) FILTER (WHERE bought_before)::int AS retained,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_second_order)
             FILTER (WHERE days_to_second_order IS NOT NULL) AS "medianDaysToSecondOrder"
    FROM per_period
    GROUP BY period`.execute(db);
  const of = (period: number): PeriodFigures => {
    const row = rows.find((r) => r.period === period);
    if (!row) return NO_ORDERS;
    const { period: _period, ...figures } = row;
    return figures;
  };
  return [of(0), of(1), of(2)];
}

function periodSummary(
  from: string,
  to: string,
  currency: string,
  f: PeriodFigures,
  before: PeriodFigures,
): PeriodSummary {
  return {
    from,
    to,
    currency,
    orders: f.orders,
    revenue: f.revenue,
    customers: f.customers,
    aov: f.orders > 0 ? Math.round(f.revenue / f.orders) : 0,
    repeatPurchaseRate: f.customers > 0 ? f.repeaters / f.customers : 0,
    newCustomers: f.newCustomers,
    returningCustomers: f.returningCustomers,
    revenueFromNew: f.revenueFromNew,
    revenueFromReturning: f.revenueFromReturning,
    revenueFromGuests: f.revenueFromGuests,
    retention: before.customers > 0 ? f.retained / before.customers : null,
    churn: before.customers > 0 ? (before.customers - f.retained) / before.customers : null,
    medianDaysToSecondOrder: f.medianDaysToSecondOrder,
    purchaseFrequency: f.customers > 0 ? f.customerOrders / f.customers : null,
  };
}

function changeBetween(
  current: PeriodSummary,
  previous: PeriodSummary,
): Record<SummaryMetric, number | null> {
  const change = {} as Record<SummaryMetric, number | null>;
  for (const metric of SUMMARY_METRICS) {
    const now = current[metric];
    const before = previous[metric];
    change[metric] =
      now === null || before === null || before === 0 ? null : (now - before) / before;
  }
  return change;
}

/** `YYYY-MM-DD` moved by whole days (ISO 8601 with a sign for years outside 0000–9999). */
function shiftDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().split('T')[0]!;
}

/** A day's start in the shop's time zone; days before year 1 (which PostgreSQL cannot read in
 * ISO form, and which hold no orders) start at −infinity. */
function dayStart(date: string, timezone: string): RawBuilder<Date> {
  return date.startsWith('-') || date.startsWith('0000')
    ? sql<Date>`'-infinity'::timestamptz`
    : startOfDay(date, timezone);
}
