import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFactsQuery } from '../../src/segments/customer-facts-query.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('RFM scores', () => {
  it('equal least(5, 1 + floor(5 · percent_rank)) over the buyers, ties and tiny shops included', async () => {
    const buyer = fc.record({
      orders: fc.integer({ min: 1, max: 6 }),
      // ties, and spends across the value-count buckets (exact below 100, then two digits)
      spent: fc.oneof(
        fc.integer({ min: 0, max: 12 }).map((v) => v * 1000),
        fc.integer({ min: 0, max: 300_000 }),
      ),
      lastDay: fc.integer({ min: 0, max: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(buyer, { minLength: 1, maxLength: 40 }), async (buyers) => {
        const shop = await createTestShop(t);
        const ids = buyers.map((_, i) => `cus_rfm${i}`);
        await sql`INSERT INTO customers (shop_id, id, external_id)
                  SELECT ${shop.id}, id, id FROM unnest(${ids}::text[]) AS t(id)`.execute(t.db);
        await t.db
          .insertInto('customer_rollups')
          .values(
            buyers.map((b, i) => {
              const last = new Date(Date.UTC(2026, 0, 1 + b.lastDay)).toISOString().slice(0, 10);
              return {
                shop_id: shop.id,
                customer_id: ids[i]!,
                first_day: '2025-12-01',
                last_day: last,
                orders_count: b.orders,
                purchase_days: b.orders,
                total_spent: b.spent,
                first_day_net: 0,
              };
            }),
          )
          .execute();
        // written directly, so their value counts (customer_rfm_values) are recounted here
        await sql`SELECT analytics_rebuild_lift_rfm_unlocked(${shop.id})`.execute(t.db);
        const { rows: ours } = await sql<{ id: string; r: number; f: number; m: number }>`
          SELECT id, rfm_recency AS r, rfm_frequency AS f, rfm_monetary AS m
          FROM (${customerFactsQuery(shop.id, 'Europe/Warsaw', new Date(), { categories: false })}) x
          ORDER BY id`.execute(t.db);
        const { rows: ranked } = await sql<{ id: string; r: number; f: number; m: number }>`
          SELECT customer_id AS id,
                 least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY last_day)))::int AS r,
                 least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY orders_count)))::int AS f,
                 least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY total_spent)))::int AS m
          FROM customer_rollups WHERE shop_id = ${shop.id} ORDER BY customer_id`.execute(t.db);
        expect(ours).toEqual(ranked);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
