import type { Db } from '../db/connect.ts';

/** A customer's latest orders with their money and where each stands, newest first. */
export async function customerOrders(db: Db, shopId: string, customerId: string, limit: number) {
  const rows = await db
    .selectFrom('orders')
    .select([
      'external_id',
      'currency',
      'total',
      'refunded_amount',
      'discount_codes',
      'placed_at',
      'paid_at',
      'cancelled_at',
      'fulfilled_at',
    ])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('placed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((o) => ({
    id: o.external_id,
    total: { amount: o.total, currency: o.currency },
    refunded: { amount: o.refunded_amount, currency: o.currency },
    discountCodes: o.discount_codes,
    placedAt: o.placed_at.toISOString(),
    status: o.cancelled_at
      ? 'cancelled'
      : o.refunded_amount >= o.total && o.total > 0
        ? 'refunded'
        : o.fulfilled_at
          ? 'fulfilled'
          : o.paid_at
            ? 'paid'
            : 'pending',
  }));
}
