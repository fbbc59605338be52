import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { OrderFact, OrderLineFact } from './earning-rules.ts';

export interface EarningOrder {
  customerId: string | null;
  total: number;
  refundedAmount: number;
  cancelled: boolean;
  fact: OrderFact;
}

/**
 * The orders of a batch as the earning rules see them, in three queries: the orders, their
 * lines, and whether each is its customer's first paid order.
 */
export async function loadOrderFacts(
  tx: Tx,
  shopId: string,
  orderIds: string[],
): Promise<Map<string, EarningOrder>> {
  const out = new Map<string, EarningOrder>();
  if (orderIds.length === 0) return out;
  const orders = await tx
    .selectFrom('orders')
    .select([
      'id',
      'customer_id',
      'currency',
      'total',
      'subtotal',
      'shipping',
      'tax',
      'refunded_amount',
      'paid_at',
      'cancelled_at',
    ])
    .where('shop_id', '=', shopId)
    .where('id', '=', sql<string>`any(${orderIds}::text[])`)
    .execute();
  const lines = await tx
    .selectFrom('order_lines')
    .select(['order_id', 'product_id', 'category_ids', 'quantity', 'unit_price'])
    .where('shop_id', '=', shopId)
    .where('order_id', '=', sql<string>`any(${orderIds}::text[])`)
    .orderBy('order_id')
    .orderBy('position')
    .execute();
  const linesByOrder = new Map<string, OrderLineFact[]>();
  for (const l of lines) {
    const list = linesByOrder.get(l.order_id) ?? [];
    list.push({
      productId: l.product_id,
      categoryIds: l.category_ids,
      quantity: l.quantity,
      unitPrice: l.unit_price,
    });
    linesByOrder.set(l.order_id, list);
  }
  const customerIds = [...new Set(orders.flatMap((o) => (o.customer_id ? [o.customer_id] : [])))];
  const firsts = new Set<string>();
  if (customerIds.length > 0) {
    // The first paid order of each customer, earliest placed; ties broken by id.
    const rows = await sql<{ id: string }>`
      SELECT first.id FROM unnest(${customerIds}::text[]) AS c(id)
      CROSS JOIN LATERAL (
        SELECT o.id FROM orders o
        WHERE o.shop_id = ${shopId} AND o.customer_id = c.id AND o.paid_at IS NOT NULL
        ORDER BY o.placed_at, o.id LIMIT 1) first`.execute(tx);
    for (const row of rows.rows) firsts.add(row.id);
  }
  for (const o of orders) {
    out.set(o.id, {
      customerId: o.customer_id,
      total: o.total,
      refundedAmount: o.refunded_amount,
      cancelled: o.cancelled_at !== null,
      fact: {
        kind: 'order',
        orderId: o.id,
        currency: o.currency,
        total: o.total,
        subtotal: o.subtotal,
        shipping: o.shipping,
        tax: o.tax,
        lines: linesByOrder.get(o.id) ?? [],
        isFirstOrder: firsts.has(o.id),
      },
    });
  }
  return out;
}
