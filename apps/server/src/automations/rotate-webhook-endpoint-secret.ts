import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';
import { WEBHOOK_SECRET_PREFIX } from '../shops/shop.ts';
import { webhookEndpointView } from './webhook-endpoint-view.ts';

/**
 * A new signing secret for an endpoint, shown in this answer only; deliveries are signed with
 * it from now on (a lost or leaked secret cannot be recovered, only replaced).
 */
export async function rotateWebhookEndpointSecret(
  db: Kysely<Database>,
  box: SecretBox,
  shopId: string,
  id: string,
) {
  const secret = newToken(WEBHOOK_SECRET_PREFIX);
  const row = await db
    .updateTable('webhook_endpoints')
    .set({ secret: box.seal(secret) })
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .returning(['id', 'url', 'status', 'created_at'])
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Webhook endpoint ${id}`);
  return { ...webhookEndpointView(row), secret };
}
