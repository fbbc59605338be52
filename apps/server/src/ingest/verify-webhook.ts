import { hmacSha256Base64Matches } from '../shared/secrets.ts';

/**
 * Shopify and WooCommerce both sign base64(HMAC-SHA256(secret, raw body)). Any live secret
 * (the current one, or one rotated out less than an hour ago) may have signed it.
 */
export function signatureMatches(
  secrets: string[],
  body: Buffer,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return secrets.some((secret) => hmacSha256Base64Matches(secret, body, signature));
}
