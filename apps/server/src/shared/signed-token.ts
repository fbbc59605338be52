import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A compact signed token for links sent to people (preferences, one-click unsubscribe, survey
 * answers): base64url(JSON payload) + "." + base64url(HMAC-SHA256). Not encrypted — put no
 * secret in the payload — and carrying its own expiry (`exp`, seconds since the epoch) when the
 * link should stop working.
 */
export function signToken(key: Buffer, payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The payload, or null when the token is malformed, forged, or past its `exp`. */
export function verifyToken<T extends Record<string, unknown>>(
  key: Buffer,
  token: string,
  now: Date,
): T | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(key, body), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const exp = (payload as { exp?: unknown }).exp;
  if (typeof exp === 'number' && now.getTime() / 1000 > exp) return null;
  return payload as T;
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
