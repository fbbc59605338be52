import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a customer's stamp QR code can be scanned: long enough to queue at the till. */
export const QR_TTL_SECONDS = 180;

const VERSION = 'LJS1';
const PAYLOAD =
  /^LJS1\.(shp_[0-9a-z]{1,40})\.(cus_[0-9a-z]{1,40})\.([0-9a-z]{1,10})\.([\w-]{22})\.([\w-]{43})$/;

export interface QrClaims {
  shopId: string;
  customerId: string; // Lojal's id
  nonce: string;
  expiresAt: Date;
}

/**
 * `LJS1.<shop>.<customer>.<expiry, unix seconds base 36>.<nonce>.<HMAC-SHA256>`: URL-safe text
 * of ~150 characters, small enough for a QR code a phone shows at arm's length.
 */
export function signQrPayload(key: Buffer, shopId: string, customerId: string, now: Date) {
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + QR_TTL_SECONDS) * 1000);
  const nonce = randomBytes(16).toString('base64url');
  const body = `${VERSION}.${shopId}.${customerId}.${(expiresAt.getTime() / 1000).toString(36)}.${nonce}`;
  return { payload: `${body}.${mac(key, body).toString('base64url')}`, nonce, expiresAt };
}

/** Which shop a payload claims to be from, read before its key is known; null if malformed. */
export function qrShopId(payload: string): string | null {
  return PAYLOAD.exec(payload.trim())?.[1] ?? null;
}

export type QrCheck =
  { ok: true; claims: QrClaims } | { ok: false; reason: 'qr-invalid' | 'qr-expired' };

/** The signature first, in constant time, then the expiry: a forged payload learns nothing. */
export function verifyQrPayload(key: Buffer, payload: string, now: Date): QrCheck {
  const match = PAYLOAD.exec(payload.trim());
  if (!match) return { ok: false, reason: 'qr-invalid' };
  const [, shopId, customerId, expiry, nonce, signature] = match as unknown as string[];
  const body = payload.trim().slice(0, -(signature!.length + 1));
  const given = Buffer.from(signature!, 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'qr-invalid' };
  }
  const expiresAt = new Date(parseInt(expiry!, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'qr-expired' };
  return {
    ok: true,
    claims: { shopId: shopId!, customerId: customerId!, nonce: nonce!, expiresAt },
  };
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}
