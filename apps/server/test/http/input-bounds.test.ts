import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  postEvent,
  expectProblem,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
} from '../support/app.ts';
import { call, orderPaid, publish, refunded, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';

// Audit M5, L3 and L4: values the API took and the shop's own reads then failed on (500), or
// that failed after the 202; duplicate JSON keys; text/plain bodies.
type Shop = Awaited<ReturnType<typeof createTestShop>>;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const AT = '2026-11-20T10:00:00Z';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function errorPaths(res: { json(): { errors?: Array<{ path: string }> } }) {
  return res.json().errors?.map((e) => e.path);
}

async function lastEvent(shop: Shop) {
  const res = await call(t, shop, 'GET', '/v1/events?limit=1');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data[0] as { status: string; reason: string | null };
}

describe('amounts, quantities and currencies at the door', () => {
  it('an order total above 10^12 minor units is refused with a 400 naming the field', async () => {
    const shop = await createTestShop(t);

    const res = await postEvent(t, shop, orderPaid('big', 'cBig', AT, { total: MAX_SAFE }));

    expectProblem(res, 400);
    expect(errorPaths(res)).toEqual(['data.total']);
    const atBound = await postEvent(t, shop, orderPaid('max', 'cMax', AT, { total: 1e12 }));
    expect(atBound.statusCode, atBound.body).toBe(202);
  });

  it('a line quantity beyond 1,000,000 or a line worth more than 10^12 is refused instead of failing after the 202', async () => {
    const shop = await createTestShop(t);
    const line = (quantity: number, price: number) =>
      orderPaid('q', 'c', AT, { total: 100, lines: [{ productId: 'p', quantity, price }] });

    const tooMany = await postEvent(t, shop, line(2_147_483_648, 1));
    const tooMuch = await postEvent(t, shop, line(1_000_000, 1_000_001));

    expectProblem(tooMany, 400);
    expect(errorPaths(tooMany)).toEqual(['data.lines.0.quantity']);
    expectProblem(tooMuch, 400);
    expect(errorPaths(tooMuch)).toEqual(['data.lines.0.price']);
  });

  it('an unknown currency is refused on orders, refunds, gift cards and coupon checks', async () => {
    const shop = await createTestShop(t);
    const order = orderPaid('cur', 'c', AT, { total: 100 });

    const answers = [
      await postEvent(t, shop, { ...order, data: { ...order.data, currency: 'XYZ' } }),
      await postEvent(t, shop, {
        ...refunded('cur', 'r1', 10, AT),
        data: { orderId: 'cur', refundId: 'r1', amount: 10, currency: 'ZZZ' },
      }),
      await call(t, shop, 'POST', '/v1/gift-cards', { amount: 5000, currency: 'ZZZ' }),
      await call(t, shop, 'POST', '/v1/gift-cards', { amount: 5000, currency: 'XXX' }),
      await call(t, shop, 'POST', '/v1/coupons/validate', {
        code: 'NOPE',
        cart: { currency: 'ZZZ', total: 100 },
      }),
    ];

    for (const res of answers) expectProblem(res, 400);
    expect(answers.map(errorPaths)).toEqual([
      ['data.currency'],
      ['data.currency'],
      ['currency'],
      ['currency'],
      ['cart.currency'],
    ]);
    const fine = await call(t, shop, 'POST', '/v1/gift-cards', { amount: 5000, currency: 'EUR' });
    expect(fine.statusCode, fine.body).toBe(201);
  });

  it('a referral campaign whose point is worth 1e308 is refused', async () => {
    const shop = await createTestShop(t);

    const res = await call(t, shop, 'POST', '/v1/referral-campaigns', {
      name: 'Polecaj',
      settings: { pointValue: 1e308 },
    });

    expectProblem(res, 400);
    expect(errorPaths(res)).toEqual(['settings.pointValue']);
  });
});

describe('reads of sums beyond 2^53', () => {
  // Rows are written with the database's clock, which a faked test clock is apart from.
  it.skipIf(process.env.FAKETIME !== undefined)(
    'the customer view, analytics summary and lift, segment members and tier events answer for two orders of 2^53 − 1 stored before the bound',
    async () => {
      const shop = await createTestShop(t);
      await publish(t, shop, {
        rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
        settings: { holdoutPercent: 30 },
      });
      expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
      await send(t, shop, orderPaid('small', 'cBig', new Date().toISOString(), { total: 1000 }));
      const { id } = await t.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', 'cBig')
        .executeTakeFirstOrThrow();
      // what two API-valid orders left behind before the bound
      await sql`
      INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
      VALUES (${shop.id}, 'ord_big0', 'big0', ${id}, 'PLN', ${MAX_SAFE}, now(), now()),
             (${shop.id}, 'ord_big1', 'big1', ${id}, 'PLN', ${MAX_SAFE}, now(), now())`.execute(
        t.db,
      );
      await sql`
      INSERT INTO tier_events (shop_id, id, customer_id, type, to_tier, reason, metric_value, occurred_at)
      VALUES (${shop.id}, 'tir_big', ${id}, 'tier.upgraded', 'gold', 'qualified', ${2 * MAX_SAFE + 1000}, now())`.execute(
        t.db,
      );
      const year = new Date().getUTCFullYear();
      const range = `from=${year}-01-01&to=${year + 1}-01-01`;
      // 2 × (2^53 − 1) + 1000, as near as a JSON number gets
      const sum = 2 * MAX_SAFE + 1000;

      const customer = await call(t, shop, 'GET', '/v1/customers/cBig');
      const summary = await call(t, shop, 'GET', `/v1/analytics/summary?${range}`);
      const lift = await call(t, shop, 'GET', `/v1/analytics/lift?${range}`);
      const members = await call(t, shop, 'GET', '/v1/segments/vip/customers');
      const tierEvents = await call(t, shop, 'GET', '/v1/tier-events?limit=10');

      for (const res of [customer, summary, lift, members, tierEvents])
        expect(res.statusCode, res.body).toBe(200);
      expect(customer.json().orders.totalSpent).toEqual({ amount: sum, currency: 'PLN' });
      expect(summary.json().revenue).toBe(sum);
      expect(members.json().data[0]).toMatchObject({ customerId: 'cBig', totalSpent: sum });
      expect(tierEvents.json().data[0].metricValue).toBe(sum);
    },
  );
});

describe('platform deliveries out of range', () => {
  it('a Shopify order with a quantity beyond the bound fails with its reason, and reads keep working', async () => {
    const shop = await createTestShop(t);
    const body = JSON.stringify({
      id: 9001,
      admin_graphql_api_id: 'gid://shopify/Order/9001',
      currency: 'PLN',
      created_at: AT,
      total_price: '10.00',
      financial_status: 'paid',
      customer: { id: 42, admin_graphql_api_id: 'gid://shopify/Customer/42' },
      line_items: [{ id: 1, product_id: 5, quantity: 2_147_483_648, price: '1.00' }],
    });

    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(shop.webhookSecret, body, 'orders/paid', 'wh-qty'),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    await t.processor.drain();

    expect(await lastEvent(shop)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('order.lines[0].quantity 2147483648 is out of range'),
    });
    expect(
      (await call(t, shop, 'GET', '/v1/analytics/summary?from=2026-11-01&to=2026-12-01'))
        .statusCode,
    ).toBe(200);
  });

  it('a WooCommerce order with a total beyond 10^12 minor units or an unknown currency fails with its reason', async () => {
    const shop = await createTestShop(t);
    const woo = async (deliveryId: string, order: object) => {
      const body = JSON.stringify({
        id: 55,
        status: 'processing',
        date_created_gmt: '2026-11-20T10:00:00',
        customer_id: 0,
        line_items: [],
        ...order,
      });
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/woocommerce/${shop.id}`,
        headers: wooHeaders(shop.webhookSecret, body, 'order.created', deliveryId),
        payload: body,
      });
      expect(res.statusCode).toBe(200);
      await t.processor.drain();
      return lastEvent(shop);
    };

    expect(await woo('d-1', { currency: 'PLN', total: '20000000000.00' })).toMatchObject({
      status: 'failed',
      reason: 'order.total 2000000000000 is out of range (at most 1000000000000 minor units)',
    });
    expect(await woo('d-2', { currency: 'ZZZ', total: '10.00' })).toMatchObject({
      status: 'failed',
      reason: 'order.currency "ZZZ" is not an ISO 4217 currency',
    });
  });
});

describe('JSON bodies', () => {
  it('a key given twice is refused with a 400 naming it, and no points are granted', async () => {
    const shop = await createTestShop(t);
    await send(t, shop, orderPaid('o1', 'cA3', AT, { total: 1000 }));

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/customers/cA3/adjustments',
      headers: { ...bearer(shop.apiKey), 'content-type': 'application/json' },
      payload: '{"points":1,"points":999999,"reason":"dup"}',
    });
    const event = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...bearer(shop.apiKey), 'content-type': 'application/json' },
      payload: `{"type":"order.paid","data":{"id":"o2","currency":"PLN","total":1,"total":999999,"createdAt":"${AT}"}}`,
    });

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'points', message: expect.any(String) }]);
    expectProblem(event, 400);
    expect(errorPaths(event)).toEqual(['data.total']);
    const ledger = await call(t, shop, 'GET', '/v1/customers/cA3/ledger');
    expect(ledger.json().data.filter((e: { kind: string }) => e.kind === 'adjust')).toEqual([]);
  });

  it('a JSON body sent as text/plain gets 415', async () => {
    const shop = await createTestShop(t);

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/customers/cA3/adjustments',
      headers: { ...bearer(shop.apiKey), 'content-type': 'text/plain' },
      payload: '{"points":1,"reason":"plain"}',
    });

    expectProblem(res, 415);
  });
});
