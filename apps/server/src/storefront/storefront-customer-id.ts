import type { Db } from '../db/connect.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import { apiEventDelivery } from '../ingest/api-event.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { StorefrontCustomer } from './customer-token.ts';

export type TokenCustomer =
  { state: 'known'; id: string; redacted: boolean } | { state: 'joining' };

/**
 * Lojal's id of the customer a token names. API.md: a token for an unknown customer creates the
 * customer — as a `customer.created` event in the event log, like any other source, so signing
 * up earns what the programme gives for it and every reaction runs. Until the processor has
 * applied it, the customer is `joining`. The event's delivery id is the customer's, so a burst
 * of first requests stores it once.
 */
export async function storefrontCustomerId(
  db: Db,
  inbox: InboxWriter,
  shop: ShopRow,
  customer: StorefrontCustomer,
  now: Date,
): Promise<TokenCustomer> {
  const row = await db
    .selectFrom('customers')
    .select(['id', 'redacted_at'])
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', customer.externalId)
    .executeTakeFirst();
  if (row) return { state: 'known', id: row.id, redacted: row.redacted_at !== null };
  // The App Proxy names a Shopify customer the shop's webhooks bring; the portal only customers
  // Lojal knows. Only a token signed by the shop's backend may create one.
  if (customer.via !== 'token') return { state: 'joining' };
  await inbox.write(
    apiEventDelivery(shop.id, {
      type: 'customer.created',
      id: `storefront:${customer.externalId}`,
      occurredAt: now.toISOString(),
      data: {
        id: customer.externalId,
        ...(customer.email && { email: customer.email }),
        ...(customer.firstName && { firstName: customer.firstName }),
      },
    }),
  );
  return { state: 'joining' };
}
