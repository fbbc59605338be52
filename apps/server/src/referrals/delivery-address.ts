import type { Kysely } from 'kysely';
import type { Database, ShippingAddress } from '../db/schema.ts';

// Words that name the kind of street, not the street: "ul. Długa" and "Długa" are one place.
const STREET_WORDS = new Set([
  'ul',
  'ulica',
  'al',
  'aleja',
  'aleje',
  'pl',
  'plac',
  'os',
  'osiedle',
  'st',
  'street',
  'rd',
  'road',
  'ave',
  'avenue',
]);
// Words before a flat number: "12 m. 3", "12 lok. 3" and "12/3" are one flat.
const FLAT_WORDS =
  /\b(?:m|mieszk|mieszkanie|mieszkania|lok|lokal|lokalu|apt|apartment|flat)\s*(?:nr\s*)?(?=\d)/g;
// A second address line that is only the flat ("3", "3a", "nr 3"): platforms' "apartment" field.
const BARE_FLAT = /^\s*(?:nr\.?\s*)?\d+\s*[a-z]?\s*$/i;

function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase();
}

/**
 * An address reduced to what tells places apart: no case, diacritics, punctuation, street
 * words (ul., al., os. …) or flat markers (m., lok.); the postal code as digits only.
 */
export function addressKey(address: ShippingAddress): string {
  const line2 = address.line2 ?? '';
  const flat = BARE_FLAT.test(line2) ? `/${line2.replace(/nr\.?/i, '')}` : line2;
  const street = plain(`${address.line1} ${flat}`)
    .replace(/[.,;:"'()#]/g, ' ')
    .replace(FLAT_WORDS, '/')
    .split(/\s+/)
    .filter((word) => word !== '' && !STREET_WORDS.has(word))
    .join(' ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/(\d)\s+([a-z])\b/g, '$1$2');
  const city = plain(address.city)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const postal = address.postalCode.replace(/\D/g, '') || plain(address.postalCode).trim();
  return [address.country.toUpperCase(), postal, city, street].join('|');
}

/** Whether the friend's delivery address is one the referrer's own orders went to. */
export async function deliveredToReferrer(
  db: Kysely<Database>,
  shopId: string,
  referrerId: string,
  address: ShippingAddress | null,
): Promise<boolean> {
  if (!address) return false;
  const rows = await db
    .selectFrom('orders')
    .select('shipping_address')
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', referrerId)
    .where('shipping_address', 'is not', null)
    .orderBy('placed_at', 'desc')
    .limit(100)
    .execute();
  const key = addressKey(address);
  return rows.some((r) => r.shipping_address && addressKey(r.shipping_address) === key);
}
