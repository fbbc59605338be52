/**
 * What a gift card buyer typed on the product page, read from the order line's properties
 * (Shopify line item `properties`, WooCommerce line item `meta_data`; see docs/gift-cards.md).
 * Keys are compared without case, spaces, dashes, underscores or a leading underscore, so
 * "Recipient email", "recipient_email" and "_recipient-email" are one key. Each field takes the
 * first key of its list that is present: Lojal's own keys, then Shopify's native gift card
 * form (`Recipient email`, `Recipient name`, `Message`, `Send on`), then the PW WooCommerce Gift
 * Cards plugin (`pw_gift_card_to`, …).
 */
export const RECIPIENT_KEYS = {
  email: ['Recipient email', 'pw_gift_card_to'],
  name: ['Recipient name', 'pw_gift_card_recipient_name'],
  message: ['Message', 'Gift message', 'pw_gift_card_message'],
  date: ['Delivery date', 'Send on', 'pw_gift_card_delivery_date'],
} as const;

export interface Recipient {
  email: string | null;
  name: string | null;
  message: string | null;
  /** YYYY-MM-DD in the shop's calendar; null = at once. */
  deliverOn: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_MESSAGE = 500;

function keyOf(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A date as buyers' date pickers write it: 2027-01-14, 14.01.2027, 14/01/2027. */
export function parseDeliveryDate(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const local = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(value);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : local
      ? [Number(local[3]), Number(local[2]), Number(local[1])]
      : [0, 0, 0];
  if (!y) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return check.toISOString().slice(0, 10);
}

export function recipientOf(properties: Record<string, string> | null): Recipient {
  const byKey = new Map(Object.entries(properties ?? {}).map(([k, v]) => [keyOf(k), v.trim()]));
  const first = (keys: readonly string[]) =>
    keys.map((k) => byKey.get(keyOf(k))).find((v) => v !== undefined && v !== '') ?? null;
  const email = first(RECIPIENT_KEYS.email);
  const date = first(RECIPIENT_KEYS.date);
  return {
    email: email && EMAIL.test(email) && email.length <= 254 ? email : null,
    name: first(RECIPIENT_KEYS.name)?.slice(0, 100) ?? null,
    message: first(RECIPIENT_KEYS.message)?.slice(0, MAX_MESSAGE) ?? null,
    deliverOn: date ? parseDeliveryDate(date) : null,
  };
}
