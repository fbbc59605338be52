import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { isLocale } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';
import { addMonths } from '../shared/zoned-time.ts';
import { giftCardProductsById } from './gift-card-products.ts';
import { issueGiftCardIn } from './issue-gift-card.ts';
import { recipientOf } from './line-properties.ts';
import { deliveryTime, scheduleDelivery } from './schedule-delivery.ts';
import { voidGiftCard } from './void-gift-card.ts';

const ACTOR = 'system:order';

interface OrderLineRow {
  order_id: string;
  order_external_id: string;
  email: string | null;
  currency: string;
  cancelled_at: Date | null;
  position: number;
  external_id: string | null;
  product_id: string | null;
  variant_id: string | null;
  quantity: number;
  unit_price: number;
  properties: Record<string, string> | null;
  timezone: string;
  locale: string;
}

/** A line's key in the sale's unique key: the platform's line id, else its position. */
function lineKey(line: { external_id: string | null; position: number }): string {
  return line.external_id ?? `#${line.position}`;
}

/**
 * Issues a card for each paid line of a gift card product: the variant's fixed value or the
 * line's unit price, times its quantity. The line first claims its sale row (unique on shop,
 * order and line): a duplicate or concurrent delivery of the order finds the claim taken and
 * issues nothing. The voucher e-mail is booked in the same transaction.
 */
export async function issueForPaidOrders(
  tx: Tx,
  shopId: string,
  orderIds: string[],
  now: Date,
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const { rows } = await sql<OrderLineRow>`
    SELECT o.id AS order_id, o.external_id AS order_external_id, o.email, o.currency,
           o.cancelled_at, l.position, l.external_id, l.product_id, l.variant_id, l.quantity,
           l.unit_price::bigint AS unit_price, l.properties, s.timezone, s.locale
    FROM orders o
    JOIN shops s ON s.id = o.shop_id
    JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id
    JOIN gift_card_products g ON g.shop_id = l.shop_id AND g.product_id = l.product_id
    WHERE o.shop_id = ${shopId}
      AND o.id = ANY(${orderIds}::text[]) AND o.cancelled_at IS NULL
    ORDER BY o.id, l.position`.execute(tx);
  if (rows.length === 0) return 0;
  const products = await giftCardProductsById(tx, shopId, [
    ...new Set(rows.map((r) => r.product_id!)),
  ]);
  let issued = 0;
  for (const line of rows) {
    const product = products.get(line.product_id!)!;
    const unit =
      product.amounts === 'fixed'
        ? // a product without variants is keyed by its own id
          (product.variant_amounts[line.variant_id ?? line.product_id!] ?? null)
        : Number(line.unit_price);
    const amount = unit === null ? 0 : unit * line.quantity;
    if (amount <= 0) continue;
    const recipient = recipientOf(line.properties);
    const to = recipient.email ?? line.email;
    const sendAt = to ? deliveryTime(recipient.deliverOn, line.timezone, now) : null;
    const id = newId('gft');
    const claimed = await tx
      .insertInto('gift_card_sales')
      .values({
        shop_id: shopId,
        gift_card_id: id,
        channel: 'online',
        order_id: line.order_id,
        line_key: lineKey(line),
        amount,
        currency: line.currency,
        buyer_email: line.email,
        recipient_name: recipient.name,
        recipient_email: to,
        message: recipient.message,
        locale: isLocale(line.locale) ? line.locale : 'pl',
        send_at: sendAt,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'order_id', 'line_key']).doNothing())
      .returning('gift_card_id')
      .executeTakeFirst();
    if (!claimed) continue;
    // The code made here is never shown: the delivery gives the card a fresh one it sends.
    await issueGiftCardIn(tx, shopId, {
      id,
      amount,
      currency: line.currency,
      expiresAt: product.valid_months ? addMonths(now, product.valid_months) : null,
      actor: ACTOR,
      at: now,
      orderId: line.order_external_id,
    });
    if (sendAt) await scheduleDelivery(tx, { shopId, giftCardId: id }, sendAt);
    issued++;
  }
  return issued;
}

/**
 * A refund of a card's line (named with the refund, or later: order.lines-refunded), a refund
 * of the whole order, or its cancellation voids the cards those lines issued (what was spent
 * stays spent). Voiding twice is nothing: only sales not voided yet are read.
 */
export async function voidForOrderChanges(
  tx: Tx,
  events: DomainEvent[],
  now: Date,
): Promise<number> {
  let voided = 0;
  for (const event of events) {
    if (
      event.type !== 'order.refunded' &&
      event.type !== 'order.cancelled' &&
      event.type !== 'order.lines-refunded'
    ) {
      continue;
    }
    const order = await tx
      .selectFrom('orders')
      .select(['external_id', 'total', 'refunded_amount'])
      .where('shop_id', '=', event.shopId)
      .where('id', '=', event.orderId)
      .executeTakeFirst();
    if (!order) continue;
    const whole =
      event.type === 'order.cancelled' || Number(order.refunded_amount) >= Number(order.total);
    const lines = event.type === 'order.cancelled' ? [] : (event.lineIds ?? []);
    if (!whole && lines.length === 0) continue;
    let sales = tx
      .selectFrom('gift_card_sales')
      .select('gift_card_id')
      .where('shop_id', '=', event.shopId)
      .where('order_id', '=', event.orderId)
      .where('voided_at', 'is', null);
    if (!whole) sales = sales.where('line_key', 'in', lines);
    for (const sale of await sales.orderBy('gift_card_id').execute()) {
      await voidGiftCard(tx, event.shopId, sale.gift_card_id, {
        at: now,
        orderId: order.external_id,
        actor: ACTOR,
      });
      await tx
        .updateTable('gift_card_sales')
        .set({ voided_at: now })
        .where('shop_id', '=', event.shopId)
        .where('gift_card_id', '=', sale.gift_card_id)
        .execute();
      voided++;
    }
  }
  return voided;
}

export const giftCardSalesReaction: Reaction = {
  name: 'gift-card-sales',
  on: ['order.paid', 'order.refunded', 'order.lines-refunded', 'order.cancelled'],
  react: async (tx, clock, events) => {
    const now = clock.now();
    // In the batch's order: a card paid and refunded in one batch is issued, then voided.
    const paid = events.filter((e) => e.type === 'order.paid');
    if (paid.length > 0) {
      await issueForPaidOrders(
        tx,
        paid[0]!.shopId,
        paid.map((e) => e.orderId),
        now,
      );
    }
    await voidForOrderChanges(tx, events, now);
  },
};
