import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';

interface Row {
  affiliate_id: string;
  name: string;
  period: string;
  closed: boolean;
  orders: number;
  revenue: string;
  refunds: string;
  commission: string;
  paid_at: Date | null;
  paid_orders: number | null;
  paid_revenue: string | null;
  paid_refunds: string | null;
  paid_commission: string | null;
  reference: string | null;
}

export interface PayoutFilter {
  affiliateId?: string;
  /** YYYY-MM, inclusive */
  from?: string;
  /** YYYY-MM, inclusive */
  to?: string;
}

/**
 * Per affiliate and month: the orders it brought, their revenue, refunds (a cancelled order
 * counts whole) and the commission at each order's own rate on the net. An order belongs to
 * the month (shop's time zone) its return window ends in, so a month's commission is only
 * due once it has closed; a paid month shows what was paid, and any later refund as the
 * difference.
 */
async function payoutRows(db: Db, shop: ShopRow, filter: PayoutFilter, now: Date) {
  const { rows } = await sql<Row>`
    WITH o AS (
      SELECT ao.affiliate_id, o.total, ao.commission_percent,
             CASE WHEN o.cancelled_at IS NOT NULL THEN o.total
                  ELSE LEAST(o.refunded_amount, o.total) END AS refunds,
             to_char((o.paid_at + make_interval(days => s.return_window_days)) AT TIME ZONE s.timezone,
                     'YYYY-MM') AS period
      FROM affiliate_orders ao
      JOIN orders o ON o.shop_id = ao.shop_id AND o.id = ao.order_id
      JOIN shops s ON s.id = ao.shop_id
      WHERE ao.shop_id = ${shop.id} AND o.paid_at IS NOT NULL
    ), earned AS (
      SELECT affiliate_id, period, count(*)::int AS orders, sum(total) AS revenue,
             sum(refunds) AS refunds,
             sum(round((total - refunds) * commission_percent / 100)) AS commission
      FROM o GROUP BY affiliate_id, period
    ), paid AS (
      SELECT * FROM affiliate_payouts WHERE shop_id = ${shop.id}
    )
    SELECT a.id AS affiliate_id, a.name, COALESCE(e.period, p.period) AS period,
           ((to_date(COALESCE(e.period, p.period), 'YYYY-MM') + interval '1 month')::timestamp
              AT TIME ZONE ${shop.timezone}) <= ${now} AS closed,
           COALESCE(e.orders, 0) AS orders, COALESCE(e.revenue, 0)::bigint AS revenue,
           COALESCE(e.refunds, 0)::bigint AS refunds, COALESCE(e.commission, 0)::bigint AS commission,
           p.paid_at, p.orders AS paid_orders, p.revenue AS paid_revenue, p.refunds AS paid_refunds,
           p.commission AS paid_commission, p.reference
    FROM earned e
    FULL JOIN paid p ON p.affiliate_id = e.affiliate_id AND p.period = e.period
    JOIN affiliates a ON a.shop_id = ${shop.id} AND a.id = COALESCE(e.affiliate_id, p.affiliate_id)
    WHERE (${filter.affiliateId ?? null}::text IS NULL OR a.id = ${filter.affiliateId ?? null})
      AND (${filter.from ?? null}::text IS NULL OR COALESCE(e.period, p.period) >= ${filter.from ?? null})
      AND (${filter.to ?? null}::text IS NULL OR COALESCE(e.period, p.period) <= ${filter.to ?? null})
    ORDER BY period DESC, a.name, a.id`.execute(db);
  return rows;
}

export async function affiliatePayoutReport(
  db: Db,
  shop: ShopRow,
  filter: PayoutFilter,
  now: Date,
) {
  const money = (amount: string | number) => ({ amount: Number(amount), currency: shop.currency });
  const rows = await payoutRows(db, shop, filter, now);
  return {
    data: rows.map((r) => ({
      affiliateId: r.affiliate_id,
      affiliateName: r.name,
      period: r.period,
      closed: r.closed,
      orders: r.orders,
      revenue: money(r.revenue),
      refunds: money(r.refunds),
      netRevenue: money(Number(r.revenue) - Number(r.refunds)),
      commission: money(r.commission),
      paid: r.paid_at
        ? {
            at: r.paid_at.toISOString(),
            commission: money(r.paid_commission!),
            reference: r.reference,
          }
        : null,
      // refunds that came after the payout: to settle with the next one
      difference: r.paid_at ? money(Number(r.commission) - Number(r.paid_commission)) : null,
    })),
  };
}

export const PAYOUT_CSV_HEADER = [
  'affiliate_id',
  'affiliate',
  'period',
  'closed',
  'orders',
  'revenue',
  'refunds',
  'net_revenue',
  'commission',
  'paid_at',
  'paid_commission',
  'reference',
  'currency',
];

/** The report as CSV rows (amounts in minor units), for a spreadsheet or the bookkeeper. */
export function payoutCsvRows(report: Awaited<ReturnType<typeof affiliatePayoutReport>>) {
  return report.data.map((r) => [
    r.affiliateId,
    r.affiliateName,
    r.period,
    r.closed ? 'yes' : 'no',
    r.orders,
    r.revenue.amount,
    r.refunds.amount,
    r.netRevenue.amount,
    r.commission.amount,
    r.paid?.at ?? null,
    r.paid?.commission.amount ?? null,
    r.paid?.reference ?? null,
    r.revenue.currency,
  ]);
}

/**
 * Records that a closed month was paid to the affiliate, with the figures as they stand; a
 * month is paid once (409 again), and never before it has closed.
 */
export async function markPayoutPaid(
  db: Db,
  shop: ShopRow,
  input: { affiliateId: string; period: string; reference?: string | null },
  now: Date,
) {
  const affiliate = await db
    .selectFrom('affiliates')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('id', '=', input.affiliateId)
    .executeTakeFirst();
  if (!affiliate) throw problems.notFound(`Affiliate ${input.affiliateId}`);
  const filter = { affiliateId: input.affiliateId, from: input.period, to: input.period };
  const [row] = await payoutRows(db, shop, filter, now);
  if (!row) throw problems.notFound(`Orders of affiliate ${input.affiliateId} in ${input.period}`);
  if (!row.closed) throw problems.conflict(`${input.period} has not closed yet.`);
  const inserted = await db
    .insertInto('affiliate_payouts')
    .values({
      shop_id: shop.id,
      affiliate_id: input.affiliateId,
      period: input.period,
      orders: row.orders,
      revenue: Number(row.revenue),
      refunds: Number(row.refunds),
      commission: Number(row.commission),
      reference: input.reference ?? null,
      paid_at: now,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'affiliate_id', 'period']).doNothing())
    .returning('period')
    .executeTakeFirst();
  if (!inserted) throw problems.conflict(`${input.period} is already paid.`);
  const report = await affiliatePayoutReport(db, shop, filter, now);
  return report.data[0]!;
}
