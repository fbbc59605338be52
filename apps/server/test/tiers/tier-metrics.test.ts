import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call, ledger, orderPaid, publish, refunded, send } from '../points/support.ts';
import { awardDailyPoints } from '../../src/points/award-daily-points.ts';

const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const names = (id: string) => ({ pl: id.toUpperCase(), en: id });

async function shopWith(metric: string, tiers: Array<[string, number]>) {
  const shop = await createTestShop(t, `Sklep ${metric}`);
  const res = await call(t, shop, 'PUT', '/v1/tiers', {
    metric,
    period: 'calendar_year',
    tiers: tiers.map(([id, entryThreshold]) => ({ id, name: names(id), entryThreshold })),
  });
  expect(res.statusCode, res.body).toBe(200);
  return shop;
}

async function tierOf(shop: { id: string; apiKey: string }, customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().tier;
}

describe('points earned as the metric', () => {
  it('counts points earned less what refunds took back, in the calendar year', async () => {
    const shop = await shopWith('points_earned', [
      ['bronze', 500],
      ['silver', 2_000],
    ]);
    await send(
      t,
      shop,
      orderPaid('p-1', 'piotr', '2026-09-01T10:00:00Z', { total: 40_000 }),
      refunded('p-1', 'r-1', 10_000, '2026-09-01T10:00:00Z'),
    );
    // 400 points earned, 100 taken back by the refund.
    expect(await tierOf(shop, 'piotr')).toMatchObject({
      current: null,
      value: 300,
      next: { id: 'bronze', needed: 200, progress: 0.6 },
    });
    await send(t, shop, orderPaid('p-2', 'piotr', '2026-09-01T10:00:00Z', { total: 20_000 }));
    expect(await tierOf(shop, 'piotr')).toMatchObject({
      current: { id: 'bronze', reviewAt: '2027-12-31T23:00:00.000Z' },
      value: 500,
      next: { id: 'silver', needed: 1_500, progress: 0.25 },
    });
  });
});

describe('orders as the metric, in bulk', () => {
  it('upgrades once for a batch of orders and skips straight to the highest tier reached', async () => {
    const shop = await shopWith('orders', [
      ['regular', 3],
      ['loyal', 10],
    ]);
    const events = Array.from({ length: 12 }, (_, i) =>
      orderPaid(`o-${i}`, 'marta', '2026-09-01T10:00:00Z', { total: 1_000 }),
    );
    for (const payload of events) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(shop.apiKey),
        payload,
      });
      expect(res.statusCode).toBe(202);
    }
    await t.processor.drain(); // one batch
    const tier = await tierOf(shop, 'marta');
    expect(tier).toMatchObject({ current: { id: 'loyal', rank: 2 }, value: 12, next: null });
    const history = (await call(t, shop, 'GET', '/v1/customers/marta/tier-history')).json().data;
    expect(history).toMatchObject([
      { type: 'tier.upgraded', from: null, to: 'loyal', reason: 'qualified', metricValue: 12 },
    ]);
  });

  it('refuses to remove a tier customers hold', async () => {
    const shop = await shopWith('orders', [['regular', 1]]);
    await send(t, shop, orderPaid('x-1', 'adam', '2026-09-01T10:00:00Z', { total: 1_000 }));
    const res = await call(t, shop, 'PUT', '/v1/tiers', {
      metric: 'orders',
      period: 'lifetime',
      tiers: [{ id: 'vip', name: names('vip'), entryThreshold: 5 }],
    });
    expectProblem(res, 409);
    expect(res.json().detail).toContain('"regular" is held by 1 customer');
  });
});

describe('the birthday multiplier', () => {
  it("multiplies a tier holder's birthday points, and no one else's", async () => {
    const shop = await shopWith('orders', [['vip', 1]]);
    const saved = await call(t, shop, 'PUT', '/v1/tiers', {
      metric: 'orders',
      period: 'lifetime',
      tiers: [
        { id: 'vip', name: names('vip'), entryThreshold: 1, benefits: { birthdayMultiplier: 2 } },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await publish(t, shop, {
      rules: [
        { id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } },
        { id: 'birthday', code: 'birthday', args: { points: 100 } },
      ],
    });
    for (const id of ['vip-kasia', 'zwykla-kasia']) {
      await send(t, shop, {
        type: 'customer.created',
        id: `c-${id}`,
        data: { id, email: `${id}@example.com`, birthday: '1990-10-05' },
      });
    }
    await send(t, shop, orderPaid('b-1', 'vip-kasia', '2026-09-01T10:00:00Z', { total: 100 }));
    clock.set('2026-10-05T08:00:00Z');
    await awardDailyPoints(t.db, clock, shop.id);
    const birthday = async (id: string) =>
      (await ledger(t, shop, id)).find(
        (e) => (e.cause as { rule?: { id: string } }).rule?.id === 'birthday',
      )?.points;
    expect(await birthday('vip-kasia')).toBe(200);
    expect(await birthday('zwykla-kasia')).toBe(100);
  });
});
