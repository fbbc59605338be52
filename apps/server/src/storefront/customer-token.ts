import { z } from 'zod';
import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/** Who a storefront request speaks for: the shop's own customer id and what the token said. */
export interface StorefrontCustomer {
  externalId: string;
  email: string | null;
  firstName: string | null;
  via: 'token' | 'portal' | 'app-proxy';
}

/** API.md: a customer token lives at most 24 hours after it was issued. */
export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;
/** Clocks of the shop's backend and Lojal may disagree this much. */
const CLOCK_TOLERANCE_S = 60;
/** The issuer of the portal's own tokens; a shop's backend never uses it. */
export const PORTAL_ISSUER = 'lojal:portal';

export type TokenRefusal =
  'malformed' | 'no-secret' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'claims';

const REFUSALS: Record<TokenRefusal, string> = {
  malformed: 'The customer token is not a JWT.',
  'no-secret':
    'The shop has no storefront secret yet: make one with POST /v1/storefront/secret and sign ' +
    'customer tokens with it.',
  'bad-signature':
    "The customer token's signature does not match this shop's storefront secret (HS256).",
  expired: 'The customer token has expired.',
  'not-yet-valid': 'The customer token is not valid yet (iat or nbf in the future).',
  claims:
    'The customer token needs `sub` (the shop’s customer id, a string), `iat` and `exp` at most ' +
    '24 hours after `iat`.',
};

export function refusalDetail(refusal: TokenRefusal): string {
  return REFUSALS[refusal];
}

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max
    ? value.trim()
    : null;
}

/** The claims Lojal reads, checked; a refusal when any is missing or out of bounds. */
function customerOf(
  payload: JWTPayload,
  via: StorefrontCustomer['via'],
  now: Date,
): StorefrontCustomer | TokenRefusal {
  const sub = str(payload.sub, 255);
  const { iat, exp } = payload;
  if (sub === null || typeof iat !== 'number' || typeof exp !== 'number') return 'claims';
  // Issued in the future, or for longer than a day: either would make a token live for years.
  if (iat > now.getTime() / 1000 + CLOCK_TOLERANCE_S) return 'not-yet-valid';
  if (exp <= iat || exp - iat > MAX_TOKEN_LIFETIME_S) return 'claims';
  const email = str(payload.email, 320);
  return {
    externalId: sub,
    email: email && z.email().safeParse(email).success ? email : null,
    firstName: str(payload.firstName, 100),
    via,
  };
}

/**
 * Verifies a customer token: HS256 only, signed with one of the shop's live storefront secrets
 * (or, for the portal's own tokens, the shop's portal key), not expired, and at most 24 hours
 * long. Tokens of another shop fail the signature: each shop has its own secret and key.
 */
export async function verifyCustomerToken(
  token: string,
  keys: {
    /** The shop's live secrets; `fresh` reads past any cache (after a rotation elsewhere). */
    secrets: (fresh: boolean) => Promise<Uint8Array[]>;
    portalKey: Uint8Array;
    shopId: string;
  },
  now: Date,
): Promise<StorefrontCustomer | TokenRefusal> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    return 'malformed';
  }
  const portal = unverified.iss === PORTAL_ISSUER;
  const first = await attempt(
    token,
    portal,
    portal ? [keys.portalKey] : await keys.secrets(false),
    keys.shopId,
    now,
  );
  // A secret made a moment ago in another process is not in this one's cache yet.
  if (first !== 'bad-signature' || portal) return first;
  return attempt(token, portal, await keys.secrets(true), keys.shopId, now);
}

/**
 * The secret as a WebCrypto key, imported once per secret object (the key cache hands out the
 * same arrays for seconds): jose would import a raw secret again on every verification, a third
 * of a token's cost.
 */
const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function verifyingKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      secret as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    imported.set(secret, key);
  }
  return key;
}

async function attempt(
  token: string,
  portal: boolean,
  candidates: Uint8Array[],
  shopId: string,
  now: Date,
): Promise<StorefrontCustomer | TokenRefusal> {
  if (candidates.length === 0) return 'no-secret';
  for (const key of candidates) {
    try {
      const { payload } = await jwtVerify(token, await verifyingKey(key), {
        algorithms: ['HS256'],
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'iat', 'exp'],
        maxTokenAge: MAX_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S,
        ...(portal && { issuer: PORTAL_ISSUER, audience: shopId }),
      });
      return customerOf(payload, portal ? 'portal' : 'token', now);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return 'expired';
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        return error.claim === 'iat' || error.claim === 'nbf' ? 'not-yet-valid' : 'claims';
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'bad-signature';
      return 'malformed';
    }
  }
  return 'bad-signature';
}
