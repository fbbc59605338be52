import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { customerView } from '../../src/customers/customer-view.ts';
import { addMonths } from '../../src/shared/zoned-time.ts';
import type { ShopRow } from '../../src/shops/shop.ts';

/**
 * Since issue 20 the customer view counts orders with FILTER instead of WHERE, so that a read
 * right after a burst (no statistics yet) uses the customer's index and not the shop's whole
 * index of counted orders. Over random customers (orders inside and outside the 12-month tier
 * window, refunds, cancellations) the figures equal the statement as it was (kept here).
 */
const clock = fixedClock('2026-06-15T10:00:00Z');
const DAY = 86_400_000;
const CUSTOMERS = 15;
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z historią');
  const tiers = await call(t, shop, 'PUT', '/v1/tiers', {
    metric: 'spend',
    period: 'rolling_12_months',
    tiers: [{ id: 'silver', name: { pl: 'Srebrny', en: 'Silver' }, entryThreshold: 30_000 }],
  });
  expect(tiers.statusCode, tiers.body).toBe(200);
  const next = random(7);
  for (let c = 0; c < CUSTOMERS; c++) {
    for (let o = 1 + Math.floor(next() * 6); o > 0; o--) {
      const id = `v-${c}-${o}`;
      const at = new Date(clock.now().getTime() - (1 + Math.floor(next() * 500)) * DAY);
      const total = 3_000 + Math.floor(next() * 30) * 1_000;
      await send(t, shop, orderPaid(id, `v-${c}`, at.toISOString(), { total }));
      const fate = next();
      if (fate < 0.25)
        await send(t, shop, refunded(id, `${id}-r`, Math.floor(total * next()), at.toISOString()));
      else if (fate < 0.4) {
        await send(t, shop, { type: 'order.cancelled', id: `${id}-x`, data: { orderId: id } });
      }
    }
  }
});
afterAll(() => t.close());

/** The orders part of the customer view as it was before issue 20. */
async function oldFigures(customerId: string, since: Date, now: Date) {
  const { rows } = await sql<{
    orders_count: string;
    total_spent: string;
    last_order_at: Date | null;
    live_spend: string;
    cancelled: string;
  }>`
    SELECT count(*)::bigint AS orders_count,
           COALESCE(sum(total - refunded_amount), 0)::bigint AS total_spent,
           max(placed_at) AS last_order_at,
           COALESCE(sum(total - refunded_amount) FILTER (WHERE paid_at >= ${since} AND paid_at <= ${now}), 0)::bigint AS live_spend,
           (SELECT count(*) FROM orders x WHERE x.shop_id = ${shop.id} AND x.customer_id = ${customerId}
              AND x.cancelled_at IS NOT NULL)::bigint AS cancelled
    FROM orders o WHERE o.shop_id = ${shop.id} AND o.customer_id = ${customerId}
      AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL`.execute(t.db);
  return rows[0]!;
}

describe('the customer view’s order figures', () => {
  it('equal the statement they replaced, with refunds, cancellations and the tier window', async () => {
    const now = clock.now();
    const row = (await t.db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow()) as ShopRow;
    let cancelled = 0;
    let outsideWindow = 0;
    for (let c = 0; c < CUSTOMERS; c++) {
      const view = await customerView(t.db, row, `v-${c}`, now);
      const old = await oldFigures(view.lojalId, addMonths(now, -12), now);
      expect(view.orders).toEqual({
        count: Number(old.orders_count),
        totalSpent: { amount: Number(old.total_spent), currency: 'PLN' },
        lastOrderAt: old.last_order_at?.toISOString() ?? null,
      });
      expect(view.tier?.value).toBe(Number(old.live_spend));
      cancelled += Number(old.cancelled);
      outsideWindow += Number(old.total_spent) !== Number(old.live_spend) ? 1 : 0;
    }
    // the random data reaches the cases the FILTER must leave out
    expect(cancelled).toBeGreaterThan(0);
    expect(outsideWindow).toBeGreaterThan(0);
  });
});
