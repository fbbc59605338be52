import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  currentWebhookSecret,
  fixedClock,
  type TestApp,
} from '../../support/app.ts';
import { shoperSignature } from '../../../src/platforms/shoper/signature.ts';
import { SCENARIO_NOW } from '../platform-scenarios.ts';
import { startFakeShoper, type FakeShoper } from './fake-shoper.ts';

let t: TestApp;
let fake: FakeShoper;
beforeAll(async () => {
  t = await createTestApp({
    clock: fixedClock(SCENARIO_NOW),
    config: { platformPrivateNetworks: true },
  });
  fake = await startFakeShoper();
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

/** An order moved to status 2 ("przyjęte do realizacji"), as order.status sends it: no status object. */
const body = JSON.stringify({
  order_id: '5001',
  user_id: '0',
  date: '2026-03-01 12:00:00',
  status_date: '2026-03-01 12:30:00',
  status_id: '2',
  sum: '80.00',
  paid: '0.00',
  shipping_cost: '0.00',
  email: 'ola@example.pl',
  promo_code: '',
  is_paid: false,
  currency_id: '1',
  billing_address: {},
  delivery_address: {},
  products: [],
});

async function deliver(shopId: string) {
  const secret = await currentWebhookSecret(t, shopId);
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/shoper/${shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': '6',
      'x-webhook-name': 'order.status',
      'x-webhook-sha1': shoperSignature('6', secret, Buffer.from(body)),
    },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  await t.processor.drain();
  const event = await t.db
    .selectFrom('inbound_events')
    .select('body')
    .where('shop_id', '=', shopId)
    .where('source', '=', 'shoper')
    .executeTakeFirstOrThrow();
  const order = await t.db
    .selectFrom('orders')
    .select(['paid_at', 'cancelled_at'])
    .where('shop_id', '=', shopId)
    .where('external_id', '=', '5001')
    .executeTakeFirstOrThrow();
  const envelope = JSON.parse(event.body.toString('utf8')) as { context: { statuses: unknown } };
  return { statuses: envelope.context.statuses, order };
}

describe('Shoper webhooks read status ids with the connection’s status map', () => {
  it('a shop whose Shoper connection maps status 2 to paid: the webhook’s order is paid', async () => {
    const shop = await createTestShop(t, 'Shoper z mapą');
    const map = { paid: ['2', '7'], cancelled: ['8'], refunded: ['11'] };
    const connected = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: {
        platform: 'shoper',
        credentials: fake.connection.credentials,
        settings: { ...(fake.connection.settings as object), statuses: map },
        backfill: { months: 0 },
      },
    });
    expect(connected.statusCode, connected.body).toBe(201);
    const { statuses, order } = await deliver(shop.id);
    expect(statuses).toEqual(map);
    expect(order.paid_at).toEqual(new Date('2026-03-01T11:30:00Z')); // 12:30 in Warsaw
    expect(order.cancelled_at).toBeNull();
  });

  it('a shop without a Shoper connection (or without a map): no map, the order stays unpaid', async () => {
    const shop = await createTestShop(t, 'Shoper bez połączenia');
    const { statuses, order } = await deliver(shop.id);
    expect(statuses).toBeNull();
    expect(order.paid_at).toBeNull();
  });
});
