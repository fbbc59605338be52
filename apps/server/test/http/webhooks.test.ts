import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
  expectProblem,
} from '../support/app.ts';

const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks', import.meta.url));
const shopifyOrder = readFileSync(`${SAMPLES}/shopify/orders-create.json`);
const wooOrder = readFileSync(`${SAMPLES}/woocommerce/order.wc-v3-retrieve-example.json`);
// The sample's numeric id was damaged by a lossy JSON.parse; the GraphQL id holds the real one.
const SAMPLE_ORDER_ID = '820982911946154508';
const SAMPLE_CUSTOMER_ID = '115310627314723954';

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function shopify(shop: Shop, body: string | Buffer, topic: string, webhookId: string) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/shopify/${shop.id}`,
    headers: shopifyHeaders(shop.webhookSecret, body, topic, webhookId),
    payload: body,
  });
}

function woo(shop: Shop, body: string | Buffer, topic: string, deliveryId: string) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/woocommerce/${shop.id}`,
    headers: wooHeaders(shop.webhookSecret, body, topic, deliveryId),
    payload: body,
  });
}

function get(shop: Shop, url: string) {
  return t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
}

async function count(
  table: 'inbound_events' | 'orders' | 'customers',
  shopId: string,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE shop_id = ${shopId}`.execute(t.db);
  return rows[0]!.n;
}

describe('Shopify deliveries', () => {
  it('accepts the sample order and stores it under the id from admin_graphql_api_id', async () => {
    const shop = await createTestShop(t);
    const res = await shopify(shop, shopifyOrder, 'orders/paid', 'wh-1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted' });
    await t.processor.drain();
    const order = await get(shop, `/v1/orders/${SAMPLE_ORDER_ID}`);
    expect(order.statusCode).toBe(200);
    expect(order.json()).toMatchObject({
      id: SAMPLE_ORDER_ID,
      total: { amount: 40300, currency: 'USD' },
      customerId: SAMPLE_CUSTOMER_ID,
    });
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders('whsec_not-this-shops-secret', shopifyOrder, 'orders/paid', 'wh-bad'),
      payload: shopifyOrder,
    });
    expectProblem(res, 401);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('refuses a body changed after signing with 401', async () => {
    const shop = await createTestShop(t);
    const headers = shopifyHeaders(shop.webhookSecret, shopifyOrder, 'orders/paid', 'wh-tamper');
    const tampered = shopifyOrder.toString('utf8').replace('"403.00"', '"4.03"');
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers,
      payload: tampered,
    });
    expectProblem(res, 401);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('refuses a delivery without a signature with 401 and stores nothing', async () => {
    const shop = await createTestShop(t);
    const { 'x-shopify-hmac-sha256': _signature, ...headers } = shopifyHeaders(
      shop.webhookSecret,
      shopifyOrder,
      'orders/paid',
      'wh-unsigned',
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers,
      payload: shopifyOrder,
    });
    expectProblem(res, 401);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('answers 404 for an unknown shop, well-formed or not', async () => {
    const shop = await createTestShop(t);
    const headers = shopifyHeaders(shop.webhookSecret, shopifyOrder, 'orders/paid', 'wh-404');
    for (const shopId of [`shp_${'0'.repeat(26)}`, 'not-a-shop', 'shp_123']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/shopify/${shopId}`,
        headers,
        payload: shopifyOrder,
      });
      expectProblem(res, 404);
    }
  });

  it('applies a delivery repeated 20 times (10 at once) exactly once', async () => {
    const shop = await createTestShop(t);
    const send = () => shopify(shop, shopifyOrder, 'orders/paid', 'wh-repeat');
    const concurrent = await Promise.all(Array.from({ length: 10 }, send));
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await send());
    const responses = [...concurrent, ...sequential];

    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const statuses = responses.map((r) => r.json().status as string);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);
    expect(new Set(responses.map((r) => r.json().eventId)).size).toBe(1);

    await t.processor.drain();
    expect(await count('inbound_events', shop.id)).toBe(1);
    expect(await count('orders', shop.id)).toBe(1);
    expect(await count('customers', shop.id)).toBe(1);
  });

  it('refuses a body over the 1 MiB limit with 413 problem+json', async () => {
    const shop = await createTestShop(t);
    const body = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const res = await shopify(shop, body, 'orders/paid', 'wh-huge');
    expectProblem(res, 413);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const shop = await createTestShop(t);
    const head = '{"id": 1, "pad": "';
    const tail = '"}';
    const body = head + 'x'.repeat(1024 * 1024 - head.length - tail.length) + tail;
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    const res = await shopify(shop, body, 'products/update', 'wh-exact');
    expect(res.statusCode).toBe(200);
    expect(await count('inbound_events', shop.id)).toBe(1);
  });

  it('refuses a privacy topic with a bad signature with 401', async () => {
    const shop = await createTestShop(t);
    const body = JSON.stringify({ shop_id: 1, customer: { id: 2 }, orders_to_redact: [] });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders('whsec_wrong', body, 'customers/redact', 'wh-redact'),
      payload: body,
    });
    expectProblem(res, 401);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('records a delivery of a topic Lojal does not use as ignored', async () => {
    const shop = await createTestShop(t);
    const body = JSON.stringify({ id: 632910392, title: 'IPod Nano - 8GB' });
    const res = await shopify(shop, body, 'products/update', 'wh-product');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted' });
    await t.processor.drain();
    const event = await get(shop, `/v1/events/${res.json().eventId}`);
    expect(event.json()).toMatchObject({ status: 'ignored', topic: 'products/update' });
  });
});

describe('a Shopify refund that arrives before its order', () => {
  const order = {
    id: 5550001,
    admin_graphql_api_id: 'gid://shopify/Order/5550001',
    currency: 'PLN',
    total_price: '100.00',
    created_at: '2026-11-20T10:00:00+01:00',
    updated_at: '2026-11-20T10:00:00+01:00',
    financial_status: 'paid',
    customer: null,
  };
  const refund = {
    id: 7770001,
    admin_graphql_api_id: 'gid://shopify/Refund/7770001',
    order_id: 5550001,
    created_at: '2026-11-21T09:00:00+01:00',
    transactions: [{ kind: 'refund', status: 'success', amount: '30.00', currency: 'PLN' }],
  };

  it('waits for the order, then is applied when the order comes', async () => {
    const shop = await createTestShop(t);
    const sent = await shopify(shop, JSON.stringify(refund), 'refunds/create', 'wh-refund');
    expect(sent.statusCode).toBe(200);
    const refundEventId = sent.json().eventId as string;
    await t.processor.drain();

    const waiting = await get(shop, '/v1/events?status=waiting');
    expect(waiting.statusCode).toBe(200);
    expect(waiting.json().data).toEqual([
      expect.objectContaining({ id: refundEventId, status: 'waiting' }),
    ]);

    expect(
      (await shopify(shop, JSON.stringify(order), 'orders/create', 'wh-order')).statusCode,
    ).toBe(200);
    await t.processor.drain();

    const stored = await get(shop, '/v1/orders/5550001');
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({
      refunded: { amount: 3000, currency: 'PLN' },
      refunds: [{ id: '7770001', amount: { amount: 3000, currency: 'PLN' } }],
    });
    const event = await get(shop, `/v1/events/${refundEventId}`);
    expect(event.json()).toMatchObject({ status: 'processed' });
  });

  it('stores a guest order without a customer', async () => {
    const shop = await createTestShop(t);
    await shopify(shop, JSON.stringify(order), 'orders/create', 'wh-guest');
    await t.processor.drain();
    const stored = await get(shop, '/v1/orders/5550001');
    expect(stored.json()).toMatchObject({
      customerId: null,
      status: 'paid',
      total: { amount: 10000, currency: 'PLN' },
    });
    expect(await count('customers', shop.id)).toBe(0);
  });
});

describe('Shopify customers/update out of order', () => {
  it('does not let an older update overwrite a newer email', async () => {
    const shop = await createTestShop(t);
    const customer = (email: string, updatedAt: string) =>
      JSON.stringify({
        id: 9001,
        admin_graphql_api_id: 'gid://shopify/Customer/9001',
        email,
        first_name: 'Ala',
        created_at: '2026-11-01T10:00:00+01:00',
        updated_at: updatedAt,
      });
    await shopify(
      shop,
      customer('nowy@example.pl', '2026-11-20T12:00:00+01:00'),
      'customers/update',
      'wh-c-new',
    );
    await t.processor.drain();
    await shopify(
      shop,
      customer('stary@example.pl', '2026-11-20T11:00:00+01:00'),
      'customers/update',
      'wh-c-old',
    );
    await t.processor.drain();
    const row = await t.db
      .selectFrom('customers')
      .select('email')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', '9001')
      .executeTakeFirstOrThrow();
    expect(row.email).toBe('nowy@example.pl');
  });
});

describe('WooCommerce deliveries', () => {
  it('answers the unsigned creation ping with 200 and stores nothing', async () => {
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/woocommerce/${shop.id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'webhook_id=42',
    });
    expect(res.statusCode).toBe(200);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });

  it('stores the sample order as a paid guest order', async () => {
    const shop = await createTestShop(t);
    const res = await woo(shop, wooOrder, 'order.created', 'd-1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted' });
    await t.processor.drain();
    const order = await get(shop, '/v1/orders/727');
    expect(order.statusCode).toBe(200);
    expect(order.json()).toMatchObject({
      id: '727',
      status: 'paid',
      customerId: null,
      total: { amount: 2935, currency: 'USD' },
    });
    expect(await count('customers', shop.id)).toBe(0);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/woocommerce/${shop.id}`,
      headers: wooHeaders('not-the-secret', wooOrder, 'order.created', 'd-bad'),
      payload: wooOrder,
    });
    expectProblem(res, 401);
    expect(await count('inbound_events', shop.id)).toBe(0);
  });
});

describe('a delivery that breaks processing', () => {
  it('is parked as failed with a reason, listed, and can be replayed', async () => {
    const shop = await createTestShop(t);
    const res = await shopify(shop, '{"id": 1}', 'orders/paid', 'wh-broken');
    expect(res.statusCode).toBe(200);
    const eventId = res.json().eventId as string;
    await t.processor.drain();

    const event = await get(shop, `/v1/events/${eventId}`);
    expect(event.json()).toMatchObject({ status: 'failed', reason: expect.any(String) });
    expect(event.json().reason).not.toBe('');

    const failed = await get(shop, '/v1/events?status=failed');
    expect(failed.json().data.map((e: { id: string }) => e.id)).toEqual([eventId]);

    const replay = await t.app.inject({
      method: 'POST',
      url: `/v1/events/${eventId}/replay`,
      headers: bearer(shop.apiKey),
    });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ eventId, status: 'pending' });
    expect((await get(shop, `/v1/events/${eventId}`)).json()).toMatchObject({ status: 'pending' });
  });
});
