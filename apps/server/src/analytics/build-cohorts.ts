import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { COUNTED_ORDER, startOfDay } from './shop-days.ts';

export interface Cohort {
  cohort: string;
  customers: number;
  retention: number[];
}

/**
 * API.md "Analytics" cohorts: one entry per month from `from` to `to` (exclusive). A customer's
 * cohort is the month of their first counted order ever; retention[k] is the share of the
 * cohort with a counted order in the k-th month after it, up to the month holding the day
 * before `to`. Months are the shop's calendar months.
 */
export async function buildCohorts(
  db: Db,
  shop: ShopRow,
  from: string,
  to: string,
): Promise<Cohort[]> {
  const firstMonth = from.slice(0, 7);
  const lastMonth = lastMonthBefore(to);
  const months = monthsBetween(firstMonth, lastMonth);
  if (months.length === 0) return [];
  const tz = shop.timezone;
  const { rows } = await sql<{ cohort: string; k: number; customers: number }>`
    WITH counted AS (
      SELECT customer_id, to_char(placed_at AT TIME ZONE ${tz}, 'YYYY-MM') AS month FROM orders
      WHERE shop_id = ${shop.id} AND customer_id IS NOT NULL AND ${COUNTED_ORDER}
        AND placed_at < ${startOfDay(to, tz)}
    ),
    firsts AS (SELECT customer_id, min(month) AS cohort FROM counted GROUP BY customer_id)
    SELECT f.cohort,
           ((substr(c.month, 1, 4)::int - substr(f.cohort, 1, 4)::int) * 12
             + substr(c.month, 6, 2)::int - substr(f.cohort, 6, 2)::int) AS k,
           count(DISTINCT c.customer_id)::int AS customers
    FROM firsts f JOIN counted c USING (customer_id)
    WHERE f.cohort >= ${firstMonth} AND f.cohort <= ${lastMonth}
    GROUP BY 1, 2`.execute(db);
  const active = new Map(rows.map((r) => [`${r.cohort}|${r.k}`, r.customers]));
  return months.map((cohort, i) => {
    const size = active.get(`${cohort}|0`) ?? 0;
    const span = months.length - i;
    return {
      cohort,
      customers: size,
      retention: Array.from({ length: span }, (_, k) =>
        size > 0 ? (active.get(`${cohort}|${k}`) ?? 0) / size : 0,
      ),
    };
  });
}

function lastMonthBefore(to: string): string {
  const day = new Date(`${to}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 7);
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  for (let month = first; month <= last;) {
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    month = `${y}-${String(m).padStart(2, '0')}`;
  }
  return out;
}
