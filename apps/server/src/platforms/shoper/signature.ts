import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Shoper signs a webhook delivery with X-Webhook-SHA1 = hex(SHA-1(webhook id + ":" + key + ":" +
 * raw body)), the key being the webhook's "Klucz" (a keyed hash, not an HMAC). The merchant pastes
 * Lojal's webhook secret there, so any live secret of the shop may have signed it. Compared in
 * constant time, on the exact bytes received.
 */
export function shoperSignature(webhookId: string, key: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.from(`${webhookId}:${key}:`, 'utf8'))
    .update(body)
    .digest('hex');
}

export function shoperSignatureMatches(
  secrets: string[],
  webhookId: string | undefined,
  body: Buffer,
  signature: string | undefined,
): boolean {
  if (!webhookId || !signature || !/^[0-9a-fA-F]{40}$/.test(signature)) return false;
  const given = Buffer.from(signature.toLowerCase(), 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(shoperSignature(webhookId, secret, body), 'hex');
    // every secret is tried, so the time does not tell which one matched
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
