import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';
import type { ShopRow } from '../../src/shops/shop.ts';

interface Cohort {
  cohort: string;
  customers: number;
  retention: number[];
}

/**
 * The cohorts as built before migration 0048 (the partial last month from the purchase days):
 * the reference build-cohorts.ts must equal.
 *
 * API.md "Analytics" cohorts: one entry per month from `from` to `to` (exclusive). A customer's
 * cohort is the month of their first counted order ever; retention[k] is the share of the
 * cohort with a counted order in the k-th month after it, up to the month holding the day
 * before `to`. Months are the shop's calendar months.
 *
 * Whole months come from the cohort_activity rollup (a row per cohort and month, kept by the
 * orders triggers). When `to` falls inside a month, that last month's column is counted from the
 * purchase days (customer_order_days) of its first days only, each customer's cohort read from
 * customer_rollups.
 */
export async function buildCohortsFromDays(
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
    SELECT to_char(r.first_day, 'YYYY-MM'), ${lastMonth}, count(DISTINCT d.customer_id)::int
    FROM customer_order_days d
    JOIN customer_rollups r ON r.shop_id = d.shop_id AND r.customer_id = d.customer_id
    WHERE d.shop_id = ${shop.id} AND d.day >= ${`${lastMonth}-01`}::date AND d.day < ${to}::date
      AND r.first_day >= ${`${firstMonth}-01`}::date
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
