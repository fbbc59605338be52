import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';

/**
 * Stops push to one browser of a customer (the widget calls it when the person turns push off).
 * The row stays, revoked, as a record of what was allowed when. Repeat-safe: a second call
 * answers with the first revocation time.
 */
export async function revokePushSubscription(
  db: Kysely<Database>,
  clock: Clock,
  shopId: string,
  externalId: string,
  endpoint: string,
) {
  const customerId = await findCustomerId(db, shopId, externalId);
  const row = await db
    .updateTable('push_subscriptions')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(clock.now())) }))
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .where('endpoint', '=', endpoint)
    .returning(['id', 'endpoint', 'revoked_at'])
    .executeTakeFirst();
  if (!row)
    throw problems.notFound(`A push subscription of customer ${externalId} for this endpoint`);
  return {
    id: row.id,
    customerId: externalId,
    endpoint: row.endpoint,
    revokedAt: row.revoked_at!.toISOString(),
  };
}
