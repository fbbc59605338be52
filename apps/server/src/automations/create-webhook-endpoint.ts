import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';
import { WEBHOOK_SECRET_PREFIX } from '../shops/shop.ts';
import type { OutboundPolicy } from '../messaging/outbound-url.ts';
import { checkOutboundUrl, type LookupAll } from './check-outbound-url.ts';
import { webhookEndpointView } from './webhook-endpoint-view.ts';

/**
 * Registers a URL that flows' webhook steps post to. The signing secret is shown in this answer
 * only and kept sealed; a lost one is replaced by rotating.
 */
export async function createWebhookEndpoint(
  db: Kysely<Database>,
  clock: Clock,
  box: SecretBox,
  shopId: string,
  input: { url: string },
  options: { policy: OutboundPolicy; lookup?: LookupAll },
) {
  const url = await checkOutboundUrl(input.url, { path: 'url', ...options });
  const secret = newToken(WEBHOOK_SECRET_PREFIX);
  const now = clock.now();
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      shop_id: shopId,
      id: newId('whe'),
      url: url.href,
      secret: box.seal(secret),
      status: 'active',
      created_at: now,
    })
    .returning(['id', 'url', 'status', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...webhookEndpointView(row), secret };
}
