import fc from 'fast-check';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEventDelivery } from '../../src/ingest/api-event.ts';
import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import { rebuildAnalyticsRollups } from '../../src/analytics/rebuild-analytics-rollups.ts';
import { summarizeOrders } from '../../src/analytics/summarize-orders.ts';
import { buildSeries } from '../../src/analytics/build-series.ts';
import type { ShopRow } from '../../src/shops/shop.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { orderStepArb, orderStepsToEvents, type OrderStep } from './order-history.ts';
import { summarizeOrdersFromOrders } from './summary-reference.ts';
import { measureLift } from '../../src/analytics/measure-lift.ts';
import { measureLiftFromOrders } from './lift-reference.ts';
import { publish } from '../points/support.ts';
import { buildCohorts } from '../../src/analytics/build-cohorts.ts';
import { buildCohortsFromDays } from './cohorts-reference.ts';

/**
 * The summary and series read the rollups of migration 0048 (shop_order_days,
 * customer_day_pairs); these tests hold them to the figures computed straight from the orders
 * (summary-reference.ts: the summary's query before the rollups) and to a rebuild, after random
 * histories: guests, refunds, cancellations, orders arriving late and out of order, instants
 * around the shop's (Europe/Warsaw) day boundaries and its DST change, direct SQL writes, and
 * concurrent writers.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Around Warsaw's day boundaries and the DST change of 29 March 2026 (01:00 UTC).
const INSTANTS = [
  '2026-01-10T10:00:00Z',
  '2026-01-31T23:30:00Z', // 1 Feb in Warsaw
  '2026-02-01T00:30:00Z',
  '2026-02-15T12:00:00Z',
  '2026-02-28T22:59:00Z', // still 28 Feb
  '2026-03-01T08:00:00Z',
  '2026-03-28T23:30:00Z', // 29 Mar 00:30 Warsaw (UTC+1)
  '2026-03-29T22:30:00Z', // 30 Mar 00:30 Warsaw (UTC+2)
  '2026-03-30T12:00:00Z',
  '2026-04-15T21:59:00Z', // 15 Apr 23:59 Warsaw
  '2026-04-15T22:00:00Z', // 16 Apr 00:00 Warsaw
  '2026-05-20T08:00:00Z',
  '2026-06-30T21:00:00Z',
];
const ORDERS = Array.from({ length: 10 }, (_, i) => `o${i}`);
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4'];

const stepArb = orderStepArb({
  orders: ORDERS,
  customers: CUSTOMERS,
  instants: INSTANTS,
  paidWeight: 6,
  guestFreq: 5,
});
const toEvents = (steps: OrderStep[]) => orderStepsToEvents(steps, new Date(Date.UTC(2026, 6, 1)));

/** The shop's summary rollups as stored. */
async function summaryRollups(shopId: string) {
  const days = await sql`
    SELECT day, orders, net, customer_orders, customer_net FROM shop_order_days
    WHERE shop_id = ${shopId} ORDER BY day`.execute(t.db);
  const pairs = await sql`
    SELECT kind, a::text, b::text, customers, singles, net FROM customer_day_pairs
    WHERE shop_id = ${shopId} ORDER BY kind, a, b`.execute(t.db);
  const firsts = await sql`
    SELECT customer_id, first_at, later_at, holdout_position FROM customer_rollups
    WHERE shop_id = ${shopId} ORDER BY customer_id`.execute(t.db);
  // migration 0054: the lift's pairs and the RFM value counts
  const lift = await sql`
    SELECT b::text, a::text, holdout, customers, retained, repeaters, net, net_squares
    FROM customer_lift_pairs WHERE shop_id = ${shopId} ORDER BY b, a, holdout`.execute(t.db);
  const rfm = await sql`
    SELECT fact, value, customers FROM customer_rfm_values
    WHERE shop_id = ${shopId} ORDER BY fact, value`.execute(t.db);
  return {
    days: days.rows,
    pairs: pairs.rows,
    firsts: firsts.rows,
    lift: lift.rows,
    rfm: rfm.rows,
  };
}

async function shopRow(shopId: string): Promise<ShopRow> {
  return t.db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirstOrThrow();
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Periods over the instants' days: every length from 1 day to 5 months, each start. */
const periodArb = fc
  .record({ start: fc.integer({ min: 0, max: 200 }), days: fc.integer({ min: 1, max: 150 }) })
  .map(({ start, days }) => {
    const from = Date.UTC(2025, 11, 1) + start * DAY_MS;
    return { from: day(from), to: day(from + days * DAY_MS) };
  });
/** A fixed set besides the random ones: around the boundaries the instants sit on. */
const FIXED_PERIODS = [
  { from: '2026-02-01', to: '2026-03-01' },
  { from: '2026-03-29', to: '2026-03-30' },
  { from: '2026-03-30', to: '2026-04-16' },
  { from: '2026-04-16', to: '2026-07-01' },
  { from: '2026-01-01', to: '2027-01-01' },
  { from: '2025-06-01', to: '2026-02-01' },
];

async function expectSummariesEqual(shopId: string, periods: Array<{ from: string; to: string }>) {
  const shop = await shopRow(shopId);
  for (const { from, to } of periods) {
    const fast = await summarizeOrders(t.db, shop, from, to);
    const direct = await summarizeOrdersFromOrders(t.db, shop, from, to);
    expect(fast, `${from}..${to}`).toEqual(direct);
    expect(await buildCohorts(t.db, shop, from, to), `cohorts ${from}..${to}`).toEqual(
      await buildCohortsFromDays(t.db, shop, from, to),
    );
    // the lift too, at moments when some first orders are under 90 days old, then none; 90
    // days before the middle two is 15 Feb, 11:00 and 12:00 UTC, around an order's instant
    for (const now of [
      '2026-04-20T10:00:00Z',
      '2026-05-16T11:00:00Z',
      '2026-05-16T12:00:00Z',
      '2026-12-01T10:00:00Z',
    ]) {
      expect(
        await measureLift(t.db, shop, { from, to }, new Date(now)),
        `lift ${from}..${to} at ${now}`,
      ).toEqual(await measureLiftFromOrders(t.db, shop, { from, to }, new Date(now)));
    }
  }
}

/** A shop with a live programme holding half its customers out (so the lift has two groups). */
async function shopWithHoldout() {
  const shop = await createTestShop(t); // Europe/Warsaw
  await publish(t, shop, {
    rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
    settings: { holdoutPercent: 50 },
  });
  return shop;
}

/** The series' order figures straight from the orders, per month. */
async function monthlyOrdersFromOrders(shopId: string) {
  const { rows } = await sql<{ step: string; orders: number; revenue: number; members: number }>`
    SELECT to_char(date_trunc('month', o.placed_at AT TIME ZONE s.timezone), 'YYYY-MM-DD') AS step,
           count(*)::int AS orders, sum(o.total - o.refunded_amount)::bigint AS revenue,
           coalesce(sum(o.total - o.refunded_amount) FILTER (WHERE o.customer_id IS NOT NULL), 0)::bigint
             AS members
    FROM orders o JOIN shops s ON s.id = o.shop_id
    WHERE o.shop_id = ${shopId} AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
    GROUP BY 1 ORDER BY 1`.execute(t.db);
  return rows;
}

async function expectSeriesEqual(shopId: string) {
  const series = await buildSeries(t.db, await shopRow(shopId), {
    from: '2025-01-01',
    to: '2027-01-01',
    step: 'month',
  });
  const fromSeries = series.data
    .filter((p) => p.orders > 0 || p.revenue !== 0)
    .map((p) => ({
      step: p.from,
      orders: p.orders,
      revenue: p.revenue,
      members: p.membersRevenue,
    }));
  expect(fromSeries).toEqual(await monthlyOrdersFromOrders(shopId));
}

describe('summary rollups', () => {
  it('give the summary and series computed from the orders, and equal a rebuild, after any history in any batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(periodArb, { minLength: 4, maxLength: 4 }),
        async (steps, drainEvery, periods) => {
          const shop = await shopWithHoldout();
          const inbox = new InboxWriter(t.db);
          for (const [i, event] of toEvents(steps).entries()) {
            await inbox.write(apiEventDelivery(shop.id, event));
            if ((i + 1) % drainEvery === 0) await t.processor.drain();
          }
          await t.processor.drain();

          await expectSummariesEqual(shop.id, [...FIXED_PERIODS.slice(0, 2), ...periods]);
          await expectSeriesEqual(shop.id);
          const incremental = await summaryRollups(shop.id);
          await rebuildAnalyticsRollups(t.db, shop.id);
          expect(incremental).toEqual(await summaryRollups(shop.id));
        },
      ),
      { numRuns: 40 },
    );
  }, 240_000);

  it('follow direct SQL writes: another customer, another day, a guest made a customer, deleted', async () => {
    const shop = await shopWithHoldout();
    const inbox = new InboxWriter(t.db);
    const steps: OrderStep[] = [
      { kind: 'paid', order: 'o1', customer: 'c1', placedAt: INSTANTS[0]!, total: 1000 },
      { kind: 'paid', order: 'o2', customer: 'c1', placedAt: INSTANTS[2]!, total: 2000 },
      { kind: 'paid', order: 'o3', customer: 'c2', placedAt: INSTANTS[3]!, total: 3000 },
      { kind: 'paid', order: 'o4', customer: 'c2', placedAt: INSTANTS[6]!, total: 4000 },
      { kind: 'paid', order: 'o5', customer: null, placedAt: INSTANTS[7]!, total: 500 },
      { kind: 'paid', order: 'o6', customer: 'c3', placedAt: INSTANTS[7]!, total: 700 },
      { kind: 'paid', order: 'o7', customer: 'c3', placedAt: INSTANTS[7]!, total: 800 },
    ];
    for (const event of toEvents(steps)) await inbox.write(apiEventDelivery(shop.id, event));
    await t.processor.drain();
    const idOf = async (external: string) =>
      (
        await t.db
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', '=', external)
          .executeTakeFirstOrThrow()
      ).id;
    const c2 = await idOf('c2');
    await sql`UPDATE orders SET customer_id = ${c2}, placed_at = placed_at - interval '20 days'
              WHERE shop_id = ${shop.id} AND external_id = 'o1'`.execute(t.db);
    await sql`UPDATE orders SET customer_id = ${await idOf('c1')}
              WHERE shop_id = ${shop.id} AND external_id = 'o5'`.execute(t.db);
    // within the same day: the day's figures do not move
    await sql`UPDATE orders SET placed_at = placed_at + interval '1 minute'
              WHERE shop_id = ${shop.id} AND external_id = 'o6'`.execute(t.db);
    await sql`DELETE FROM orders WHERE shop_id = ${shop.id} AND external_id = 'o4'`.execute(t.db);
    await expectSummariesEqual(shop.id, FIXED_PERIODS);
    await expectSeriesEqual(shop.id);
    const incremental = await summaryRollups(shop.id);
    await rebuildAnalyticsRollups(t.db, shop.id);
    expect(incremental).toEqual(await summaryRollups(shop.id));
  });

  it('split the lift by the programme holdout share as it changes, after the orders', async () => {
    const shop = await shopWithHoldout();
    const inbox = new InboxWriter(t.db);
    const customers = Array.from({ length: 24 }, (_, i) => `h${i}`);
    const steps: OrderStep[] = customers.flatMap((customer, i) => [
      {
        kind: 'paid' as const,
        order: `f${i}`,
        customer,
        placedAt: INSTANTS[i % 5]!,
        total: 1000 + 37 * i,
      },
      ...(i % 3 === 0
        ? []
        : [
            {
              kind: 'paid' as const,
              order: `s${i}`,
              customer,
              placedAt: INSTANTS[5 + (i % 7)]!,
              total: 500 + 11 * i,
            },
          ]),
    ]);
    for (const event of toEvents(steps)) await inbox.write(apiEventDelivery(shop.id, event));
    await t.processor.drain();
    for (const holdoutPercent of [50, 10, 10, 35, 0, 20]) {
      await publish(t, shop, {
        rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
        settings: { holdoutPercent },
      });
      await expectSummariesEqual(shop.id, FIXED_PERIODS.slice(0, 4));
      const split = await summaryRollups(shop.id);
      await rebuildAnalyticsRollups(t.db, shop.id);
      expect(split, `holdout ${holdoutPercent} %`).toEqual(await summaryRollups(shop.id));
    }
    const groups = await sql<{ holdout: boolean }>`
      SELECT DISTINCT holdout FROM customer_lift_pairs WHERE shop_id = ${shop.id}`.execute(t.db);
    expect(groups.rows.length).toBe(2); // 20 %: both groups hold someone
  });

  it('stay exact under concurrent writers of the same customers and days', async () => {
    const shop = await shopWithHoldout();
    const customers = await sql<{ id: string }>`
      INSERT INTO customers (shop_id, id, external_id)
      SELECT ${shop.id}, 'cus_conc_' || i, 'conc' || i FROM generate_series(1, 6) i
      RETURNING id`.execute(t.db);
    const ids = customers.rows.map((r) => r.id);
    // Eight connections of their own, each a few transactions of inserts (customers and guests,
    // several statements each), refunds and cancellations of each other's orders, all at once.
    const pool = new pg.Pool({ connectionString: t.url, max: 8 });
    try {
      let seed = 42;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const writers = Array.from({ length: 8 }, (_, w) => {
        const plan = Array.from({ length: 6 }, (_, k) => ({
          order: `w${w}k${k}`,
          customer: random() < 0.2 ? null : ids[Math.floor(random() * ids.length)]!,
          at: INSTANTS[Math.floor(random() * INSTANTS.length)]!,
          total: 100 + Math.floor(random() * 10_000),
          refund: random() < 0.3 ? Math.floor(random() * 100) : 0,
          cancel: random() < 0.15,
        }));
        return (async () => {
          for (const [k, o] of plan.entries()) {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              await client.query(
                `INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total,
                                     placed_at, paid_at)
                 VALUES ($1, $2, $2, $3, 'PLN', $4, $5, $5)`,
                [shop.id, `ord_${o.order}`, o.customer, o.total, o.at],
              );
              // touch an earlier order of another writer, if it is there yet
              const other = `ord_w${(w + 1) % 8}k${k}`;
              if (o.refund > 0) {
                await client.query(
                  `UPDATE orders SET refunded_amount = refunded_amount + $3
                   WHERE shop_id = $1 AND id = $2`,
                  [shop.id, other, o.refund],
                );
              }
              if (o.cancel) {
                await client.query(
                  `UPDATE orders SET cancelled_at = placed_at WHERE shop_id = $1 AND id = $2`,
                  [shop.id, other],
                );
              }
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            } finally {
              client.release();
            }
          }
        })();
      });
      await Promise.all(writers);
    } finally {
      await pool.end();
    }
    const counted = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM orders
      WHERE shop_id = ${shop.id} AND paid_at IS NOT NULL AND cancelled_at IS NULL`.execute(t.db);
    expect(counted.rows[0]!.n).toBeGreaterThan(20);
    await expectSummariesEqual(shop.id, FIXED_PERIODS);
    await expectSeriesEqual(shop.id);
    const incremental = await summaryRollups(shop.id);
    await rebuildAnalyticsRollups(t.db, shop.id);
    expect(incremental).toEqual(await summaryRollups(shop.id));
  });
});
