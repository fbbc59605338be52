import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { purgeIdempotencyKeys } from '../../src/http/idempotency.ts';
import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import { apiEventDelivery } from '../../src/ingest/api-event.ts';
import { sha256 } from '../../src/shared/secrets.ts';
import {
  ADMIN_TOKEN,
  currentWebhookSecret,
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
    const secret = await currentWebhookSecret(t, shop.id);
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
        // Stamped on the database's clock, which the take-over is measured on.
        created_at: sql<Date>`now() - interval '5 minutes'`,
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
    // Ages on the database's clock, which stamps the records and measures their keeping time.
    const old = sql<Date>`now() - interval '49 hours'`;
    const young = sql<Date>`now() - interval '23 hours'`;
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
    await purgeIdempotencyKeys(t.db);
    const left = await t.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(left.map((r) => r.key)).toEqual(['young-1']);
  });
});

describe('inbound edge cases', () => {
  const send = (payload: Record<string, unknown> | string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...bearer(shop.apiKey), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('refuses a NUL character with 400 and stores nothing', async () => {
    const res = await send('{"type":"customer.created","id":"nul-1","data":{"id":"x\\u0000y"}}');
    expect(res.statusCode).toBe(400);
    const stored = await t.db
      .selectFrom('inbound_events')
      .select('id')
      .where('delivery_id', '=', 'customer.created:nul-1')
      .execute();
    expect(stored).toEqual([]);
  });

  it('lets the later of two updates without a time win, even when they are received together', async () => {
    await Promise.all([
      send({ type: 'customer.updated', id: 'tie-1', data: { id: 'c-tie', email: 'z@example.pl' } }),
    ]);
    await send({
      type: 'customer.updated',
      id: 'tie-2',
      data: { id: 'c-tie', email: 'a@example.pl' },
    });
    await t.db
      .updateTable('inbound_events')
      .set({ received_at: new Date('2026-11-01T00:00:00Z') })
      .where('shop_id', '=', shop.id)
      .where('delivery_id', 'in', ['customer.updated:tie-1', 'customer.updated:tie-2'])
      .execute();
    await t.processor.drain();
    const row = await t.db
      .selectFrom('customers')
      .select('email')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'c-tie')
      .executeTakeFirstOrThrow();
    expect(row.email).toBe('a@example.pl');
  });

  it('compares a retry in the same write with the stored request, not with the retry before it', async () => {
    const inbox = new InboxWriter(t.db);
    const event = { type: 'customer.created' as const, id: 'idem-1', data: { id: 'c-idem' } };
    const raw = JSON.stringify(event);
    const other = JSON.stringify({ ...event, data: { id: 'c-other' } });
    await inbox.write(
      apiEventDelivery(shop.id, event, { raw, idempotencyKey: 'k-1', requestHash: sha256(raw) }),
    );
    // two writes in flight first, so the next two queue up and go out as one batch
    const filler = (id: string) =>
      inbox.write(apiEventDelivery(shop.id, { ...event, id, data: { id } }));
    const [, , wrong, right] = await Promise.all([
      filler('idem-f1'),
      filler('idem-f2'),
      inbox.write(
        apiEventDelivery(shop.id, event, {
          raw: other,
          idempotencyKey: 'k-1',
          requestHash: sha256(other),
        }),
      ),
      inbox.write(
        apiEventDelivery(shop.id, event, { raw, idempotencyKey: 'k-1', requestHash: sha256(raw) }),
      ),
    ]);
    expect(wrong.duplicate && wrong.requestHash?.equals(sha256(raw))).toBe(true);
    expect(right.duplicate && right.requestHash?.equals(sha256(raw))).toBe(true);
  });

  it('keeps an erased e-mail off later orders without a customer, and out of the raw log', async () => {
    const secret = await currentWebhookSecret(t, shop.id);
    const order = (updatedAt: string, customer: unknown) =>
      JSON.stringify({
        id: 1,
        admin_graphql_api_id: 'gid://shopify/Order/4440001',
        email: 'ola@example.pl',
        currency: 'PLN',
        total_price: '50.00',
        financial_status: 'paid',
        created_at: '2026-11-01T10:00:00Z',
        updated_at: updatedAt,
        customer,
      });
    const deliver = (body: string, topic: string, id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/shopify/${shop.id}`,
        headers: shopifyHeaders(secret, body, topic, id),
        payload: body,
      });
    await deliver(
      order('2026-11-01T10:00:00Z', {
        id: 1,
        admin_graphql_api_id: 'gid://shopify/Customer/3330001',
        email: 'ola@example.pl',
      }),
      'orders/paid',
      'er-1',
    );
    await t.processor.drain();
    await deliver(
      JSON.stringify({ customer: { id: 3330001, email: 'ola@example.pl' } }),
      'customers/redact',
      'er-2',
    );
    await t.processor.drain();
    await deliver(order('2026-11-02T10:00:00Z', null), 'orders/updated', 'er-3');
    await t.processor.drain();
    const stored = await t.db
      .selectFrom('orders')
      .select('email')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', '4440001')
      .executeTakeFirstOrThrow();
    expect(stored.email).toBeNull();
    const first = await t.db
      .selectFrom('inbound_events')
      .select('body')
      .where('shop_id', '=', shop.id)
      .where('delivery_id', '=', 'er-1')
      .executeTakeFirstOrThrow();
    expect(first.body.toString()).not.toContain('ola@example.pl');
  });
});
