import { Logger, runOnce } from 'graphile-worker';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { refreshClv } from '../../src/analytics/refresh-clv.ts';
import { runCustomerScoring } from '../../src/analytics/queue-customer-scoring.ts';
import { call } from '../points/support.ts';

const clock = fixedClock('2026-07-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

/**
 * 200 customers over 2025–26: "active" ones buy every few weeks up to June 2026, "lapsed" ones
 * bought as often but stopped in mid-2025, one-timers bought once.
 */
beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep CLV');
  const customers = Array.from({ length: 200 }, (_, i) => `cus_clv${String(i).padStart(4, '0')}`);
  await sql`INSERT INTO customers (shop_id, id, external_id)
            SELECT ${shop.id}, id, id FROM unnest(${customers}::text[]) AS t(id)`.execute(t.db);
  const orders: Array<[string, string, string, number]> = [];
  customers.forEach((id, i) => {
    const kind = i % 3; // 0 active, 1 lapsed, 2 one-timer
    const first = Date.UTC(2025, 0, 5 + (i % 20));
    const count = kind === 2 ? 1 : 6 + (i % 5);
    const gap = kind === 0 ? 9 * 7 : 4 * 7; // active: spread to mid-2026; lapsed: done by mid-2025
    for (let k = 0; k < count; k++) {
      orders.push([
        `co-${i}-${k}`,
        id,
        new Date(first + k * gap * 86_400_000).toISOString(),
        5000 + ((i * 37 + k * 11) % 40) * 100,
      ]);
    }
  });
  await sql`INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
            SELECT ${shop.id}, 'ord_' || e, e, c, 'PLN', tot, at, at
            FROM unnest(${orders.map((o) => o[0])}::text[], ${orders.map((o) => o[1])}::text[],
                        ${orders.map((o) => o[2])}::timestamptz[], ${orders.map((o) => o[3])}::bigint[])
              AS t(e, c, at, tot)`.execute(t.db);
});
afterAll(() => t.close());

const prediction = async (id: string) =>
  t.db
    .selectFrom('customer_predictions')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', id)
    .executeTakeFirstOrThrow();

describe('the scheduled CLV refresh', () => {
  it('fits a first model and scores every buyer: recent regulars are more alive than lapsed ones', async () => {
    expect(await refreshClv(t.db, clock, shop.id)).toBe(200);
    const active = await prediction('cus_clv0003');
    const lapsed = await prediction('cus_clv0004');
    expect(active.probability_alive).toBeGreaterThan(0.5);
    expect(lapsed.probability_alive).toBeLessThan(active.probability_alive);
    expect(active.predicted_clv).toBeGreaterThan(lapsed.predicted_clv ?? 0);
  });

  it('serves the predictions as segment facts', async () => {
    const preview = await call(t, shop, 'POST', '/v1/segments/preview', {
      rules: {
        all: [
          { fact: 'probability_alive', op: 'gte', value: 0.5 },
          { fact: 'predicted_clv', op: 'gt', value: 0 },
        ],
      },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM customer_predictions
      WHERE shop_id = ${shop.id} AND probability_alive >= 0.5 AND predicted_clv > 0`.execute(t.db);
    expect(preview.json().customers).toBe(rows[0]!.n);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('refits a week after the last fit, not before', async () => {
    const first = await t.db
      .selectFrom('clv_models')
      .select('fitted_at')
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    clock.set('2026-07-05T10:00:00Z');
    await refreshClv(t.db, clock, shop.id);
    const same = await t.db
      .selectFrom('clv_models')
      .select('fitted_at')
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(same.fitted_at).toEqual(first.fitted_at);
    clock.set('2026-07-08T10:00:00Z');
    await refreshClv(t.db, clock, shop.id);
    const later = await t.db
      .selectFrom('clv_models')
      .select('fitted_at')
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(later.fitted_at).toEqual(new Date('2026-07-08T10:00:00Z'));
  });

  it('skips a shop without enough history', async () => {
    const empty = await createTestShop(t, 'Pusty');
    expect(await refreshClv(t.db, clock, empty.id)).toBe(0);
  });
});

describe('the fit route with the job queue', () => {
  it('answers with the fit and leaves the scoring to a queued job, which the CLV page waits for', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      clock.set('2026-07-10T10:00:00Z');
      const fit = await call(t, shop, 'POST', '/v1/analytics/clv/fit', {
        calibrationEnd: '2026-06-30',
      });
      expect(fit.statusCode, fit.body).toBe(200);
      const scoredBefore = async () =>
        (
          await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM customer_predictions
            WHERE shop_id = ${shop.id} AND scored_at >= ${clock.now()}`.execute(t.db)
        ).rows[0]!.n;
      expect(await scoredBefore()).toBe(0);
      const pending = (await call(t, shop, 'GET', '/v1/analytics/clv')).json().model;
      expect(pending).toMatchObject({ calibrationEnd: '2026-06-30', predictionsPending: true });
      const { rows: jobs } = await sql<{ task_identifier: string; key: string }>`
        SELECT task_identifier, key FROM graphile_worker.jobs`.execute(t.db);
      expect(jobs).toEqual([
        { task_identifier: 'score-customers', key: `score-customers:${shop.id}` },
      ]);

      // the worker's task runs it
      await runOnce({
        pgPool: pool,
        logger: new Logger(() => () => undefined),
        taskList: {
          'score-customers': async (payload) => {
            await runCustomerScoring(t.db, clock, payload);
          },
        },
      });
      expect(await scoredBefore()).toBe(200);
      const done = (await call(t, shop, 'GET', '/v1/analytics/clv')).json().model;
      expect(done).toMatchObject({
        predictionsPending: false,
        predictionsScoredAt: '2026-07-10T10:00:00.000Z',
      });
    } finally {
      await pool.end();
    }
  });
});
