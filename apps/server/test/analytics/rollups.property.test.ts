import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEventDelivery } from '../../src/ingest/api-event.ts';
import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import { rebuildAnalyticsRollups } from '../../src/analytics/rebuild-analytics-rollups.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { orderStepArb, orderStepsToEvents, type OrderStep } from './order-history.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Instants around the shop's (Europe/Warsaw) day and month boundaries: 31 Jan 23:30 UTC is
// 1 Feb in Warsaw, 28 Feb 22:59 UTC is still February, 31 Mar 22:30 UTC is already April.
const INSTANTS = [
  '2026-01-10T10:00:00Z',
  '2026-01-10T18:00:00Z',
  '2026-01-31T23:30:00Z',
  '2026-02-15T12:00:00Z',
  '2026-02-28T22:59:00Z',
  '2026-03-05T12:00:00Z',
  '2026-03-31T22:30:00Z',
  '2026-05-20T08:00:00Z',
];
const ORDERS = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];

const stepArb = orderStepArb({
  orders: ORDERS,
  customers: ['c1', 'c2', 'c3'],
  instants: INSTANTS,
  paidWeight: 4,
  guestFreq: 6,
});
const toEvents = (steps: OrderStep[]) => orderStepsToEvents(steps, new Date(Date.UTC(2026, 5, 1)));

/** The three rollup tables of a shop, without Lojal's customer ids. */
async function rollups(shopId: string) {
  const days = await sql`
    SELECT c.external_id, d.day, d.orders, d.net, d.prev_day FROM customer_order_days d
    JOIN customers c ON c.shop_id = d.shop_id AND c.id = d.customer_id
    WHERE d.shop_id = ${shopId} ORDER BY 1, 2`.execute(t.db);
  const customers = await sql<{ external_id: string; first_day_net: number }>`
    SELECT c.external_id, r.first_day, r.last_day, r.orders_count, r.purchase_days, r.total_spent,
           r.first_day_net, r.second_day
    FROM customer_rollups r JOIN customers c ON c.shop_id = r.shop_id AND c.id = r.customer_id
    WHERE r.shop_id = ${shopId} ORDER BY 1`.execute(t.db);
  const cohorts = await sql`
    SELECT cohort_month, month, customers, revenue FROM cohort_activity
    WHERE shop_id = ${shopId} AND (customers <> 0 OR revenue <> 0) ORDER BY 1, 2`.execute(t.db);
  return { days: days.rows, customers: customers.rows, cohorts: cohorts.rows };
}

/** The per-customer facts straight from the orders, as the segment facts used to compute them. */
async function factsFromOrders(shopId: string) {
  const { rows } = await sql`
    SELECT c.external_id, min((o.placed_at AT TIME ZONE s.timezone)::date) AS first_day,
           max((o.placed_at AT TIME ZONE s.timezone)::date) AS last_day,
           count(*)::int AS orders_count,
           count(DISTINCT (o.placed_at AT TIME ZONE s.timezone)::date)::int AS purchase_days,
           sum(o.total - o.refunded_amount)::bigint AS total_spent,
           (array_agg(DISTINCT (o.placed_at AT TIME ZONE s.timezone)::date
                      ORDER BY (o.placed_at AT TIME ZONE s.timezone)::date))[2] AS second_day
    FROM orders o JOIN shops s ON s.id = o.shop_id
    JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
    WHERE o.shop_id = ${shopId} AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
    GROUP BY 1 ORDER BY 1`.execute(t.db);
  return rows;
}

describe('analytics rollups', () => {
  it('equal a full recomputation after any sequence of paid, refunded, cancelled and re-sent orders, in any batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        async (steps, drainEvery) => {
          const shop = await createTestShop(t); // Europe/Warsaw
          const inbox = new InboxWriter(t.db);
          for (const [i, event] of toEvents(steps).entries()) {
            await inbox.write(apiEventDelivery(shop.id, event));
            if ((i + 1) % drainEvery === 0) await t.processor.drain();
          }
          await t.processor.drain();

          const incremental = await rollups(shop.id);
          expect(incremental.customers.map(({ first_day_net: _, ...c }) => c)).toEqual(
            await factsFromOrders(shop.id),
          );
          await rebuildAnalyticsRollups(t.db, shop.id);
          expect(incremental).toEqual(await rollups(shop.id));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('follow direct changes of orders: another customer, another day, deleted', async () => {
    const shop = await createTestShop(t);
    const inbox = new InboxWriter(t.db);
    const steps: OrderStep[] = [
      { kind: 'paid', order: 'o1', customer: 'c1', placedAt: INSTANTS[0]!, total: 1000 },
      { kind: 'paid', order: 'o2', customer: 'c1', placedAt: INSTANTS[2]!, total: 2000 },
      { kind: 'paid', order: 'o3', customer: 'c2', placedAt: INSTANTS[3]!, total: 3000 },
      { kind: 'paid', order: 'o4', customer: 'c2', placedAt: INSTANTS[6]!, total: 4000 },
    ];
    for (const event of toEvents(steps)) await inbox.write(apiEventDelivery(shop.id, event));
    await t.processor.drain();
    const c2 = await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'c2')
      .executeTakeFirstOrThrow();
    await sql`UPDATE orders SET customer_id = ${c2.id}, placed_at = placed_at - interval '20 days'
              WHERE shop_id = ${shop.id} AND external_id = 'o1'`.execute(t.db);
    await sql`DELETE FROM orders WHERE shop_id = ${shop.id} AND external_id = 'o4'`.execute(t.db);
    const incremental = await rollups(shop.id);
    expect(incremental.customers.map((c) => c.external_id)).toEqual(['c1', 'c2']);
    await rebuildAnalyticsRollups(t.db, shop.id);
    expect(incremental).toEqual(await rollups(shop.id));
  });
});
