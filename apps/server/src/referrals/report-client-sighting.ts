import type { Db } from '../db/connect.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { ShopRow } from '../shops/shop.ts';

/**
 * The storefront reports the client (address, user agent) of a signed-in customer, so that a
 * friend signing up from the referrer's own browser can be recognised (self-referral).
 */
export async function reportClientSighting(
  db: Db,
  shop: ShopRow,
  input: { customerId: string; clientAddress: string; userAgent: string },
  now: Date,
) {
  const customerId = await findCustomerId(db, shop.id, input.customerId);
  await db
    .insertInto('referral_sightings')
    .values({
      shop_id: shop.id,
      customer_id: customerId,
      client_address: input.clientAddress,
      user_agent: input.userAgent.slice(0, 500),
      seen_at: now,
    })
    .execute();
  return { recorded: true };
}
