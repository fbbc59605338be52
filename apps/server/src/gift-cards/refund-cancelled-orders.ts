import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { refundGiftCardSpend } from './spend-gift-card.ts';
import { GIFT_CARDS, openAccounts } from '../points/ledger.ts';

/**
 * A cancelled order gives back what it spent from gift cards, in full, once (the key is the
 * spend). Spends name the shop's own order id, since they happen at checkout.
 */
export async function refundCancelledOrders(tx: Tx, events: DomainEvent[], now: Date) {
  const cancelled = events.filter((e) => e.type === 'order.cancelled');
  if (cancelled.length === 0) return;
  const shopId = cancelled[0]!.shopId;
  const spends = await sql<{ id: string; gift_card_id: string }>`
    SELECT e.id, e.gift_card_id FROM orders o
    JOIN gift_card_entries e ON e.shop_id = o.shop_id AND e.order_id = o.external_id AND e.kind = 'redeem'
    WHERE o.shop_id = ${shopId} AND o.id = ANY(${cancelled.map((e) => e.orderId)}::text[])
    ORDER BY e.id`.execute(tx);
  // All the cards' accounts at once, in order, as every other writer locks them.
  await openAccounts(
    tx,
    shopId,
    spends.rows.map((s) => s.gift_card_id),
    { book: GIFT_CARDS },
  );
  for (const spend of spends.rows) {
    await refundGiftCardSpend(tx, shopId, spend.id, null, `refund:${spend.id}:cancel`, now);
  }
}

export const giftCardsReaction: Reaction = {
  name: 'gift-cards',
  on: ['order.cancelled'],
  react: (tx, clock, events) => refundCancelledOrders(tx, events, clock.now()),
};
