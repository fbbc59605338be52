import { normalizeCode } from '../coupons/coupon-code.ts';
import { sha256 } from '../shared/secrets.ts';

/**
 * What a card keeps of its code: the SHA-256 of the shop id and the code as codes are compared
 * (case, spaces and dashes do not matter), to find it by, and the last four characters, to show.
 * Migration 0023 computes the same in SQL for cards issued before it. docs/points.md says why a
 * plain hash suffices for generated codes (65 bits).
 */
export function giftCardCodeHash(shopId: string, code: string): Buffer {
  return sha256(`${shopId}:${normalizeCode(code)}`);
}

export function giftCardCodeHint(code: string): string {
  return `…${normalizeCode(code).slice(-4)}`;
}
