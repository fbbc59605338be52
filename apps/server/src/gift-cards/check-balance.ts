import type { Db } from '../db/connect.ts';
import { giftCardCodeHash } from './gift-card-code.ts';
import { pinMatches } from './gift-card-pin.ts';
import { giftCardView } from './gift-card-view.ts';

/**
 * A holder's balance check: the card when both the code and its PIN are right, else null. An
 * unknown code and a wrong PIN give the same null (and the same work), so the answer never says
 * whether a code exists.
 */
export async function checkGiftCardBalance(
  db: Db,
  shopId: string,
  input: { code: string; pin: string },
  now: Date,
) {
  const card = await db
    .selectFrom('gift_cards')
    .select(['id', 'pin_hash'])
    .where('shop_id', '=', shopId)
    .where('code_hash', '=', giftCardCodeHash(shopId, input.code))
    .executeTakeFirst();
  const right = pinMatches(card?.pin_hash ?? null, shopId, card?.id ?? '', input.pin);
  if (!card || !right) return null;
  const view = await giftCardView(db, shopId, input.code, now);
  return {
    maskedCode: view.maskedCode,
    balance: view.balance,
    expiresAt: view.expiresAt,
    status: view.status,
  };
}
