import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { runCustomerScoring } from '../../src/analytics/queue-customer-scoring.ts';
import { call } from '../points/support.ts';

// Today is 1 June 2026 (Warsaw). Purchase days (one order of 100 zł each):
//
// | customer | days                                   |
// | -------- | -------------------------------------- |
// | ala      | 5 Jan, 10 Jan, 20 Feb, 25 May          |
// | bartek   | 20 Jan, 25 Feb                         |
// | celina   | 1 Feb                                  |
// | darek    | 10 Mar, 10 Mar (two orders), 1 Apr     |
// | ewa      | 1 Jun 2025, 1 Jul 2025, …, 1 Dec 2025 (7 orders) |
const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep RFM');
  const days: Record<string, string[]> = {
    ala: ['2026-01-05', '2026-01-10', '2026-02-20', '2026-05-25'],
    bartek: ['2026-01-20', '2026-02-25'],
    celina: ['2026-02-01'],
    darek: ['2026-03-10', '2026-03-10', '2026-04-01'],
    ewa: [
      '2025-06-01',
      '2025-07-01',
      '2025-08-01',
      '2025-09-01',
      '2025-10-01',
      '2025-11-01',
      '2025-12-01',
    ],
  };
  const ids = Object.keys(days);
  await sql`INSERT INTO customers (shop_id, id, external_id, email)
            SELECT ${shop.id}, id, id, id || '@example.pl' FROM unnest(${ids}::text[]) AS t(id)`.execute(
    t.db,
  );
  const orders = Object.entries(days).flatMap(([c, ds]) =>
    ds.map((d, i) => [`${c}-${i}`, c, `${d}T10:00:00Z`] as const),
  );
  await sql`INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
            SELECT ${shop.id}, e, e, c, 'PLN', 10000, at, at
            FROM unnest(${orders.map((o) => o[0])}::text[], ${orders.map((o) => o[1])}::text[],
                        ${orders.map((o) => o[2])}::timestamptz[]) AS t(e, c, at)`.execute(t.db);
});
afterAll(() => t.close());

async function get(path: string) {
  const res = await call(t, shop, 'GET', path);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('the RFM grid', () => {
  it('puts each customer in the cell of their recency and frequency, with their revenue', async () => {
    const grid = await get('/v1/analytics/rfm');
    expect(grid.asOf).toBe('2026-06-01');
    expect(grid.cells).toEqual([
      // ala: 7 days since 25 May, 4 orders
      { recency: 0, frequency: 3, customers: 1, revenue: 40_000, revenuePerCustomer: 40_000 },
      // darek: 61 days, 3 orders
      { recency: 1, frequency: 2, customers: 1, revenue: 30_000, revenuePerCustomer: 30_000 },
      // bartek: 96 days, 2 orders; celina: 120 days, 1 order
      { recency: 2, frequency: 0, customers: 1, revenue: 10_000, revenuePerCustomer: 10_000 },
      { recency: 2, frequency: 1, customers: 1, revenue: 20_000, revenuePerCustomer: 20_000 },
      // ewa: 182 days, 7 orders
      { recency: 3, frequency: 4, customers: 1, revenue: 70_000, revenuePerCustomer: 70_000 },
    ]);
  });
});

describe('repeat purchases of customers acquired in a range', () => {
  it('gives the time to the second order, the repeat curve and the retention curve', async () => {
    const report = await get('/v1/analytics/repeat?from=2026-01-01&to=2026-04-01');
    // ala, bartek, celina, darek; second purchase days after 5, 36 and 22 days
    expect(report.customers).toBe(4);
    expect(report.medianDaysToSecondOrder).toBe(22);
    const buckets = Object.fromEntries(
      report.timeToSecondOrder.map((b: { upToDays: number | null; customers: number }) => [
        String(b.upToDays),
        b.customers,
      ]),
    );
    expect(buckets).toMatchObject({ '7': 1, '14': 0, '30': 1, '60': 1, '90': 0, null: 0 });
    const curve = Object.fromEntries(report.repeatCurve.map((p: { days: number }) => [p.days, p]));
    expect(curve[30]).toEqual({ days: 30, eligible: 4, repeaters: 2, rate: 0.5 });
    expect(curve[90]).toEqual({ days: 90, eligible: 3, repeaters: 2, rate: 0.6667 }); // darek is 83 days old
    expect(curve[180]).toMatchObject({ eligible: 0, rate: null });
    // Cohorts: January (ala, bartek), February (celina), March (darek).
    // Month 1: ala and bartek in February; celina not in March; darek in April → 3 of 4.
    expect(report.retentionCurve[0]).toEqual({ month: 0, cohortCustomers: 4, active: 4, rate: 1 });
    expect(report.retentionCurve[1]).toEqual({
      month: 1,
      cohortCustomers: 4,
      active: 3,
      rate: 0.75,
    });
    // Month 4 exists for January only (May): ala.
    expect(report.retentionCurve[4]).toEqual({
      month: 4,
      cohortCustomers: 2,
      active: 1,
      rate: 0.5,
    });
    expect(report.retentionCurve).toHaveLength(5);
  });
});

describe('the CLV overview', () => {
  it('has no model before the first fit, then the model, the distribution and the lists', async () => {
    expect(await get('/v1/analytics/clv')).toEqual({ currency: 'PLN', model: null });
    const fit = await call(t, shop, 'POST', '/v1/analytics/clv/fit', {
      calibrationEnd: '2026-06-01',
    });
    expect(fit.statusCode, fit.body).toBe(200);
    // the customers are scored by the job the fit queued (the worker's task)
    expect((await get('/v1/analytics/clv')).model.predictionsPending).toBe(true);
    await runCustomerScoring(t.db, clock, { shopId: shop.id });
    const clv = await get('/v1/analytics/clv');
    expect(clv.model.predictionsPending).toBe(false);
    expect(clv.model).toMatchObject({ calibrationEnd: '2026-06-01', customers: 5 });
    expect(clv.model.bgnbd.logLikelihood).toBe(fit.json().bgnbd.logLikelihood);
    const predictions = await t.db
      .selectFrom('customer_predictions')
      .select(['customer_id', 'predicted_clv', 'probability_alive'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(
      clv.distribution.reduce((s: number, b: { customers: number }) => s + b.customers, 0),
    ).toBe(predictions.filter((p) => p.predicted_clv !== null).length);
    const best = [...predictions].sort(
      (a, b) => Number(b.predicted_clv ?? -1) - Number(a.predicted_clv ?? -1),
    )[0]!;
    expect(clv.topByValue[0].customerId).toBe(best.customer_id);
    for (const c of clv.atRisk) expect(c.probabilityAlive).toBeLessThan(0.5);
    expect(clv.atRisk.length).toBe(predictions.filter((p) => p.probability_alive < 0.5).length);
  });
});
