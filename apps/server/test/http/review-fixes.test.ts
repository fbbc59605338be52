import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeIdempotencyKeys } from '../../src/http/idempotency.ts';
import { sha256 } from '../../src/shared/secrets.ts';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  shopifyHeaders,
  type TestApp,
} from '../support/app.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t);
});
afterAll(() => t.close());

describe('webhook secrets chosen by the platform', () => {
  it('verifies Shopify deliveries with the signing secret the merchant copied from Shopify', async () => {
    const shopifySecret = 'shpss_0123456789abcdef0123456789abcdef';
    const rotated = await t.app.inject({
      method: 'POST',
      url: '/v1/webhook-secret/rotate',
      headers: bearer(shop.apiKey),
      payload: { secret: shopifySecret },
    });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().webhookSecret).toBe(shopifySecret);
    const body = JSON.stringify({
      id: 1,
      email: 'x@example.pl',
      updated_at: '2026-11-01T10:00:00Z',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(shopifySecret, body, 'customers/create', 'wh-platform-1'),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a secret too short to be one', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhook-secret/rotate',
      headers: bearer(shop.apiKey),
      payload: { secret: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('secret');
  });
});

describe('POST routes whose body is optional', () => {
  it('accept a request without any body', async () => {
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(shop.apiKey),
    });
    expect(key.statusCode).toBe(201);
    expect(key.json().apiKey).toMatch(/^lojal_sk_/);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/v1/shops/${shop.id}/api-keys`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(issued.statusCode).toBe(201);
  });
});

describe('erasure', () => {
  it('keeps a redacted customer without an e-mail even when a later order carries one', async () => {
    const send = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(shop.apiKey), payload });
    await send({
      type: 'customer.created',
      id: 'c-red',
      data: { id: 'c-red', email: 'ala@example.pl', firstName: 'Ala' },
    });
    await t.processor.drain();
    const current = await t.db
      .selectFrom('webhook_secrets')
      .select('secret_box')
      .where('shop_id', '=', shop.id)
      .where('retires_at', 'is', null)
      .executeTakeFirstOrThrow();
    const secret = t.box.open(current.secret_box).toString('utf8');
    const body = JSON.stringify({ customer: { id: 'c-red', email: 'ala@example.pl' } });
    const redact = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(secret, body, 'customers/redact', 'wh-redact-1'),
      payload: body,
    });
    expect(redact.statusCode).toBe(200);
    await t.processor.drain();
    await send({
      type: 'order.paid',
      id: 'o-red',
      occurredAt: '2026-11-20T10:00:00Z',
      data: {
        id: 'o-red',
        customer: { id: 'c-red', email: 'ala@example.pl', firstName: 'Ala' },
        currency: 'PLN',
        total: 1000,
        createdAt: '2026-11-20T10:00:00Z',
      },
    });
    await t.processor.drain();
    const customer = await t.db
      .selectFrom('customers')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'c-red')
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({
      email: null,
      first_name: null,
      redacted_at: expect.any(Date),
    });
    const order = await t.db
      .selectFrom('orders')
      .select(['email', 'total'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'o-red')
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ email: null, total: 1000 });
  });
});

describe('Idempotency-Key records', () => {
  it('lets a retry take over a first attempt that never finished', async () => {
    const payload = { name: 'Sklep po awarii' };
    await t.db
      .insertInto('idempotency_keys')
      .values({
        shop_id: '*',
        key: 'crashed-1',
        method: 'POST',
        path: '/v1/shops',
        request_hash: sha256(
          `POST /v1/shops\n${JSON.stringify({ ...payload, currency: 'PLN', timezone: 'Europe/Warsaw', locale: 'pl' })}`,
        ),
        created_at: new Date(Date.now() - 5 * 60_000),
      })
      .execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/shops',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'crashed-1' },
      payload,
    });
    expect(res.statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/shops',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'crashed-1' },
      payload,
    });
    expect(again.json().id).toBe(res.json().id);
  });

  it('purges saved responses older than 48 hours and keeps younger ones', async () => {
    const old = new Date(Date.now() - 49 * 3600_000);
    const young = new Date(Date.now() - 23 * 3600_000);
    for (const [key, created_at] of [
      ['old-1', old],
      ['young-1', young],
    ] as const) {
      await t.db
        .insertInto('idempotency_keys')
        .values({
          shop_id: shop.id,
          key,
          method: 'POST',
          path: '/x',
          request_hash: sha256(key),
          created_at,
        })
        .execute();
    }
    await purgeIdempotencyKeys(t.db, new Date());
    const left = await t.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(left.map((r) => r.key)).toEqual(['young-1']);
  });
});
