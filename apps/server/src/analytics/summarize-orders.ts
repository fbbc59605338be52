import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { DAY_MS } from '../db/shop-days.ts';

/** One period's figures. Counted orders are paid and not cancelled; amounts in minor units. */
export interface PeriodSummary {
  from: string;
  to: string;
  currency: string;
  orders: number;
  revenue: number;
  customers: number;
  aov: number;
  repeatPurchaseRate: number;
  newCustomers: number;
  returningCustomers: number;
  revenueFromNew: number;
  revenueFromReturning: number;
  revenueFromGuests: number;
  retention: number | null;
  churn: number | null;
  medianDaysToSecondOrder: number | null;
  purchaseFrequency: number | null;
}

/** The figures `change` compares, in the order the answer lists them. */
export const SUMMARY_METRICS = [
  'orders',
  'revenue',
  'customers',
  'aov',
  'repeatPurchaseRate',
  'newCustomers',
  'returningCustomers',
  'revenueFromNew',
  'revenueFromReturning',
  'revenueFromGuests',
  'retention',
  'churn',
  'medianDaysToSecondOrder',
  'purchaseFrequency',
] as const satisfies ReadonlyArray<keyof PeriodSummary>;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export interface OrdersSummary extends PeriodSummary {
  /** The same figures for the period of equal length just before `from`. */
  previous: PeriodSummary;
  /** (current − previous) / previous for each metric; null where previous is 0 or null. */
  change: Record<SummaryMetric, number | null>;
}

/**
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
 * The range, the previous period and the one before it (which the previous period's retention
 * needs) are read together from the summary rollups (migration 0048), so any period costs about
 * the same: no order is read.
 */
export async function summarizeOrders(
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
 *
 * From the rollups of migration 0048 (see there for why each sum is the figure): orders and
 * revenue from shop_order_days, the customer counts from customer_day_pairs, the median days to
 * a second order from a histogram of them; a few hundred thousand rows at most for any period,
 * against every order of the three periods before. The same figures as counting the orders
 * (test/analytics/summary-rollups.test.ts compares them).
 */
async function periodFigures(
  db: Db,
  shop: ShopRow,
  [d0, d1, d2, d3]: [string, string, string, string],
): Promise<[PeriodFigures, PeriodFigures, PeriodFigures]> {
  const [s2, s1, s0, e0] = [d0, d1, d2, d3].map(dayValue) as [
    RawBuilder<string>,
    RawBuilder<string>,
    RawBuilder<string>,
    RawBuilder<string>,
  ];
  // each period: (number, start, end, start of the period before it)
  const periods = sql`(VALUES (0, ${s0}, ${e0}, ${s1}), (1, ${s1}, ${s0}, ${s2}),
                              (2, ${s2}, ${s1}, '-infinity'::date))
                      AS p (period, s, e, before)`;
  const [totals, pairs, seconds] = await Promise.all([
    sql<{
      period: number;
      orders: number;
      revenue: number;
      customerOrders: number;
      customerRevenue: number;
    }>`
      SELECT p.period, sum(d.orders)::int AS orders, sum(d.net)::bigint AS revenue,
             sum(d.customer_orders)::int AS "customerOrders",
             sum(d.customer_net)::bigint AS "customerRevenue"
      FROM ${periods}
      JOIN shop_order_days d ON d.shop_id = ${shop.id} AND d.day >= p.s AND d.day < p.e
      GROUP BY 1`.execute(db),
    sql<{
      period: number;
      customers: number;
      newCustomers: number;
      retained: number;
      singles: number;
      revenueFromNew: number;
    }>`
      SELECT p.period,
             coalesce(sum(x.customers) FILTER (WHERE x.kind = 1 AND (x.b < p.s OR x.b = '-infinity')), 0)::int
               AS customers,
             coalesce(sum(x.customers) FILTER (WHERE x.kind = 1 AND x.b = '-infinity'), 0)::int
               AS "newCustomers",
             coalesce(sum(x.customers) FILTER (WHERE x.kind = 1 AND x.b > '-infinity'
                                                 AND x.b >= p.before AND x.b < p.s), 0)::int
               AS retained,
             coalesce(sum(x.singles) FILTER (WHERE x.kind = 1 AND x.a >= p.s AND x.a < p.e), 0)
             - coalesce(sum(x.singles) FILTER (WHERE x.kind = 1 AND x.a >= p.s AND x.a < p.e
                                                 AND x.b > '-infinity' AND x.b >= p.s), 0)
             - coalesce(sum(x.singles) FILTER (WHERE x.kind = 3 AND x.b < 'infinity' AND x.b < p.e), 0)
             + coalesce(sum(x.singles) FILTER (WHERE x.kind = 4 AND x.b < p.e), 0) AS singles,
             coalesce(sum(x.net) FILTER (WHERE x.kind = 2 AND x.b >= p.s), 0)::bigint
               AS "revenueFromNew"
      FROM ${periods}
      JOIN customer_day_pairs x ON x.shop_id = ${shop.id} AND x.kind IN (1, 2, 3)
        AND x.a >= p.s AND x.a < p.e
      GROUP BY 1
      UNION ALL
      -- kind 4 is keyed by the day before (a) and after (b) a purchase day: a ≥ s, b < e
      SELECT p.period, 0, 0, 0, coalesce(sum(x.singles), 0), 0
      FROM ${periods}
      JOIN customer_day_pairs x ON x.shop_id = ${shop.id} AND x.kind = 4
        AND x.a >= p.s AND x.a < p.e AND x.b < p.e
      GROUP BY 1`.execute(db),
    sql<{ period: number; days: number; customers: number }>`
      SELECT p.period, (x.a - x.b) AS days, sum(x.customers)::int AS customers
      FROM ${periods}
      JOIN customer_day_pairs x ON x.shop_id = ${shop.id} AND x.kind = 5
        AND x.a >= p.s AND x.a < p.e
      WHERE p.period < 2
      GROUP BY 1, 2
      ORDER BY 1, 2`.execute(db),
  ]);
  const of = (period: number): PeriodFigures => {
    const t = totals.rows.find((r) => r.period === period);
    if (!t) return NO_ORDERS;
    const counts = pairs.rows.filter((r) => r.period === period);
    const sum = (key: 'customers' | 'newCustomers' | 'retained' | 'singles' | 'revenueFromNew') =>
      counts.reduce((total, r) => total + Number(r[key]), 0);
    const customers = sum('customers');
    const newCustomers = sum('newCustomers');
    const revenueFromNew = sum('revenueFromNew');
    return {
      orders: t.orders,
      revenue: Number(t.revenue),
      customers,
      customerOrders: t.customerOrders,
      repeaters: customers - sum('singles'),
      newCustomers,
      returningCustomers: customers - newCustomers,
      revenueFromNew,
      revenueFromReturning: Number(t.customerRevenue) - revenueFromNew,
      revenueFromGuests: Number(t.revenue) - Number(t.customerRevenue),
      retained: sum('retained'),
      medianDaysToSecondOrder: median(seconds.rows.filter((r) => r.period === period)),
    };
  };
  return [of(0), of(1), of(2)];
}

/** percentile_cont(0.5) of a histogram given as (value, count) rows sorted by value. */
function median(histogram: Array<{ days: number; customers: number }>): number | null {
  const n = histogram.reduce((total, r) => total + r.customers, 0);
  if (n === 0) return null;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const r of histogram) {
      seen += r.customers;
      if (rank < seen) return r.days;
    }
    return histogram.at(-1)!.days;
  };
  const position = (n - 1) / 2;
  const low = valueAt(Math.floor(position));
  const high = valueAt(Math.ceil(position));
  return low + (high - low) * (position - Math.floor(position));
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

/** A shop day as a date; days before year 1 (which PostgreSQL cannot read in ISO form, and
 * which hold no orders) are −infinity. */
function dayValue(date: string): RawBuilder<string> {
  return date.startsWith('-') || date.startsWith('0000')
    ? sql<string>`'-infinity'::date`
    : sql<string>`${date}::date`;
}
