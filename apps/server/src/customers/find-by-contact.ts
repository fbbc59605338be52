import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { phonePrefixes } from './search-customers.ts';

export interface ContactMatch {
  id: string; // the shop's own id
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** A printed card's number (Lojal's id, printed in groups of four: "cus_ 0a1b 2c3d …"). */
function cardNumberOf(q: string): string | null {
  const compact = q.replace(/\s+/g, '').toLowerCase();
  return /^cus_[0-9a-z]{1,40}$/.test(compact) ? compact : null;
}

/**
 * Customers whose phone, e-mail or printed card number is exactly what was typed: what a person
 * at a counter may look a customer up by (never a name or a prefix, so typing a letter or two
 * lists nobody). Erased customers are not found.
 */
export async function findCustomersByContact(
  db: Db,
  shop: ShopRow,
  text: string,
  limit = 5,
): Promise<ContactMatch[]> {
  const q = text.trim();
  if (q === '') return [];
  const card = cardNumberOf(q);
  const phones = phonePrefixes(q, shop).filter((p) => p.replace(/\D/g, '').length >= 8);
  const email = q.includes('@') ? q.toLowerCase() : null;
  if (!card && phones.length === 0 && !email) return [];
  const rows = await db
    .selectFrom('customers')
    .select(['external_id', 'email', 'phone', 'first_name', 'last_name'])
    .where('shop_id', '=', shop.id)
    .where('redacted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(card ? [eb('id', '=', card)] : []),
        ...(email ? [eb(eb.fn('lower', ['email']), '=', email)] : []),
        ...(phones.length > 0 ? [eb('phone', 'in', phones)] : []),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.external_id,
    email: r.email,
    phone: r.phone,
    firstName: r.first_name,
    lastName: r.last_name,
  }));
}
