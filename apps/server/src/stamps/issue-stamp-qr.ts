import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { shopQrKey } from './qr-key.ts';
import { QR_TTL_SECONDS, signQrPayload } from './stamp-qr.ts';

/**
 * A fresh QR payload for the customer to show at the till. The storefront or customer app asks
 * for it with the shop's API key (the customer is whoever the shop says is signed in); it names
 * Lojal's customer id, so a payload never carries the shop's own ids or personal data.
 */
export async function issueStampQr(
  db: Db,
  clock: Clock,
  box: SecretBox,
  shop: ShopRow,
  customerExternalId: string,
) {
  // An erased customer gets no new codes.
  const customerId = await findCustomerId(db, shop.id, customerExternalId, {
    allowRedacted: false,
  });
  const key = await shopQrKey(db, box, shop.id);
  const { payload, expiresAt } = signQrPayload(key, shop.id, customerId, clock.now());
  return { payload, expiresAt: expiresAt.toISOString(), ttlSeconds: QR_TTL_SECONDS };
}
