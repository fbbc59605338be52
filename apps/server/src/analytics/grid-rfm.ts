import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

/** Days since the last order: a bucket holds the days up to and including its bound. */
export const RECENCY_BOUNDS = [30, 90, 180, 365] as const;
/** Counted orders ever: 1, 2, 3, 4–5, 6 or more. */
export const FREQUENCY_BOUNDS = [1, 2, 3, 5] as const;

/**
 * The RFM grid on `today` (a shop day): every customer with a counted order, by recency (days
 * since their last purchase day: ≤ 30, ≤ 90, ≤ 180, ≤ 365, more) and frequency (orders ever: 1,
 * 2, 3, 4–5, 6+), each cell with its customers and their revenue (monetary, net of refunds).
 * Fixed bounds rather than quintiles, so a cell means the same in every shop and month; one
 * pass over customer_rollups.
 */
export async function gridRfm(db: Db, shop: ShopRow, today: string) {
  const { rows } = await sql<{ r: number; f: number; customers: number; revenue: number }>`
    SELECT width_bucket(${today}::date - last_day, ${[0, ...RECENCY_BOUNDS.map((b) => b + 1)]}::int[]) - 1 AS r,
           width_bucket(orders_count, ${[1, ...FREQUENCY_BOUNDS.map((b) => b + 1)]}::int[]) - 1 AS f,
           count(*)::int AS customers, sum(total_spent)::float8 AS revenue
    FROM customer_rollups WHERE shop_id = ${shop.id}
    GROUP BY 1, 2`.execute(db);
  return {
    asOf: today,
    currency: shop.currency,
    recencyBounds: [...RECENCY_BOUNDS],
    frequencyBounds: [...FREQUENCY_BOUNDS],
    cells: rows
      .map((row) => ({
        recency: row.r,
        frequency: row.f,
        customers: row.customers,
        revenue: row.revenue,
        revenuePerCustomer: Math.round(row.revenue / row.customers),
      }))
      .sort((a, b) => a.recency - b.recency || a.frequency - b.frequency),
  };
}
