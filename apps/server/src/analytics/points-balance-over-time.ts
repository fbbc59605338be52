import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { liveProgramme } from '../points/live-programme.ts';

/**
 * What the points owed to members were at the end of each month of [from, to) (shop days; the
 * last month ends at `to`), in points and in money at today's point value.
 *
 * Every account keeps balance = Σ its entries' points (points/account.ts), so the balance at an
 * instant is today's total balance less the entries effective since: only the entries from the
 * first month's end on are read, one pass grouped by month, never the whole ledger.
 */
export async function pointsBalanceOverTime(
  db: Db,
  shop: ShopRow,
  range: { from: string; to: string },
) {
  const ends = monthEnds(range.from, range.to);
  const { programme } = await liveProgramme(db, shop.id);
  const pointValue = programme.settings.pointValue;
  const [total, after] = await Promise.all([
    sql<{ balance: number }>`
      SELECT coalesce(sum(balance), 0)::float8 AS balance FROM point_accounts
      WHERE shop_id = ${shop.id}`.execute(db),
    sql<{ i: number; points: number }>`
      WITH ends AS (
        SELECT array_agg((d::timestamp AT TIME ZONE ${shop.timezone}) ORDER BY d) AS ats
        FROM unnest(${ends}::date[]) AS d)
      SELECT width_bucket(e.effective_at, ends.ats) AS i, sum(e.points)::float8 AS points
      FROM point_entries e, ends
      WHERE e.shop_id = ${shop.id} AND e.effective_at >= ends.ats[1]
      GROUP BY 1`.execute(db),
  ]);
  const byBucket = new Map(after.rows.map((r) => [r.i, r.points]));
  let balance = total.rows[0]!.balance;
  // From the last end back: entries in bucket i (i ≥ 1) come after end i − 1.
  const points: number[] = [];
  for (let k = ends.length - 1; k >= 0; k--) {
    balance -= byBucket.get(k + 1) ?? 0;
    points[k] = balance;
  }
  return {
    from: range.from,
    to: range.to,
    currency: shop.currency,
    pointValue,
    data: ends.map((end, k) => ({
      month: monthOf(k === 0 ? range.from : ends[k - 1]!),
      end,
      points: points[k]!,
      value: Math.round(points[k]! * pointValue),
    })),
  };
}

/** The first day after each month of [from, to), the last one clipped to `to`. */
function monthEnds(from: string, to: string): string[] {
  const ends: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    const next = `${y}-${String(m).padStart(2, '0')}-01`;
    if (next >= to) {
      ends.push(to);
      return ends;
    }
    ends.push(next);
  }
}

function monthOf(day: string): string {
  return day.slice(0, 7);
}
