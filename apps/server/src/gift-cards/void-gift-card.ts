import type { Tx } from '../db/connect.ts';
import { availablePoints, debit } from '../points/account.ts';
import { GIFT_CARDS, openAccounts, saveAccounts } from '../points/ledger.ts';

/**
 * Voids what is left on a card (its sale was refunded or cancelled): one `adjust` entry of the
 * unused balance, reason `voided`, so the card's history shows it; what was spent stays spent.
 * The card is disabled. Once per card (the entry's key); null when nothing was left.
 */
export async function voidGiftCard(
  tx: Tx,
  shopId: string,
  giftCardId: string,
  input: { at: Date; orderId: string | null; actor: string },
) {
  const key = `void:${giftCardId}`;
  const accounts = await openAccounts(tx, shopId, [giftCardId], {
    book: GIFT_CARDS,
    withLots: [giftCardId],
    keys: [key],
  });
  const account = accounts.get(giftCardId)!;
  const left = Math.max(0, availablePoints(account, input.at));
  await tx
    .updateTable('gift_cards')
    .set({ disabled_at: input.at })
    .where('shop_id', '=', shopId)
    .where('id', '=', giftCardId)
    .where('disabled_at', 'is', null)
    .execute();
  if (left === 0) return null;
  const entry = debit(account, {
    points: left,
    kind: 'adjust',
    cause: 'adjustment',
    reason: 'voided',
    orderId: input.orderId,
    actor: input.actor,
    key,
    at: input.at,
  });
  if (entry === null || entry === 'insufficient') return null;
  await saveAccounts(tx, [account], input.at, GIFT_CARDS);
  return entry;
}
