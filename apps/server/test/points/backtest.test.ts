import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, publish } from './support.ts';

const clock = fixedClock('2026-06-30T12:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

/**
 * 10,000 paid orders of 2,000 customers in the last 30 days, written straight to the tables
 * (the backtest reads stored orders; ingestion is tested elsewhere). Every fifth customer also
 * has an older order, so their first order in the window is not their first order ever.
 */
beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Backtest');
  await sql`
    INSERT INTO customers (shop_id, id, external_id)
    SELECT ${shop.id}, 'cus_bt' || lpad(i::text, 6, '0'), 'bt-' || i FROM generate_series(1, 2000) i`.execute(
    t.db,
  );
  await sql`
    INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, subtotal, shipping, placed_at, paid_at)
    SELECT ${shop.id}, 'ord_bt' || lpad(i::text, 6, '0'), 'bt-o-' || i,
           'cus_bt' || lpad((1 + i % 2000)::text, 6, '0'), 'PLN',
           s + 1500, s, 1500, at, at
    FROM generate_series(1, 10000) i,
         LATERAL (SELECT (i * 7919 % 20000) + 99 AS s,
                         timestamptz '2026-06-30T11:00:00Z' - (i % 29) * interval '1 day' - (i % 60) * interval '1 minute' AS at) v`.execute(
    t.db,
  );
  await sql`
    INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, subtotal, placed_at, paid_at)
    SELECT ${shop.id}, 'ord_bt_old' || i, 'bt-old-' || i, 'cus_bt' || lpad(i::text, 6, '0'), 'PLN',
           5000, 5000, timestamptz '2025-01-01T10:00:00Z', timestamptz '2025-01-01T10:00:00Z'
    FROM generate_series(5, 2000, 5) i`.execute(t.db);
});
afterAll(() => t.close());

describe('backtesting a draft programme', () => {
  it('replays 10,000 orders under the draft and the live rules, matching a direct recount', async () => {
    await call(t, shop, 'PUT', '/v1/programme/draft', {
      rules: [
        { id: 'spend', code: 'spend', args: { pointsPerUnit: 2, minOrder: 5000 } },
        { id: 'first', code: 'first_order', args: { points: 25 } },
      ],
      settings: { pointValue: 4 },
    });
    const started = Date.now();
    const res = await call(t, shop, 'POST', '/v1/programme/draft/backtest', { days: 30 });
    const seconds = (Date.now() - started) / 1000;
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();

    const recount = await sql<{ live: number; draft: number; firsts: number; affected: number }>`
      WITH o AS (
        SELECT customer_id, subtotal, floor(subtotal / 100.0) AS live,
               CASE WHEN subtotal >= 5000 THEN floor(subtotal * 2 / 100.0) ELSE 0 END AS draft
        FROM orders WHERE shop_id = ${shop.id} AND paid_at >= timestamptz '2026-05-31T12:00:00Z'),
      firsts AS (
        SELECT DISTINCT ON (customer_id) customer_id, paid_at FROM orders
        WHERE shop_id = ${shop.id} ORDER BY customer_id, placed_at, id)
      SELECT sum(live)::bigint AS live, sum(draft)::bigint AS draft,
             (SELECT count(*) FROM firsts WHERE paid_at >= timestamptz '2026-05-31T12:00:00Z')::bigint AS firsts,
             (SELECT count(*) FROM (
                SELECT customer_id FROM o GROUP BY customer_id
                HAVING sum(live) <> sum(draft) + CASE WHEN customer_id IN (
                  SELECT customer_id FROM firsts WHERE paid_at >= timestamptz '2026-05-31T12:00:00Z') THEN 25 ELSE 0 END
             ) x)::bigint AS affected
      FROM o`.execute(t.db);
    const r = recount.rows[0]!;
    expect(report.orders).toBe(10000);
    expect(report.customers).toBe(2000);
    expect(report.live.points).toBe(r.live);
    expect(report.draft.points).toBe(r.draft + 25 * r.firsts);
    expect(r.firsts).toBe(1600);
    expect(report.live.cost).toEqual({ amount: r.live * 5, currency: 'PLN' });
    expect(report.draft.cost).toEqual({ amount: (r.draft + 25 * r.firsts) * 4, currency: 'PLN' });
    expect(report.difference).toBe(report.draft.points - report.live.points);
    expect(report.largestDifferences).toHaveLength(20);
    const top = report.largestDifferences[0];
    expect(Math.abs(top.difference)).toBeGreaterThanOrEqual(
      Math.abs(report.largestDifferences[19].difference),
    );
    expect(report.customersAffected).toBe(r.affected);
    console.info(`backtest of 10,000 orders: ${seconds.toFixed(2)} s`);
  });

  it('answers 404 when there is no draft to test', async () => {
    await publish(t, shop, { rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }] });
    expect(
      (await call(t, shop, 'POST', '/v1/programme/draft/backtest', { days: 30 })).statusCode,
    ).toBe(404);
  });
});
