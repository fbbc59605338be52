import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { webhookEndpointView } from './webhook-endpoint-view.ts';

/** The shop's webhook endpoints, oldest first, without their secrets. */
export async function listWebhookEndpoints(db: Kysely<Database>, shopId: string) {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'status', 'created_at'])
    .where('shop_id', '=', shopId)
    .orderBy('id')
    .execute();
  return rows.map(webhookEndpointView);
}
