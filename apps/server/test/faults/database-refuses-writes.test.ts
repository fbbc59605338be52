import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { provisionShop } from '../../src/app/provision-shop.ts';
import { reactions } from '../../src/app/reactions.ts';
import { loadConfig } from '../../src/config.ts';
import { connect, type Db } from '../../src/db/connect.ts';
import { EventProcessor } from '../../src/ingest/event-processor.ts';
import { RenderPool } from '../../src/messaging/render-pool.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createMetrics } from '../../src/shared/metrics.ts';
import { hmacSha256Base64, SecretBox } from '../../src/shared/secrets.ts';
import { readerPool, startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.ts';

// The raw inbound log is the `inbound_events` table: a delivery is first persisted by the
// InboxWriter's INSERT, and acknowledged only after it commits. So "the log's disk is full"
// is PostgreSQL refusing writes; here it is made read-only, then stopped outright.
let cluster: ThrowawayCluster;
let db: Db;
let pool: pg.Pool;
let reader: pg.Pool;
let app: FastifyInstance;
let renderer: RenderPool;
let shop: { id: string; apiKey: string; webhookSecret: string };

beforeAll(async () => {
  cluster = await startThrowawayCluster();
  const url = await cluster.createDatabase();
  ({ db, pool } = connect(url, 6));
  reader = readerPool(url);
  const box = new SecretBox(Buffer.alloc(32, 7));
  renderer = new RenderPool({ size: 1 });
  app = await buildApp({
    db,
    pool,
    clock: systemClock,
    config: loadConfig({ LOJAL_ADMIN_TOKEN: 'x', DATABASE_URL: url }),
    box,
    metrics: createMetrics(),
    renderPool: renderer,
  });
  shop = await provisionShop(db, systemClock, box, {
    name: 'Sklep Pełny Dysk',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await renderer?.close();
  await db?.destroy();
  await reader?.end();
  await cluster?.destroy();
});

async function setReadOnly(on: boolean): Promise<void> {
  // For every session at once, the pool's open connections included (a reload applies it).
  await cluster.admin(`ALTER SYSTEM SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
  await cluster.admin('SELECT pg_reload_conf()');
  // The reload reaches each backend at its next command; give the postmaster a moment.
  await new Promise((r) => setTimeout(r, 300));
}

function send(i: number) {
  if (i % 2 === 0) {
    return app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        authorization: `Bearer ${shop.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': `full-${i}`,
      },
      payload: JSON.stringify({
        type: 'order.paid',
        data: {
          id: `o-${i}`,
          customer: { id: 'c-1', email: 'c1@example.pl' },
          currency: 'PLN',
          total: 5_000,
          createdAt: '2026-11-20T10:00:00Z',
        },
      }),
    });
  }
  const body = JSON.stringify({
    id: `o-${i}`,
    admin_graphql_api_id: `gid://shopify/Order/o-${i}`,
    currency: 'PLN',
    total_price: '50.00',
    financial_status: 'paid',
    created_at: '2026-11-20T10:00:00+01:00',
    updated_at: '2026-11-20T10:00:00+01:00',
    customer: { id: 1, admin_graphql_api_id: 'gid://shopify/Customer/c-1' },
    line_items: [],
  });
  return app.inject({
    method: 'POST',
    url: `/v1/webhooks/shopify/${shop.id}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-webhook-id': `full-${i}`,
      'x-shopify-hmac-sha256': hmacSha256Base64(shop.webhookSecret, body),
    },
    payload: body,
  });
}

async function stored(): Promise<Map<string, string>> {
  const { rows } = await reader.query<{ key: string; status: string }>(
    `SELECT coalesce(idempotency_key, delivery_id) AS key, status FROM inbound_events
     WHERE shop_id = $1`,
    [shop.id],
  );
  return new Map(rows.map((r) => [r.key, r.status]));
}

function expectUnavailable(res: Awaited<ReturnType<typeof send>>) {
  expect(res.statusCode).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.json()).toMatchObject({ status: 503, type: '/problems/unavailable' });
}

describe('the raw inbound log cannot be written', () => {
  it('read-only database: 503 with Retry-After, nothing acknowledged is lost, retries count once', async () => {
    // 20 deliveries acknowledged before the fault, still pending.
    for (let i = 0; i < 20; i++) expect((await send(i)).statusCode).toBeLessThan(300);
    await setReadOnly(true);
    try {
      // 20 more while the log refuses writes: each refused with 503, never 500, never 2xx.
      for (let i = 20; i < 40; i++) expectUnavailable(await send(i));
      // The processor cannot record anything either: the batch stays pending, nothing is
      // parked as failed.
      const processor = new EventProcessor(db, systemClock, silentLogger, { reactions });
      await expect(processor.processBatch()).rejects.toMatchObject({ code: '25006' });
    } finally {
      await setReadOnly(false);
    }
    const during = await stored();
    expect(during.size).toBe(20);
    expect([...during.values()].every((s) => s === 'pending')).toBe(true);

    // The senders retry all 40 (the first 20 again too, as a sender that lost the answer would).
    for (let i = 0; i < 40; i++) expect((await send(i)).statusCode).toBeLessThan(300);
    const processor = new EventProcessor(db, systemClock, silentLogger, { reactions });
    await processor.drain();
    const after = await stored();
    expect(after.size).toBe(40);
    expect([...after.values()].every((s) => s === 'processed')).toBe(true);
    const { rows } = await reader.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND external_id LIKE 'o-%'`,
      [shop.id],
    );
    expect(rows[0]!.n).toBe(40);
  }, 60_000);

  it('stopped database: 503 with Retry-After on deliveries and /health, 2xx once it is back', async () => {
    await cluster.stop();
    try {
      for (let i = 100; i < 110; i++) expectUnavailable(await send(i));
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
    } finally {
      await cluster.start();
    }
    for (let i = 100; i < 110; i++) expect((await send(i)).statusCode).toBeLessThan(300);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const keys = await stored();
    for (let i = 100; i < 110; i++) expect(keys.has(`full-${i}`)).toBe(true);
  }, 60_000);
});
