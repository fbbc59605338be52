import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  type TestApp,
} from '../support/app.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const paid = (id: string, customer: string | null, at: string, total: number) => ({
  type: 'order.paid',
  id,
  occurredAt: at,
  data: { id, customer: customer ? { id: customer } : null, currency: 'PLN', total, createdAt: at },
});

/**
 * The fixture, in a shop in Europe/Warsaw (UTC+1 in winter):
 *   A: 10 Jan 100 zł; 31 Jan 23:30 UTC = 1 Feb 00:30 in Warsaw, 50 zł; 5 Mar 70 zł
 *   B: 20 Jan 50 zł, 10 zł refunded
 *   C: 15 Feb 30 zł cancelled; 20 Feb 40 zł
 *   a guest: 10 Feb 20 zł
 */
beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t); // Europe/Warsaw
  const events = [
    paid('o1', 'A', '2026-01-10T10:00:00Z', 10000),
    paid('o2', 'A', '2026-01-31T23:30:00Z', 5000),
    paid('o3', 'A', '2026-03-05T12:00:00Z', 7000),
    paid('o4', 'B', '2026-01-20T12:00:00Z', 5000),
    {
      type: 'order.refunded',
      id: 'r4',
      data: { orderId: 'o4', refundId: 'r4', amount: 1000, currency: 'PLN' },
    },
    paid('o5', 'C', '2026-02-15T12:00:00Z', 3000),
    { type: 'order.cancelled', id: 'x5', data: { orderId: 'o5' } },
    paid('o6', 'C', '2026-02-20T12:00:00Z', 4000),
    paid('o7', null, '2026-02-10T12:00:00Z', 2000),
  ];
  for (const payload of events) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload,
    });
    expect(res.statusCode).toBe(202);
  }
  await t.processor.drain();
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });

const zeros = Object.fromEntries(
  [
    'orders',
    'revenue',
    'customers',
    'aov',
    'repeatPurchaseRate',
    'newCustomers',
    'returningCustomers',
    'revenueFromNew',
    'revenueFromReturning',
    'revenueFromGuests',
  ].map((k) => [k, 0]),
);
const nullable = ['retention', 'churn', 'medianDaysToSecondOrder', 'purchaseFrequency'];

describe('GET /v1/analytics/summary', () => {
  it('counts January in Warsaw: an order at 00:30 on 1 February belongs to February', async () => {
    const res = await get('/v1/analytics/summary?from=2026-01-01&to=2026-02-01');
    expect(res.json()).toEqual({
      from: '2026-01-01',
      to: '2026-02-01',
      currency: 'PLN',
      orders: 2, // o1, o4
      revenue: 14000, // 100 zł + (50 − 10) zł
      customers: 2,
      aov: 7000,
      repeatPurchaseRate: 0,
      newCustomers: 2, // both first bought in January
      returningCustomers: 0,
      revenueFromNew: 14000,
      revenueFromReturning: 0,
      revenueFromGuests: 0,
      retention: null, // December had no customers
      churn: null,
      medianDaysToSecondOrder: null, // A's second order is on 1 February in Warsaw
      purchaseFrequency: 1,
      previous: {
        from: '2025-12-01',
        to: '2026-01-01',
        currency: 'PLN',
        ...zeros,
        retention: null,
        churn: null,
        medianDaysToSecondOrder: null,
        purchaseFrequency: null,
      },
      change: Object.fromEntries(
        Object.keys(zeros)
          .concat(nullable)
          .map((k) => [k, null]),
      ),
    });
  });

  it('leaves out cancelled orders, deducts refunds, and counts guest orders but not guests', async () => {
    const res = await get('/v1/analytics/summary?from=2026-01-01&to=2026-04-01');
    expect(res.json()).toMatchObject({
      orders: 6, // o1 o2 o3 o4 o6 o7
      revenue: 10000 + 5000 + 7000 + 4000 + 4000 + 2000,
      customers: 3,
      aov: Math.round(32000 / 6),
      repeatPurchaseRate: 1 / 3, // only A has two or more
    });
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    const res = await get('/v1/analytics/summary?from=2026-02-01&to=2026-01-01');
    expectProblem(res, 400);
    expect(res.json().errors[0].path).toBe('query.to');
  });
});

describe('GET /v1/analytics/cohorts', () => {
  it('groups customers by the month of their first counted order, in the shop’s calendar', async () => {
    const res = await get('/v1/analytics/cohorts?from=2026-01-01&to=2026-04-01');
    expect(res.json()).toEqual({
      cohorts: [
        // A and B; A buys again in February (00:30 Warsaw) and March
        { cohort: '2026-01', customers: 2, retention: [1, 0.5, 0.5] },
        // C, whose first counted order is the 20 Feb one (the 15 Feb one was cancelled)
        { cohort: '2026-02', customers: 1, retention: [1, 0] },
        { cohort: '2026-03', customers: 0, retention: [0] },
      ],
    });
  });

  it('stops retention at the month before `to`', async () => {
    const res = await get('/v1/analytics/cohorts?from=2026-01-01&to=2026-03-01');
    expect(res.json().cohorts).toEqual([
      { cohort: '2026-01', customers: 2, retention: [1, 0.5] },
      { cohort: '2026-02', customers: 1, retention: [1] },
    ]);
  });
});

describe('analytics as CSV', () => {
  it('answers a spreadsheet-ready cohort matrix when asked for text/csv', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/cohorts?from=2026-01-01&to=2026-04-01',
      headers: { ...bearer(shop.apiKey), accept: 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toBe(
      '\uFEFFcohort,customers,month_0,month_1,month_2\r\n' +
        '2026-01,2,1,0.5,0.5\r\n' +
        '2026-02,1,1,0\r\n' +
        '2026-03,0,0\r\n',
    );
  });

  it('answers the summary as one CSV row', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/summary?from=2026-01-01&to=2026-02-01',
      headers: { ...bearer(shop.apiKey), accept: 'text/csv' },
    });
    const figures =
      'orders,revenue,customers,aov,repeatPurchaseRate,newCustomers,returningCustomers,' +
      'revenueFromNew,revenueFromReturning,revenueFromGuests,retention,churn,' +
      'medianDaysToSecondOrder,purchaseFrequency';
    const prefixed = (prefix: string) =>
      figures
        .split(',')
        .map((f) => prefix + f)
        .join(',');
    expect(res.body).toBe(
      `\uFEFFfrom,to,currency,${figures},` +
        `previous.from,previous.to,previous.currency,${prefixed('previous.')},` +
        `${prefixed('change.')}\r\n` +
        // the API.md figures first, as before; then new vs returning, retention (December had
        // no customers: empty), time to second order (none), purchase frequency
        '2026-01-01,2026-02-01,PLN,2,14000,2,7000,0,2,0,14000,0,0,,,,1,' +
        '2025-12-01,2026-01-01,PLN,0,0,0,0,0,0,0,0,0,0,,,,,' +
        ',,,,,,,,,,,,,\r\n',
    );
  });
});

describe('customer value before any CLV fit', () => {
  it('answers 409 and says how to fit a model', async () => {
    const res = await get('/v1/customers/A/value');
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('POST /v1/analytics/clv/fit');
  });
});

describe('a CLV fit without repeat purchases', () => {
  it('answers 422 rather than a model learnt from nothing', async () => {
    const single = await createTestShop(t, 'Jednorazowy');
    for (const id of ['s1', 's2', 's3', 's4']) {
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(single.apiKey),
        payload: paid(id, `c-${id}`, '2026-01-10T10:00:00Z', 1000),
      });
    }
    await t.processor.drain();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/analytics/clv/fit',
      headers: bearer(single.apiKey),
      payload: { calibrationEnd: '2026-06-30' },
    });
    expectProblem(res, 422);
    expect(res.json().title).toBe('No repeat purchases');
  });
});
