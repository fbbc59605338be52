import { createHash } from 'node:crypto';
import type { PopupVariant } from './popup-schema.ts';

/**
 * The variant a visitor sees: the same visitor id always gets the same variant of a pop-up
 * (a hash of both, spread over the variants by their weights), with no state kept anywhere.
 * Null when every variant's weight is 0.
 */
export function assignVariant(
  popupId: string,
  visitorId: string,
  variants: readonly PopupVariant[],
): PopupVariant | null {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (total <= 0) return null;
  const digest = createHash('sha256').update(`${popupId}:${visitorId}`).digest();
  // 48 bits of the hash: a uniform point in [0, 1) with no visible bias for weights up to 400.
  const point = (digest.readUIntBE(0, 6) / 2 ** 48) * total;
  let edge = 0;
  for (const variant of variants) {
    edge += variant.weight;
    if (point < edge) return variant;
  }
  // Rounding at the very top edge: the last variant that has a weight.
  return [...variants].reverse().find((v) => v.weight > 0) ?? null;
}
