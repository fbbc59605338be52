import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  shopifyHeaders,
  type TestApp,
} from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';

// SMS gateways take E.164 only: Twilio refused "600 100 200" and it was recorded as a permanent
// bounce. Phones are read in the shop's region where customer data comes in.
const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks', import.meta.url));
const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Telefony'); // PLN, pl, Europe/Warsaw
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
const post = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(shop.apiKey), payload });

describe('phones from the events API', () => {
  it.each([
    ['c-1', '600 100 200'],
    ['c-2', '+48 600-100-200'],
    ['c-3', '0048600100200'],
  ])('stores %s’s %s as +48600100200', async (id, phone) => {
    await send(t, shop, { type: 'customer.created', id: `e-${id}`, data: { id, phone } });
    const customer = await get(`/v1/customers/${id}`);
    expect(customer.statusCode, customer.body).toBe(200);
    expect(customer.json().phone).toBe('+48600100200');
  });

  it('stores the phone of an order’s customer in E.164 too', async () => {
    await send(
      t,
      shop,
      orderPaid('o-1', { id: 'c-4', phone: '600 100 201' }, '2026-05-04T09:00:00Z', {
        total: 1000,
      }),
    );
    expect((await get('/v1/customers/c-4')).json().phone).toBe('+48600100201');
  });

  it.each(['abc', '123', '600 100 200 wew. 12'])(
    'refuses %s with 400 and its path, and stores nothing',
    async (phone) => {
      const created = await post({
        type: 'customer.created',
        id: 'e-bad',
        data: { id: 'bad', phone },
      });
      expectProblem(created, 400);
      expect(created.json().errors).toEqual([
        { path: 'data.phone', message: expect.stringContaining('phone number') },
      ]);
      const order = await post(
        orderPaid('o-bad', { id: 'bad', phone }, '2026-05-04T09:00:00Z', { total: 1000 }),
      );
      expectProblem(order, 400);
      expect(order.json().errors.map((e: { path: string }) => e.path)).toEqual([
        'data.customer.phone',
      ]);
      await t.processor.drain();
      expect((await get('/v1/customers/bad')).statusCode).toBe(404);
    },
  );

  it('still clears a phone with null', async () => {
    await send(t, shop, {
      type: 'customer.updated',
      id: 'e-c-1-clear',
      data: { id: 'c-1', phone: null },
    });
    expect((await get('/v1/customers/c-1')).json().phone).toBeNull();
  });
});

describe('phones from a platform webhook', () => {
  async function shopify(body: object, topic: string, webhookId: string) {
    const raw = JSON.stringify(body);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(shop.webhookSecret, raw, topic, webhookId),
      payload: raw,
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.processor.drain();
  }

  it('stores a local number in E.164', async () => {
    const customer = JSON.parse(readFileSync(`${SAMPLES}/shopify/customers-create.json`, 'utf8'));
    delete customer.admin_graphql_api_id;
    await shopify({ ...customer, id: 501, phone: '600 100 202' }, 'customers/create', 'wh-501');
    expect((await get('/v1/customers/501')).json().phone).toBe('+48600100202');
  });

  it('keeps the customer and the order without a phone that is no number, and says why', async () => {
    const order = JSON.parse(readFileSync(`${SAMPLES}/shopify/orders-create.json`, 'utf8'));
    order.id = 777;
    order.admin_graphql_api_id = 'gid://shopify/Order/777';
    order.customer = { ...order.customer, id: 502, phone: 'zadzwoń po 18' };
    delete order.customer.admin_graphql_api_id;
    await shopify(order, 'orders/paid', 'wh-777');
    const customer = await get('/v1/customers/502');
    expect(customer.statusCode, customer.body).toBe(200);
    expect(customer.json().phone).toBeNull();
    const events = (await get('/v1/events?limit=5')).json().data as Array<{
      deliveryId: string;
      status: string;
      reason: string | null;
    }>;
    const event = events.find((e) => e.deliveryId === 'wh-777')!;
    expect(event.status).toBe('processed');
    expect(event.reason).toBe(
      'customer 502: the phone is not a valid number in PL and was not stored',
    );
    expect((await get('/v1/customers/502')).json().points).toBeDefined();
  });

  it('erases the phone from raw deliveries in the form it was sent, though it is stored in E.164', async () => {
    await send(t, shop, {
      type: 'customer.created',
      id: 'e-c-erase',
      data: { id: 'c-erase', phone: '600 100 209' },
    });
    expect((await get('/v1/customers/c-erase')).json().phone).toBe('+48600100209');
    await shopify({ customer: { id: 'c-erase' } }, 'customers/redact', 'wh-redact-erase');
    const { rows } = await sql<{ body: string }>`
      SELECT convert_from(body, 'UTF8') AS body FROM inbound_events WHERE shop_id = ${shop.id}`.execute(
      t.db,
    );
    expect(rows.filter((r) => r.body.includes('100 209'))).toEqual([]);
  });
});
