import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

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
 *
 * Whole months come from the cohort_activity rollup (a row per cohort and month, kept by the
 * orders triggers). When `to` falls inside a month, that last month's column comes from
 * customer_day_pairs (kind 6, migration 0048): each customer's first purchase day of a month,
 * keyed by the day and the customer's first day, counted over the month's first days.
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
  const partial = !to.endsWith('-01');
  const { rows } = await sql<{ cohort: string; month: string; customers: number }>`
    SELECT to_char(cohort_month, 'YYYY-MM') AS cohort, to_char(month, 'YYYY-MM') AS month, customers
    FROM cohort_activity
    WHERE shop_id = ${shop.id} AND customers > 0
      AND cohort_month >= ${`${firstMonth}-01`}::date AND cohort_month <= ${`${lastMonth}-01`}::date
      AND month ${partial ? sql`<` : sql`<=`} ${`${lastMonth}-01`}::date
    ${
      partial
        ? sql`UNION ALL
    SELECT to_char(x.b, 'YYYY-MM'), ${lastMonth}, sum(x.customers)::int
    FROM customer_day_pairs x
    WHERE x.shop_id = ${shop.id} AND x.kind = 6
      AND x.a >= ${`${lastMonth}-01`}::date AND x.a < ${to}::date
      AND x.b >= ${`${firstMonth}-01`}::date
    GROUP BY 1`
        : sql``
    }`.execute(db);
  const active = new Map(
    rows.map((r) => [`${r.cohort}|${monthIndex(r.month) - monthIndex(r.cohort)}`, r.customers]),
  );
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

/** Months since year 0 of a `YYYY-MM`. */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
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
