import { randomInt } from 'node:crypto';
import { safeEqual, sha256 } from '../shared/secrets.ts';

/** Six digits, uniformly random: what a holder types with the code on the balance page. */
export function newGiftCardPin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * What a card keeps of its PIN: the SHA-256 of the shop, the card and the PIN. A PIN alone is
 * guessable offline from this hash (a million tries), so it protects only together with the
 * code's own 65-bit hash and the balance page's limit on wrong attempts (docs/gift-cards.md).
 */
export function giftCardPinHash(shopId: string, giftCardId: string, pin: string): Buffer {
  return sha256(`${shopId}:${giftCardId}:${pin.trim()}`);
}

export function pinMatches(
  stored: Buffer | null,
  shopId: string,
  giftCardId: string,
  pin: string,
): boolean {
  if (!stored) return false;
  return safeEqual(
    stored.toString('hex'),
    giftCardPinHash(shopId, giftCardId, pin).toString('hex'),
  );
}
