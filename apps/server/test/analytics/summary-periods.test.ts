import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const paid = (id: string, customer: string | null, at: string, total: number) => ({
  type: 'order.paid',
  id,
  occurredAt: at,
  data: { id, customer: customer ? { id: customer } : null, currency: 'PLN', total, createdAt: at },
});
const noon = (day: string) => `2026-${day}T12:00:00Z`;

/**
 * Given a shop in Europe/Warsaw (UTC+1 until 29 March 2026, then UTC+2) and three ten-day
 * periods: P2 = 1–10 March, P1 = 11–20 March (the previous period) and P0 = 21–30 March
 * (the range asked for, `from=2026-03-21&to=2026-03-31`).
 *
 *   A: 15 Jan 100 zł (first ever) · P1 15 Mar 50 zł · P0 25 Mar 80 zł, 20 zł refunded
 *   B: P2 5 Mar 40 zł · P0 22 Mar 60 zł
 *   C: P1 12 Mar 30 zł · P0 23 Mar 30 zł and 24 Mar 20 zł
 *   D: P2 10 Mar 99 zł cancelled · P0 26 Mar 70 zł (so D's first counted order is in P0)
 *   E: P0 27 Mar 23:30 Warsaw 25 zł · 28 Mar 08:00 Warsaw 50 zł (8½ hours, one calendar day)
 *   F: P2 8 Mar 20 zł · P1 18 Mar 20 zł · 20 Mar 23:30 UTC = 21 Mar 00:30 Warsaw (P0) 20 zł
 *   H: P2 2 Mar 35 zł
 *   J: P1 16 Mar 45 zł
 *   K: P2 3 Mar 10 zł and 4 Mar 10 zł · P0 30 Mar 10 zł
 *   I: 30 Mar 22:30 UTC = 31 Mar 00:30 Warsaw (after P0) 10 zł
 *   guests: P1 19 Mar 10 zł · P0 29 Mar 15 zł
 */
beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t);
  const events = [
    paid('a1', 'A', noon('01-15'), 10000),
    paid('a2', 'A', noon('03-15'), 5000),
    paid('a3', 'A', noon('03-25'), 8000),
    {
      type: 'order.refunded',
      id: 'ra3',
      data: { orderId: 'a3', refundId: 'ra3', amount: 2000, currency: 'PLN' },
    },
    paid('b1', 'B', noon('03-05'), 4000),
    paid('b2', 'B', noon('03-22'), 6000),
    paid('c1', 'C', noon('03-12'), 3000),
    paid('c2', 'C', noon('03-23'), 3000),
    paid('c3', 'C', noon('03-24'), 2000),
    paid('d0', 'D', noon('03-10'), 9900),
    { type: 'order.cancelled', id: 'xd0', data: { orderId: 'd0' } },
    paid('d1', 'D', noon('03-26'), 7000),
    paid('e1', 'E', '2026-03-27T22:30:00Z', 2500),
    paid('e2', 'E', '2026-03-28T07:00:00Z', 5000),
    paid('f1', 'F', noon('03-08'), 2000),
    paid('f2', 'F', noon('03-18'), 2000),
    paid('f3', 'F', '2026-03-20T23:30:00Z', 2000),
    paid('h1', 'H', noon('03-02'), 3500),
    paid('j1', 'J', noon('03-16'), 4500),
    paid('k1', 'K', noon('03-03'), 1000),
    paid('k2', 'K', noon('03-04'), 1000),
    paid('k3', 'K', noon('03-30'), 1000),
    paid('i1', 'I', '2026-03-30T22:30:00Z', 1000),
    paid('g1', null, noon('03-19'), 1000),
    paid('g0', null, noon('03-29'), 1500),
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

const summary = async (from: string, to: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/analytics/summary?from=${from}&to=${to}`,
    headers: bearer(shop.apiKey),
  });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('the summary of a range, beside the period before it', () => {
  it('splits customers into new (first counted order ever in the range) and returning', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    // A (first 15 Jan), B (5 Mar), C (12 Mar), F (8 Mar), K (3 Mar) bought before; D's earlier
    // order was cancelled, so D is new, as is E. I's order is on 31 March in Warsaw, outside.
    expect(s).toMatchObject({ customers: 7, newCustomers: 2, returningCustomers: 5 });
  });

  it('splits revenue, refunds deducted, into new, returning and guest orders that sum to revenue', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    expect(s).toMatchObject({
      orders: 10, // a3 b2 c2 c3 d1 e1 e2 f3 k3 g0
      revenue: 36000,
      revenueFromNew: 7000 + 2500 + 5000, // D, E
      revenueFromReturning: 8000 - 2000 + 6000 + (3000 + 2000) + 2000 + 1000, // A B C F K
      revenueFromGuests: 1500,
    });
    expect(s.revenueFromNew + s.revenueFromReturning + s.revenueFromGuests).toBe(s.revenue);
  });

  it('keeps the figures API.md defines as they were', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    expect(s).toMatchObject({
      from: '2026-03-21',
      to: '2026-03-31',
      currency: 'PLN',
      orders: 10,
      revenue: 36000,
      customers: 7,
      aov: 3600,
      repeatPurchaseRate: 2 / 7, // C and E
    });
  });

  it('measures retention as the share of the previous period’s customers who bought again', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    // P1's customers: A, C, F, J (the guest is no customer); A, C and F bought in P0 (F at
    // 00:30 on 21 March in Warsaw), J did not; K skipped P1.
    expect(s.retention).toBe(3 / 4);
    expect(s.churn).toBe(1 / 4);
  });

  it('takes the median of the calendar days from first to second order, odd count', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    // Second orders in P0: B 5→22 Mar (17 days), C 12→23 Mar (11), E 27→28 Mar (1 calendar day in
    // Warsaw, 8½ hours apart). A's and F's second orders were in P1, K's in P2; D has one.
    expect(s.medianDaysToSecondOrder).toBe(11);
  });

  it('counts purchase frequency as customers’ orders per customer, guest orders left out', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    expect(s.purchaseFrequency).toBe(9 / 7);
  });

  it('answers the same figures for the previous period of equal length', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    expect(s.previous).toEqual({
      from: '2026-03-11',
      to: '2026-03-21',
      currency: 'PLN',
      orders: 5, // a2 c1 f2 j1 g1
      revenue: 5000 + 3000 + 2000 + 4500 + 1000,
      customers: 4, // A C F J
      aov: 3100,
      repeatPurchaseRate: 0,
      newCustomers: 2, // C, J
      returningCustomers: 2, // A, F
      revenueFromNew: 3000 + 4500,
      revenueFromReturning: 5000 + 2000,
      revenueFromGuests: 1000,
      // P2's customers: B, F, H, K (D's only P2 order was cancelled); only F bought in P1
      retention: 1 / 4,
      churn: 3 / 4,
      // Second orders in P1: F 8→18 Mar (10 days), A 15 Jan→15 Mar (59 days): an even count
      medianDaysToSecondOrder: (10 + 59) / 2,
      purchaseFrequency: 1,
    });
    expect(s.previous).not.toHaveProperty('previous');
  });

  it('gives the relative change of each figure, null where the previous one is 0', async () => {
    const s = await summary('2026-03-21', '2026-03-31');
    const close = (value: number) => expect.closeTo(value, 12);
    expect(s.change).toEqual({
      orders: close((10 - 5) / 5),
      revenue: close((36000 - 15500) / 15500),
      customers: close((7 - 4) / 4),
      aov: close((3600 - 3100) / 3100),
      repeatPurchaseRate: null, // 0 in the previous period
      newCustomers: 0,
      returningCustomers: close((5 - 2) / 2),
      revenueFromNew: close((14500 - 7500) / 7500),
      revenueFromReturning: close((20000 - 7000) / 7000),
      revenueFromGuests: close((1500 - 1000) / 1000),
      retention: close((3 / 4 - 1 / 4) / (1 / 4)),
      churn: close((1 / 4 - 3 / 4) / (3 / 4)),
      medianDaysToSecondOrder: close((11 - 34.5) / 34.5),
      purchaseFrequency: close((9 / 7 - 1) / 1),
    });
  });
});

describe('null figures', () => {
  it('leaves retention, churn and every change null when the previous period had no customers', async () => {
    // 15 January: A's first order ever; nothing in the 13 days before.
    const s = await summary('2026-01-02', '2026-01-16');
    expect(s).toMatchObject({
      orders: 1,
      customers: 1,
      newCustomers: 1,
      returningCustomers: 0,
      revenueFromNew: 10000,
      retention: null,
      churn: null,
      medianDaysToSecondOrder: null, // A's second order is in March
      purchaseFrequency: 1,
    });
    expect(s.previous).toMatchObject({ from: '2025-12-19', to: '2026-01-02', customers: 0 });
    expect(Object.values(s.change).every((v) => v === null)).toBe(true);
  });

  it('answers zeros and nulls for a range without orders', async () => {
    const s = await summary('2025-06-01', '2025-07-01');
    expect(s).toEqual({
      from: '2025-06-01',
      to: '2025-07-01',
      currency: 'PLN',
      orders: 0,
      revenue: 0,
      customers: 0,
      aov: 0,
      repeatPurchaseRate: 0,
      newCustomers: 0,
      returningCustomers: 0,
      revenueFromNew: 0,
      revenueFromReturning: 0,
      revenueFromGuests: 0,
      retention: null,
      churn: null,
      medianDaysToSecondOrder: null,
      purchaseFrequency: null,
      previous: expect.objectContaining({ from: '2025-05-02', to: '2025-06-01', orders: 0 }),
      change: expect.any(Object),
    });
  });

  it('gives churn 1 when none of the previous period’s customers came back', async () => {
    // P0 and after: 31 March holds only I's order; P0's seven customers do not return.
    const s = await summary('2026-03-31', '2026-04-10');
    expect(s).toMatchObject({ customers: 1, newCustomers: 1, retention: 0, churn: 1 });
    expect(s.change.customers).toBeCloseTo((1 - 7) / 7, 12);
  });
});

describe('a range reaching far into the past', () => {
  it('answers even when the period before it starts before year 1', async () => {
    const s = await summary('0500-01-01', '2026-03-21');
    // A B C F H J K, every one's first order in the range; the period before holds nothing
    expect(s).toMatchObject({ customers: 7, newCustomers: 7, retention: null });
    expect(s.previous.customers).toBe(0);
  });
});

describe('the OpenAPI document', () => {
  it('describes every new summary figure', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const schema =
      res.json().paths['/v1/analytics/summary'].get.responses['200'].content['application/json']
        .schema;
    for (const field of [
      'newCustomers',
      'returningCustomers',
      'revenueFromNew',
      'revenueFromReturning',
      'revenueFromGuests',
      'retention',
      'churn',
      'medianDaysToSecondOrder',
      'purchaseFrequency',
    ]) {
      expect(schema.properties[field].description, field).toBeTruthy();
      expect(schema.properties.previous.properties[field], field).toBeDefined();
      expect(schema.properties.change.properties[field], field).toBeDefined();
    }
    expect(schema.properties.previous.description).toBeTruthy();
    expect(schema.properties.change.description).toBeTruthy();
  });
});
