import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { normalizeCode } from './coupon-code.ts';
import { decideCoupon } from './coupon-decision.ts';
import { customerContext } from './customer-context.ts';
import { findCoupons } from './find-coupon.ts';

/**
 * A paid order that carries Lojal coupon codes uses them, when the code's terms accept the
 * order as checkout validation would: one use per order and code, counted with guarded
 * updates (usage limit, campaign budget), so a one-use code is taken by exactly one order
 * however many race for it. The processor applies one shop's batch at a time, so a customer's
 * uses of a campaign are counted without a race.
 */
export async function consumeCoupons(tx: Tx, events: DomainEvent[]): Promise<void> {
  const paid = events.filter((e) => e.type === 'order.paid');
  if (paid.length === 0) return;
  const shopId = paid[0]!.shopId;
  const orders = await tx
    .selectFrom('orders')
    .select([
      'id',
      'customer_id',
      'discount_codes',
      'paid_at',
      'currency',
      'total',
      'shipping',
      'tax',
    ])
    .where('shop_id', '=', shopId)
    .where('id', '=', sql<string>`any(${paid.map((e) => e.orderId)}::text[])`)
    .where(sql<boolean>`cardinality(discount_codes) > 0`)
    // an order cancelled before its payment reached Lojal uses nothing
    .where('cancelled_at', 'is', null)
    .orderBy('paid_at')
    .orderBy('id')
    .execute();
  if (orders.length === 0) return;
  // Most codes on orders are the shop's own; one query finds which of them are Lojal's.
  const known = await findCoupons(
    tx,
    shopId,
    orders.flatMap((o) => o.discount_codes),
  );
  const mine = orders.filter((o) => o.discount_codes.some((c) => known.has(normalizeCode(c))));
  if (mine.length === 0) return;
  const shop = await tx
    .selectFrom('shops')
    .select(['id', 'currency', 'timezone'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const lines = await tx
    .selectFrom('order_lines')
    .select(['order_id', 'product_id', 'category_ids', 'quantity', 'unit_price'])
    .where('shop_id', '=', shopId)
    .where('order_id', '=', sql<string>`any(${mine.map((o) => o.id)}::text[])`)
    .execute();

  for (const order of mine) {
    const keys = [...new Set(order.discount_codes.map(normalizeCode))].filter((k) => known.has(k));
    // Re-read under a row lock: an earlier order of this batch may have used them.
    const coupons = await findCoupons(tx, shopId, keys, { lock: true });
    const applied = [...coupons.values()];
    for (const coupon of applied) {
      const cart = {
        currency: order.currency,
        total: order.total - (order.shipping ?? 0) - (order.tax ?? 0),
        lines: lines
          .filter((l) => l.order_id === order.id)
          .map((l) => ({
            productId: l.product_id ?? '',
            categoryIds: l.category_ids,
            quantity: l.quantity,
            price: l.unit_price,
          })),
      };
      const others = applied
        .filter((c) => c !== coupon)
        .map((c) => ({ stackable: c.campaign?.stackable ?? false }));
      const decision = decideCoupon(coupon, {
        customer: await customerContext(
          tx,
          shop,
          coupon,
          order.customer_id,
          order.paid_at!,
          order.id,
        ),
        cart: { ...cart, lines: cart.lines.length > 0 ? cart.lines : undefined },
        now: order.paid_at!,
        otherCodes: others,
      });
      if (!decision.valid) continue;
      const use = await sql`
        INSERT INTO coupon_uses (shop_id, coupon_id, order_id, used_at, customer_id, campaign_id, discount_amount)
        VALUES (${shopId}, ${coupon.id}, ${order.id}, ${order.paid_at}, ${order.customer_id},
                ${coupon.campaignId}, ${decision.discount.amount})
        ON CONFLICT DO NOTHING`.execute(tx);
      if (Number(use.numAffectedRows ?? 0) === 0) continue; // this order used it already
      await sql`
        UPDATE coupons SET used_count = used_count + 1
        WHERE shop_id = ${shopId} AND id = ${coupon.id}`.execute(tx);
      if (coupon.campaignId) {
        await sql`
          UPDATE coupon_campaigns SET uses = uses + 1, budget_used = budget_used + ${decision.discount.amount}
          WHERE shop_id = ${shopId} AND id = ${coupon.campaignId}`.execute(tx);
      }
      if (coupon.redemptionId) {
        await tx
          .updateTable('redemptions')
          .set({ status: 'used' })
          .where('shop_id', '=', shopId)
          .where('id', '=', coupon.redemptionId)
          .execute();
      }
      coupon.usedCount += 1;
      // The next code of the same campaign on this order sees what this one took.
      for (const other of applied) {
        if (other.campaign && other.campaignId === coupon.campaignId) {
          other.campaign.budgetUsed += decision.discount.amount;
        }
      }
    }
  }
}

export const couponsReaction: Reaction = {
  name: 'coupons',
  on: ['order.paid', 'order.cancelled', 'order.refunded'],
  react: async (tx, clock, events) => {
    await consumeCoupons(tx, events);
    await releaseCouponUses(tx, clock.now(), events);
  },
};

/**
 * A cancelled or fully refunded order gives its coupon uses back (when the campaign says so;
 * reward coupons always): the code can be used again and the budget regains the discount.
 */
export async function releaseCouponUses(tx: Tx, now: Date, events: DomainEvent[]): Promise<void> {
  const orderIds = events.flatMap((e) =>
    e.type === 'order.cancelled' || e.type === 'order.refunded' ? [e.orderId] : [],
  );
  if (orderIds.length === 0) return;
  const shopId = events[0]!.shopId;
  const released = await sql<{
    coupon_id: string;
    campaign_id: string | null;
    discount_amount: number;
  }>`
    UPDATE coupon_uses u SET released_at = ${now}
    FROM orders o
    WHERE u.shop_id = ${shopId} AND u.order_id = ANY(${orderIds}::text[]) AND u.released_at IS NULL
      AND o.shop_id = u.shop_id AND o.id = u.order_id
      AND (o.cancelled_at IS NOT NULL OR o.refunded_amount >= o.total)
      AND NOT EXISTS (SELECT 1 FROM coupon_campaigns c WHERE c.shop_id = u.shop_id
                      AND c.id = u.campaign_id AND NOT c.return_use_on_cancel)
    RETURNING u.coupon_id, u.campaign_id, u.discount_amount`.execute(tx);
  for (const use of released.rows) {
    await sql`UPDATE coupons SET used_count = used_count - 1
              WHERE shop_id = ${shopId} AND id = ${use.coupon_id}`.execute(tx);
    if (use.campaign_id) {
      await sql`
        UPDATE coupon_campaigns SET uses = uses - 1, budget_used = budget_used - ${use.discount_amount}
        WHERE shop_id = ${shopId} AND id = ${use.campaign_id}`.execute(tx);
    }
    await sql`
      UPDATE redemptions SET status = 'issued'
      FROM coupons k WHERE k.shop_id = ${shopId} AND k.id = ${use.coupon_id}
        AND redemptions.shop_id = k.shop_id AND redemptions.id = k.redemption_id
        AND redemptions.status = 'used'`.execute(tx);
  }
}
