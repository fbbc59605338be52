import { SignJWT } from 'jose';
import type { SecretBox } from '../shared/secrets.ts';
import { MAX_TOKEN_LIFETIME_S, PORTAL_ISSUER } from './customer-token.ts';

/** The key of one shop's portal tokens: derived from the instance key, another per shop. */
export function portalKey(box: SecretBox, shopId: string): Uint8Array {
  return new Uint8Array(box.signingKey(`storefront-portal:${shopId}`));
}

/** A token for the customer portal, signed with the shop's portal key (storefront-keys.ts). */
export async function signPortalToken(
  box: SecretBox,
  input: { shopId: string; externalId: string; now: Date; ttlSeconds: number },
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const ttl = Math.min(input.ttlSeconds, MAX_TOKEN_LIFETIME_S);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(PORTAL_ISSUER)
    .setAudience(input.shopId)
    .setSubject(input.externalId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(portalKey(box, input.shopId));
  return { token, expiresAt: new Date((iat + ttl) * 1000).toISOString() };
}
