import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';
import { webhookEndpointView } from './webhook-endpoint-view.ts';

/**
 * Stops deliveries to an endpoint: webhook steps queued for it fail as permanent instead of
 * posting. The row stays, so flows that name it keep a readable reference. Repeat-safe.
 */
export async function disableWebhookEndpoint(db: Kysely<Database>, shopId: string, id: string) {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({ status: 'disabled' })
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .returning(['id', 'url', 'status', 'created_at'])
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Webhook endpoint ${id}`);
  return webhookEndpointView(row);
}
