import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): 25 symbols. */
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/**
 * A coupon code nobody can guess: `prefix` then `length` symbols drawn with a CSPRNG, in
 * groups of four for reading aloud. 14 symbols of 25 carry 65 bits.
 */
export function newCouponCode(prefix = 'LJ', length = 14): string {
  let body = '';
  for (let i = 0; i < length; i++) body += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const groups = body.match(/.{1,4}/g)!.join('-');
  return prefix ? `${prefix}-${groups}` : groups;
}

/** How codes are compared: case, spaces and the dashes people add or drop do not matter. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
