import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { availablePoints, debit, reverseDebit } from '../points/account.ts';
import { GIFT_CARDS, openAccounts, saveAccounts } from '../points/ledger.ts';
import type { Tx } from '../db/connect.ts';
import { findGiftCard } from './gift-card-view.ts';

/**
 * Spends part of a card's balance, oldest money first. With an order id the spend is once per
 * order and card: a retried checkout gets the first spend back, not a second one.
 */
export async function spendGiftCard(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { code: string; amount: number; currency: string; orderId?: string; actor: string },
) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const card = await findGiftCard(tx, shop.id, input.code);
    if (card.disabled_at)
      throw problems.unprocessable(
        'gift-card-disabled',
        'Gift card disabled',
        'The gift card is disabled.',
      );
    if (input.currency !== card.currency) {
      throw problems.validation([{ path: 'currency', message: `the card is in ${card.currency}` }]);
    }
    // Once per order and card: an order may be paid with two cards.
    const key = input.orderId ? `spend:order:${input.orderId}:${card.id}` : `spend:${newId('led')}`;
    const accounts = await openAccounts(tx, shop.id, [card.id], {
      book: GIFT_CARDS,
      withLots: [card.id],
      keys: [key],
    });
    const account = accounts.get(card.id)!;
    const entry = debit(account, {
      points: input.amount,
      kind: 'redeem',
      cause: 'order',
      orderId: input.orderId ?? null,
      actor: input.actor,
      key,
      at: now,
    });
    if (entry === null) {
      const first = await tx
        .selectFrom('gift_card_entries')
        .select(['id', 'points', 'balance_after'])
        .where('shop_id', '=', shop.id)
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      return {
        spendId: first.id,
        amount: -first.points,
        balanceAfter: first.balance_after,
        currency: card.currency,
      };
    }
    if (entry === 'insufficient') {
      throw problems.unprocessable(
        'insufficient-balance',
        'Not enough on the card',
        `The card has ${Math.max(0, availablePoints(account, now))} ${card.currency} minor units available.`,
      );
    }
    await saveAccounts(tx, [account], now, GIFT_CARDS);
    return {
      spendId: entry.id,
      amount: input.amount,
      balanceAfter: entry.balanceAfter,
      currency: card.currency,
    };
  });
}

/**
 * Credits a spend back to the card (a returned order), in full or in part, to the lots it was
 * taken from; never more than what is left of the spend. `key` makes a retry harmless.
 */
export async function refundGiftCardSpend(
  tx: Tx,
  shopId: string,
  spendId: string,
  amount: number | null,
  key: string,
  now: Date,
  options: { giftCardId?: string } = {},
) {
  const spend = await tx
    .selectFrom('gift_card_entries')
    .select(['id', 'gift_card_id', 'points', 'order_id', 'kind'])
    .where('shop_id', '=', shopId)
    .where('id', '=', spendId)
    .executeTakeFirst();
  if (!spend || spend.kind !== 'redeem') throw problems.notFound(`Spend ${spendId}`);
  if (options.giftCardId !== undefined && spend.gift_card_id !== options.giftCardId) {
    throw problems.notFound(`Spend ${spendId} of this card`);
  }
  // Lock the card's account before reading what was refunded: two refunds of one spend at
  // once must see each other.
  await openAccounts(tx, shopId, [spend.gift_card_id], { book: GIFT_CARDS });
  const allocations = await tx
    .selectFrom('gift_card_allocations')
    .select(['lot_id', 'points'])
    .where('shop_id', '=', shopId)
    .where('entry_id', '=', spendId)
    .orderBy('lot_id')
    .execute();
  const { rows } = await sql<{ refunded: number }>`
    SELECT COALESCE(sum(points), 0)::bigint AS refunded FROM gift_card_entries
    WHERE shop_id = ${shopId} AND reverses_entry_id = ${spendId} AND kind = 'reverse'`.execute(tx);
  const left = -spend.points - rows[0]!.refunded;
  const wanted = amount === null ? left : amount;
  if (wanted > left) {
    throw problems.unprocessable(
      'refund-too-large',
      'Refund too large',
      `At most ${left} can still be refunded.`,
    );
  }
  if (wanted <= 0) return null;
  // Earlier refunds gave back the first lots first; this one continues where they stopped.
  let skip = rows[0]!.refunded;
  let take = wanted;
  const back: Array<{ lotId: string; points: number }> = [];
  for (const a of allocations) {
    const free = Math.max(0, a.points - skip);
    skip = Math.max(0, skip - a.points);
    const n = Math.min(free, take);
    if (n > 0) back.push({ lotId: a.lot_id, points: n });
    take -= n;
  }
  const accounts = await openAccounts(tx, shopId, [spend.gift_card_id], {
    book: GIFT_CARDS,
    withLots: [spend.gift_card_id],
    lotIds: back.map((b) => b.lotId),
    keys: [key],
  });
  const entry = reverseDebit(accounts.get(spend.gift_card_id)!, {
    original: { id: spend.id, orderId: spend.order_id, redemptionId: null },
    allocations: back,
    key,
    at: now,
    reason: 'refund',
  });
  await saveAccounts(tx, accounts.values(), now, GIFT_CARDS);
  return entry;
}
