import { z } from 'zod';
import type { Db } from '../db/connect.ts';

const money = z.object({ amount: z.number().int(), currency: z.string() });

export const orderSchema = z
  .object({
    id: z.string().describe("The shop's own order id"),
    lojalId: z.string(),
    customerId: z
      .string()
      .nullable()
      .describe("The shop's own customer id; null for a guest order"),
    status: z.enum(['pending', 'paid', 'cancelled']),
    total: money,
    subtotal: money.nullable(),
    shipping: money.nullable(),
    discount: money.nullable(),
    refunded: money,
    discountCodes: z.array(z.string()),
    placedAt: z.string(),
    paidAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    fulfilledAt: z.string().nullable(),
    lines: z.array(
      z.object({
        productId: z.string().nullable(),
        variantId: z.string().nullable(),
        sku: z.string().nullable(),
        title: z.string().nullable(),
        categoryIds: z.array(z.string()),
        quantity: z.number().int(),
        price: money,
      }),
    ),
    refunds: z.array(
      z.object({
        id: z.string(),
        amount: money,
        reason: z.string().nullable(),
        refundedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'Order' });

export type OrderView = z.infer<typeof orderSchema>;

/** An order by the shop's own id, with its lines and refunds. */
export async function findOrder(
  db: Db,
  shopId: string,
  externalId: string,
): Promise<OrderView | null> {
  const order = await db
    .selectFrom('orders')
    .leftJoin('customers', (join) =>
      join
        .onRef('customers.shop_id', '=', 'orders.shop_id')
        .onRef('customers.id', '=', 'orders.customer_id'),
    )
    .selectAll('orders')
    .select('customers.external_id as customer_external_id')
    .where('orders.shop_id', '=', shopId)
    .where('orders.external_id', '=', externalId)
    .executeTakeFirst();
  if (!order) return null;
  const [lines, refunds] = await Promise.all([
    db
      .selectFrom('order_lines')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('order_id', '=', order.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('refunds')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('order_id', '=', order.id)
      .orderBy('refunded_at')
      .execute(),
  ]);
  const m = (amount: number | null) =>
    amount === null ? null : { amount, currency: order.currency };
  return {
    id: order.external_id,
    lojalId: order.id,
    customerId: order.customer_external_id,
    status: order.cancelled_at ? 'cancelled' : order.paid_at ? 'paid' : 'pending',
    total: { amount: order.total, currency: order.currency },
    subtotal: m(order.subtotal),
    shipping: m(order.shipping),
    discount: m(order.discount),
    refunded: { amount: order.refunded_amount, currency: order.currency },
    discountCodes: order.discount_codes,
    placedAt: order.placed_at.toISOString(),
    paidAt: order.paid_at?.toISOString() ?? null,
    cancelledAt: order.cancelled_at?.toISOString() ?? null,
    fulfilledAt: order.fulfilled_at?.toISOString() ?? null,
    lines: lines.map((l) => ({
      productId: l.product_id,
      variantId: l.variant_id,
      sku: l.sku,
      title: l.title,
      categoryIds: l.category_ids,
      quantity: l.quantity,
      price: { amount: l.unit_price, currency: order.currency },
    })),
    refunds: refunds.map((r) => ({
      id: r.external_id,
      amount: { amount: r.amount, currency: r.currency },
      reason: r.reason,
      refundedAt: r.refunded_at.toISOString(),
    })),
  };
}
