import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';

/**
 * The CLV page's data read a page at a time in SQL: six customers with predictions written
 * directly (as the scoring job leaves them), ties in every order.
 *
 * | customer | spent (zł) | P(alive) | expected purchases | predicted value (zł) |
 * | -------- | ---------- | -------- | ------------------ | -------------------- |
 * | k1       | 300        | 1        | 2                  | 400                  |
 * | k2       | 100        | 1        | 1.5                | 400                  |
 * | k3       | 500        | 0.3      | 0.5                | 50                   |
 * | k4       | 500        | 0.2      | 0.4                | — (no Gamma-Gamma)   |
 * | k5       | 50         | 0.45     | 0.3                | 3,000                |
 * | k6       | never bought (an old prediction) | 0.1 | 0.1 | 10                 |
 */
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t, 'Sklep CLV');
  const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
  await sql`INSERT INTO customers (shop_id, id, external_id, email)
            SELECT ${shop.id}, id, 'ext-' || id, id || '@example.pl'
            FROM unnest(${ids}::text[]) AS t(id)`.execute(t.db);
  const spent: Array<[string, number]> = [
    ['k1', 30000],
    ['k2', 10000],
    ['k3', 50000],
    ['k4', 50000],
    ['k5', 5000],
  ];
  await sql`
    INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
    SELECT ${shop.id}, 'ord_' || id, 'o-' || id, id, 'PLN', total, '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z'
    FROM unnest(${spent.map((s) => s[0])}::text[], ${spent.map((s) => s[1])}::bigint[]) AS t(id, total)`.execute(
    t.db,
  );
  await t.db
    .insertInto('clv_models')
    .values({
      shop_id: shop.id,
      fitted_at: new Date('2026-06-01T00:00:00Z'),
      scored_at: new Date('2026-06-01T00:01:00Z'),
      calibration_end: '2026-06-01',
      customers: 5,
      bgnbd: JSON.stringify({ r: 0.2, alpha: 4, a: 0.8, b: 2.4, logLikelihood: -10 }),
      gamma_gamma: JSON.stringify({ p: 6, q: 4, v: 15 }),
    })
    .execute();
  const predictions: Array<[string, number, number, number | null]> = [
    ['k1', 1, 2, 40000],
    ['k2', 1, 1.5, 40000],
    ['k3', 0.3, 0.5, 5000],
    ['k4', 0.2, 0.4, null],
    ['k5', 0.45, 0.3, 300000],
    ['k6', 0.1, 0.1, 1000],
  ];
  await t.db
    .insertInto('customer_predictions')
    .values(
      predictions.map(([id, alive, purchases, clv]) => ({
        shop_id: shop.id,
        customer_id: id,
        probability_alive: alive,
        expected_purchases: purchases,
        predicted_clv: clv,
        scored_at: new Date('2026-06-01T00:01:00Z'),
      })),
    )
    .execute();
});
afterAll(() => t.close());

const get = async (query = '') => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/analytics/clv${query}`,
    headers: bearer(shop.apiKey),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const ids = (list: Array<{ customerId: string }>) => list.map((c) => c.customerId.slice(4));

describe('the CLV overview', () => {
  it('gives the distribution of predicted value and each list in its order, ties by customer', async () => {
    const clv = await get();
    expect(clv.distribution).toEqual([
      { upTo: 5000, customers: 1, value: 1000 },
      { upTo: 10000, customers: 1, value: 5000 },
      { upTo: 25000, customers: 0, value: 0 },
      { upTo: 50000, customers: 2, value: 80000 },
      { upTo: 100000, customers: 0, value: 0 },
      { upTo: 250000, customers: 0, value: 0 },
      { upTo: null, customers: 1, value: 300000 },
    ]);
    expect(ids(clv.topByValue)).toEqual(['k5', 'k1', 'k2', 'k3', 'k6', 'k4']);
    expect(ids(clv.topByProbabilityAlive)).toEqual(['k1', 'k2', 'k5', 'k3', 'k4', 'k6']);
    // buyers below P(alive) 0.5 by spend; k6 has not bought
    expect(ids(clv.atRisk)).toEqual(['k3', 'k4', 'k5']);
    expect(clv.atRisk[0]).toEqual({
      customerId: 'ext-k3',
      email: 'k3@example.pl',
      probabilityAlive: 0.3,
      expectedPurchases: 0.5,
      predictedClv: 5000,
      historicalRevenue: 50000,
      lastOrderOn: '2026-05-01',
    });
    expect(clv.topByValue.find((c: { customerId: string }) => c.customerId === 'ext-k6')).toEqual({
      customerId: 'ext-k6',
      email: 'k6@example.pl',
      probabilityAlive: 0.1,
      expectedPurchases: 0.1,
      predictedClv: 1000,
      historicalRevenue: 0,
      lastOrderOn: null,
    });
  });

  it('pages every list with limit and offset', async () => {
    const page = await get('?limit=2&offset=1');
    expect(ids(page.topByValue)).toEqual(['k1', 'k2']);
    expect(ids(page.topByProbabilityAlive)).toEqual(['k2', 'k5']);
    expect(ids(page.atRisk)).toEqual(['k4', 'k5']);
    const last = await get('?limit=100&offset=5');
    expect(ids(last.topByValue)).toEqual(['k4']);
    expect(last.atRisk).toEqual([]);
    // the distribution is the whole shop's on every page
    expect(page.distribution).toEqual((await get()).distribution);
  });

  it('refuses a page size out of range', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/clv?limit=101',
      headers: bearer(shop.apiKey),
    });
    expect(res.statusCode).toBe(400);
  });
});
