import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { COUNTED_ORDER, startOfDay } from './shop-days.ts';

export interface OrdersSummary {
  from: string;
  to: string;
  currency: string;
  orders: number;
  revenue: number;
  customers: number;
  aov: number;
  repeatPurchaseRate: number;
}

/**
 * API.md "Analytics" summary: paid, not cancelled orders created in [from, to) (days in the
 * shop's time zone); revenue is their total less refunds, in minor units; a repeat customer has
 * two or more such orders in the range. Guest orders count as orders and revenue, not customers.
 */
export async function summarizeOrders(
  db: Db,
  shop: ShopRow,
  from: string,
  to: string,
): Promise<OrdersSummary> {
  const { rows } = await sql<{
    orders: number;
    revenue: number;
    customers: number;
    repeaters: number;
  }>`
    WITH counted AS (
      SELECT customer_id, total - refunded_amount AS net FROM orders
      WHERE shop_id = ${shop.id} AND ${COUNTED_ORDER}
        AND placed_at >= ${startOfDay(from, shop.timezone)} AND placed_at < ${startOfDay(to, shop.timezone)}
    )
    SELECT count(*)::int AS orders,
           coalesce(sum(net), 0)::bigint AS revenue,
           count(DISTINCT customer_id)::int AS customers,
           (SELECT count(*) FROM (SELECT 1 FROM counted WHERE customer_id IS NOT NULL
                                  GROUP BY customer_id HAVING count(*) >= 2) r)::int AS repeaters
    FROM counted`.execute(db);
  const r = rows[0]!;
  return {
    from,
    to,
    currency: shop.currency,
    orders: r.orders,
    revenue: r.revenue,
    customers: r.customers,
    aov: r.orders > 0 ? Math.round(r.revenue / r.orders) : 0,
    repeatPurchaseRate: r.customers > 0 ? r.repeaters / r.customers : 0,
  };
}
