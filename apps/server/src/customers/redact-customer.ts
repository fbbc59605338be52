import { sql } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { emit, type Tx } from '../events/domain-events.ts';

/**
 * Erases a customer's personal data (RODO/GDPR erasure, Shopify customers/redact) and keeps
 * the financial records. An unknown customer gets a redacted placeholder, so a late delivery
 * cannot bring the data back.
 */
export async function redactCustomer(
  tx: Tx,
  clock: Clock,
  shopId: string,
  externalId: string,
): Promise<void> {
  const now = clock.now();
  const personal = {
    email: null,
    phone: null,
    first_name: null,
    last_name: null,
    birthday: null,
    redacted_at: now,
    updated_at: now,
  };
  const row = await tx
    .insertInto('customers')
    .values({ shop_id: shopId, id: newId('cus'), external_id: externalId, ...personal })
    .onConflict((oc) =>
      oc.columns(['shop_id', 'external_id']).doUpdateSet({
        ...personal,
        redacted_at: sql`coalesce(customers.redacted_at, excluded.redacted_at)`,
      }),
    )
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('orders')
    .set({ email: null })
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', row.id)
    .execute();
  await emit(tx, clock, { type: 'customer.redacted', shopId, customerId: row.id, at: now });
}
