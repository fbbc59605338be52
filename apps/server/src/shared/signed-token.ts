import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where signing keys come from: the app's SecretBox (`ctx.box`) fits. */
export interface SigningKeys {
  signingKey(purpose: string): Buffer;
}

/**
 * What a link is for. Each purpose signs with its own key, so a token made for one purpose
 * never verifies as another: an open-pixel token, which image proxies and scanners see, opens
 * no preferences page.
 */
export type TokenPurpose =
  | 'survey'
  | 'review'
  | 'message-open'
  | 'message-click'
  | 'message-preferences'
  | 'message-unsubscribe'
  | 'account-invitation'
  | 'password-reset'
  | 'popup-confirm';

/**
 * The one key of message links made before purposes (one token for the pixel, preferences and
 * unsubscribe links of a message): verified only, see automations/message-links.ts.
 */
export type LegacyTokenPurpose = 'messages';

/**
 * A compact signed token for links sent to people (preferences, one-click unsubscribe, survey
 * answers): base64url(JSON payload) + "." + base64url(HMAC-SHA256). Not encrypted — put no
 * secret in the payload — and carrying its own expiry (`exp`, seconds since the epoch) when the
 * link should stop working.
 */
export function signToken(
  keys: SigningKeys,
  purpose: TokenPurpose,
  payload: Record<string, unknown>,
): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(keys.signingKey(purpose), body)}`;
}

/**
 * The payload, or null when the token is malformed, forged, made for another purpose, or past
 * its `exp`. The signature must be exactly the one made: base64url decoding is lenient (a
 * trailing "=" or stray character still decodes), so strings are compared, not bytes.
 */
export function verifyToken<T extends Record<string, unknown>>(
  keys: SigningKeys,
  purpose: TokenPurpose | LegacyTokenPurpose,
  token: string,
  now: Date,
): T | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(keys.signingKey(purpose), body));
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
