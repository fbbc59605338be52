import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { OutboundPolicy } from '../messaging/outbound-url.ts';
import { checkOutboundUrl } from './check-outbound-url.ts';

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  userAgent?: string | undefined;
}

/**
 * Records a browser's push subscription for a customer. One row per endpoint: a browser that
 * subscribes again (new keys, another customer logged in, after unsubscribing) updates it and
 * makes it live again, so a customer never gets the same push twice.
 */
export async function savePushSubscription(
  db: Kysely<Database>,
  clock: Clock,
  shopId: string,
  externalId: string,
  input: PushSubscriptionInput,
  policy: OutboundPolicy,
) {
  // Not resolved here: a customer's subscribe call waits on no resolver, and the name is
  // checked against every address it resolves to when a push is sent.
  await checkOutboundUrl(input.endpoint, { path: 'endpoint', policy, lookup: false });
  const customerId = await findCustomerId(db, shopId, externalId, { allowRedacted: false });
  const now = clock.now();
  const update = {
    customer_id: customerId,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    user_agent: input.userAgent ?? null,
    revoked_at: null,
  };
  const row = await db
    .insertInto('push_subscriptions')
    .values({
      shop_id: shopId,
      id: newId('psh'),
      endpoint: input.endpoint,
      created_at: now,
      ...update,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'endpoint']).doUpdateSet(update))
    .returning(['id', 'endpoint', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    customerId: externalId,
    endpoint: row.endpoint,
    createdAt: row.created_at.toISOString(),
  };
}
