import { sql } from 'kysely';
import type { DomainEvent, Reaction, Tx } from '../events/domain-events.ts';
import { normalizeCode } from './coupon-code.ts';

/**
 * A paid order that carries Lojal coupon codes uses them: one use per order, counted with a
 * guarded increment so a one-use code is taken by exactly one order however many race for it.
 * A code bound to another customer, expired, or used up is left alone.
 */
export async function consumeCoupons(tx: Tx, events: DomainEvent[]): Promise<void> {
  const paid = events.filter((e) => e.type === 'order.paid');
  if (paid.length === 0) return;
  const shopId = paid[0]!.shopId;
  const orders = await tx
    .selectFrom('orders')
    .select(['id', 'customer_id', 'discount_codes', 'paid_at'])
    .where('shop_id', '=', shopId)
    .where('id', '=', sql<string>`any(${paid.map((e) => e.orderId)}::text[])`)
    .where(sql<boolean>`cardinality(discount_codes) > 0`)
    .orderBy('id')
    .execute();
  if (orders.length === 0) return;
  // Most codes on orders are the shop's own; one query finds which of them are Lojal's.
  const known = await tx
    .selectFrom('coupons')
    .select('code_key')
    .where('shop_id', '=', shopId)
    .where(
      'code_key',
      '=',
      sql<string>`any(${[...new Set(orders.flatMap((o) => o.discount_codes.map(normalizeCode)))]}::text[])`,
    )
    .execute();
  const lojalCodes = new Set(known.map((k) => k.code_key));
  for (const order of orders) {
    const keys = [...new Set(order.discount_codes.map(normalizeCode))].filter((k) =>
      lojalCodes.has(k),
    );
    if (keys.length === 0) continue;
    const used = await sql<{ id: string; redemption_id: string | null }>`
      WITH candidates AS (
        SELECT id FROM coupons
        WHERE shop_id = ${shopId} AND code_key = ANY(${keys}::text[])
          AND (customer_id IS NULL OR customer_id = ${order.customer_id})
          AND (starts_at IS NULL OR starts_at <= ${order.paid_at})
          AND (expires_at IS NULL OR expires_at > ${order.paid_at})
          AND NOT EXISTS (SELECT 1 FROM coupon_uses u
                          WHERE u.shop_id = coupons.shop_id AND u.coupon_id = coupons.id AND u.order_id = ${order.id})
      )
      UPDATE coupons c SET used_count = c.used_count + 1
      FROM candidates
      WHERE c.shop_id = ${shopId} AND c.id = candidates.id
        AND (c.usage_limit IS NULL OR c.used_count < c.usage_limit)
      RETURNING c.id, c.redemption_id`.execute(tx);
    if (used.rows.length === 0) continue;
    await tx
      .insertInto('coupon_uses')
      .values(
        used.rows.map((c) => ({
          shop_id: shopId,
          coupon_id: c.id,
          order_id: order.id,
          used_at: order.paid_at!,
        })),
      )
      .execute();
    const redemptions = used.rows.flatMap((c) => (c.redemption_id ? [c.redemption_id] : []));
    if (redemptions.length > 0) {
      await tx
        .updateTable('redemptions')
        .set({ status: 'used' })
        .where('shop_id', '=', shopId)
        .where('id', '=', sql<string>`any(${redemptions}::text[])`)
        .execute();
    }
  }
}

export const couponsReaction: Reaction = {
  name: 'coupons',
  on: ['order.paid'],
  react: (tx, _clock, events) => consumeCoupons(tx, events),
};
