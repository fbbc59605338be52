import { createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 'LJC1';
const PAYLOAD = /^LJC1\.(shp_[0-9a-z]{1,40})\.(cus_[0-9a-z]{1,40})\.([\w-]{22})$/;
// Keeps a card's MAC apart from the phone payloads' MACs made with the same shop key.
const DOMAIN = 'printed-card:';

/**
 * The QR code printed on a customer's loyalty card: `LJC1.<shop>.<customer>.<MAC>`. Paper
 * cannot change, so unlike the phone's payload (stamp-qr.ts) it has no expiry and no nonce: it
 * names the customer, signed with the shop's key (128-bit tag), so it cannot be forged or moved
 * to another shop or customer. A replay is bounded by the card's daily limit, as a paper card is.
 */
export function signCardPayload(key: Buffer, shopId: string, customerId: string): string {
  const body = `${VERSION}.${shopId}.${customerId}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export function isCardPayload(payload: string): boolean {
  return payload.trim().startsWith(`${VERSION}.`);
}

/** Which shop a card payload claims to be from, read before its key is known; null if malformed. */
export function cardShopId(payload: string): string | null {
  return PAYLOAD.exec(payload.trim())?.[1] ?? null;
}

/** Lojal's customer id the card names, or null when it is malformed or not signed by this key. */
export function verifyCardPayload(key: Buffer, payload: string): string | null {
  const match = PAYLOAD.exec(payload.trim());
  if (!match) return null;
  const [, shopId, customerId, signature] = match as unknown as [string, string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, `${VERSION}.${shopId}.${customerId}`);
  return given.length === expected.length && timingSafeEqual(given, expected) ? customerId : null;
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key)
    .update(DOMAIN + body)
    .digest()
    .subarray(0, 16);
}
