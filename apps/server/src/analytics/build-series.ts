import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

export const SERIES_STEPS = ['day', 'week', 'month'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];

/** At most this many steps in one answer (a year and a month of days). */
export const MAX_SERIES_POINTS = 400;

export interface SeriesPoint {
  /** The step's first day (a Monday for weeks, the 1st for months), clipped to the range. */
  from: string;
  /** Exclusive, clipped to the range. */
  to: string;
  orders: number;
  /** Minor units, refunds deducted, as the summary counts it. */
  revenue: number;
  /** The part of `revenue` from orders with a customer (members), guests left out. */
  membersRevenue: number;
  pointsIssued: number;
  /** Net of coupons that expired unused and gave the points back, as points activity says. */
  pointsRedeemed: number;
  pointsExpired: number;
  /** Messages queued in the step that went out, as the message results count them. */
  messagesSent: number;
  /** Friends referred in the step (by link, code or signup), rejected ones left out. */
  referrals: number;
}

/** The days from `from` to `to` (exclusive) cut into calendar steps of the shop's time zone. */
export function seriesSteps(from: string, to: string, step: SeriesStep): number {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (step === 'day') return days;
  if (step === 'week') return Math.ceil((days + 6) / 7);
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/**
 * Home's chart: orders, revenue, points, messages and referrals per day, ISO week or month of the shop's
 * time zone over [from, to), each figure counted as the period figures count it (the summary,
 * points activity, message results), so the steps add up to the period. One query per source:
 * orders from the shop_order_days rollup (migration 0048), the others an index range scan on
 * (shop_id, time) grouped by step.
 */
export async function buildSeries(
  db: Db,
  shop: ShopRow,
  range: { from: string; to: string; step: SeriesStep },
): Promise<{ from: string; to: string; step: SeriesStep; currency: string; data: SeriesPoint[] }> {
  const tz = shop.timezone;
  const start = sql`(${range.from}::date::timestamp AT TIME ZONE ${tz})`;
  const end = sql`(${range.to}::date::timestamp AT TIME ZONE ${tz})`;
  const stepOf = (column: string) =>
    sql<string>`to_char(date_trunc(${range.step}, ${sql.ref(column)} AT TIME ZONE ${tz}), 'YYYY-MM-DD')`;

  const [orders, points, messages, referrals] = await Promise.all([
    sql<{ step: string; orders: number; revenue: number; members: number }>`
      SELECT to_char(date_trunc(${range.step}, day::timestamp), 'YYYY-MM-DD') AS step,
             sum(orders)::int AS orders, sum(net)::bigint AS revenue,
             sum(customer_net)::bigint AS members
      FROM shop_order_days
      WHERE shop_id = ${shop.id} AND day >= ${range.from}::date AND day < ${range.to}::date
      GROUP BY 1`.execute(db),
    sql<{ step: string; issued: number; redeemed: number; expired: number }>`
      SELECT ${stepOf('effective_at')} AS step,
             COALESCE(sum(points) FILTER (WHERE kind = 'earn' AND points > 0), 0)::bigint AS issued,
             (COALESCE(-sum(points) FILTER (WHERE kind = 'redeem' AND points < 0), 0)
               - COALESCE(sum(points) FILTER (WHERE kind = 'reverse' AND points > 0), 0))::bigint AS redeemed,
             COALESCE(-sum(points) FILTER (WHERE kind = 'expire' AND points < 0), 0)::bigint AS expired
      FROM point_entries
      WHERE shop_id = ${shop.id} AND effective_at >= ${start} AND effective_at < ${end}
      GROUP BY 1`.execute(db),
    sql<{ step: string; sent: number }>`
      SELECT ${stepOf('created_at')} AS step, count(*)::int AS sent
      FROM messages
      WHERE shop_id = ${shop.id} AND created_at >= ${start} AND created_at < ${end}
        AND sent_at IS NOT NULL
      GROUP BY 1`.execute(db),
    sql<{ step: string; referred: number }>`
      SELECT ${stepOf('created_at')} AS step, count(*)::int AS referred
      FROM referrals
      WHERE shop_id = ${shop.id} AND created_at >= ${start} AND created_at < ${end}
        AND status <> 'rejected'
      GROUP BY 1`.execute(db),
  ]);

  const byStep = <R extends { step: string }>(rows: R[]) => new Map(rows.map((r) => [r.step, r]));
  const o = byStep(orders.rows);
  const p = byStep(points.rows);
  const m = byStep(messages.rows);
  const r = byStep(referrals.rows);
  const data: SeriesPoint[] = [];
  for (let first = truncate(range.from, range.step); first < range.to;) {
    const next = advance(first, range.step);
    data.push({
      from: first < range.from ? range.from : first,
      to: next > range.to ? range.to : next,
      orders: o.get(first)?.orders ?? 0,
      revenue: Number(o.get(first)?.revenue ?? 0),
      membersRevenue: Number(o.get(first)?.members ?? 0),
      pointsIssued: Number(p.get(first)?.issued ?? 0),
      pointsRedeemed: Number(p.get(first)?.redeemed ?? 0),
      pointsExpired: Number(p.get(first)?.expired ?? 0),
      messagesSent: m.get(first)?.sent ?? 0,
      referrals: r.get(first)?.referred ?? 0,
    });
    first = next;
  }
  return { from: range.from, to: range.to, step: range.step, currency: shop.currency, data };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first day of the step holding `day` (calendar arithmetic on dates, no time zone). */
function truncate(day: string, step: SeriesStep): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (step === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (step === 'month') d.setUTCDate(1);
  return iso(d);
}

function advance(day: string, step: SeriesStep): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (step === 'day') d.setUTCDate(d.getUTCDate() + 1);
  if (step === 'week') d.setUTCDate(d.getUTCDate() + 7);
  if (step === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  return iso(d);
}
