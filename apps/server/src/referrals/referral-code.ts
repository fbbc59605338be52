import { CODE_ALPHABET, normalizeCode } from '../coupons/coupon-code.ts';
import { randomInt } from 'node:crypto';

/**
 * A readable referral code: the first name (letters only, without Polish diacritics, up to 10)
 * or LOJAL, a dash and 4 symbols without look-alikes, e.g. ANNA-7KQ3. Each retry after a
 * collision draws one symbol more, so a crowded prefix (many nameless customers) never runs out.
 */
export function newReferralCode(firstName: string | null, extra = 0): string {
  const name = (firstName ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'L')
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 10);
  let tail = '';
  for (let i = 0; i < 4 + extra; i++) tail += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${name.length >= 2 ? name : 'LOJAL'}-${tail}`;
}

export { normalizeCode as referralCodeKey };

/**
 * The link Lojal hands out for a referral or affiliate code: it names the shop, so another
 * shop's code can never take it over (codes are unique only within a shop).
 */
export function referralLink(publicUrl: string, shopSlug: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/r/${encodeURIComponent(shopSlug)}/${encodeURIComponent(code)}`;
}

/** E-mails compared the way mailboxes are: case, and for Gmail-style hosts dots and +tags. */
export function normalizeEmail(email: string | null): string | null {
  if (!email) return null;
  const [local = '', host = ''] = email.trim().toLowerCase().split('@');
  const plain = local.split('+')[0]!;
  const gmail = host === 'gmail.com' || host === 'googlemail.com';
  return `${gmail ? plain.replace(/\./g, '') : plain}@${gmail ? 'gmail.com' : host}`;
}

/** Phones compared by their last 9 digits (a Polish number without +48 or 0048). */
export function normalizePhone(phone: string | null): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-9) : null;
}
