import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp, type AppDeps } from '../../src/app/build-app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { fixedClock, systemClock, type Clock } from '../../src/shared/clock.ts';
import { createMetrics } from '../../src/shared/metrics.ts';
import { SecretBox } from '../../src/shared/secrets.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { EventProcessor, observeInto } from '../../src/ingest/event-processor.ts';
import { provisionShop } from '../../src/app/provision-shop.ts';
import { hmacSha256Base64 } from '../../src/shared/secrets.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { reactions } from '../../src/app/reactions.ts';
import { RenderPool } from '../../src/messaging/render-pool.ts';

export const ADMIN_TOKEN = 'test-operator-token';

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  processor: EventProcessor;
  box: SecretBox;
  clock: Clock;
  config: Config;
  /** The app's render pool, for delivery in tests too; closed with the app. */
  renderer: RenderPool;
  close(): Promise<void>;
}

/** The real app on a fresh database, with a processor the test drains when it wants. */
export async function createTestApp(
  options: {
    clock?: Clock;
    config?: Partial<Config>;
    onRoute?: AppDeps['onRoute'];
    logger?: FastifyBaseLogger;
    connectors?: AppDeps['connectors'];
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = options.clock ?? systemClock;
  const config: Config = {
    ...loadConfig({ LOJAL_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: database.url }),
    ...options.config,
  };
  const box = new SecretBox(Buffer.alloc(32, 7));
  const metrics = createMetrics();
  const processor = new EventProcessor(database.db, clock, silentLogger, {
    reactions,
    observe: observeInto(metrics),
  });
  const renderer = new RenderPool({ size: 2 });
  const app = await buildApp({
    db: database.db,
    pool: database.pool,
    clock,
    config,
    box,
    metrics,
    renderPool: renderer,
    ...(options.onRoute && { onRoute: options.onRoute }),
    ...(options.connectors && { connectors: options.connectors }),
    logger: options.logger,
  });
  return {
    ...database,
    app,
    processor,
    box,
    clock,
    config,
    renderer,
    close: async () => {
      await app.close();
      await renderer.close();
      await database.drop();
    },
  };
}

export async function createTestShop(
  t: Pick<TestApp, 'db' | 'clock' | 'box'>,
  name = 'Sklep Testowy',
) {
  return provisionShop(t.db, t.clock, t.box, {
    name,
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
}

export function bearer(apiKey: string) {
  return { authorization: `Bearer ${apiKey}` };
}

/** One event through `POST /v1/events` with the shop's key. */
export function postEvent(t: TestApp, shop: { apiKey: string }, event: object) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: bearer(shop.apiKey),
    payload: event,
  });
}

/** Headers of a Shopify delivery signed the way Shopify signs it. */
export function shopifyHeaders(
  secret: string,
  body: string | Buffer,
  topic: string,
  webhookId: string,
) {
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': hmacSha256Base64(secret, body),
    'x-shopify-topic': topic,
    'x-shopify-webhook-id': webhookId,
    'x-shopify-shop-domain': 'sklep-testowy.myshopify.com',
    'x-shopify-api-version': '2024-10',
  };
}

/** Headers of a WooCommerce delivery signed the way WooCommerce signs it. */
export function wooHeaders(
  secret: string,
  body: string | Buffer,
  topic: string,
  deliveryId: string,
) {
  return {
    'content-type': 'application/json',
    'x-wc-webhook-signature': hmacSha256Base64(secret, body),
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-delivery-id': deliveryId,
    'x-wc-webhook-source': 'https://sklep-testowy.pl/',
    'x-wc-webhook-resource': topic.split('.')[0]!,
    'x-wc-webhook-event': topic.split('.')[1]!,
  };
}

export { fixedClock };

/** The answer is an RFC 9457 problem with this status. */
export function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown> },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
}

/** The shop's current webhook secret, read back the way the server reads it. */
export async function currentWebhookSecret(
  t: Pick<TestApp, 'db' | 'box'>,
  shopId: string,
): Promise<string> {
  const row = await t.db
    .selectFrom('webhook_secrets')
    .select('secret_box')
    .where('shop_id', '=', shopId)
    .where('retires_at', 'is', null)
    .executeTakeFirstOrThrow();
  return t.box.open(row.secret_box).toString('utf8');
}
