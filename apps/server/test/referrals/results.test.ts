import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { releaseDueReferralRewards } from '../../src/referrals/release-due-referral-rewards.ts';
import { attribute, campaign, codeOf, signUp } from './support.ts';

const clock = fixedClock('2026-02-02T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z Wynikami');
});
afterAll(() => t.close());

it('counts the funnel, revenue and cost of a campaign as a hand count does', async () => {
  const { id } = await campaign(t, shop, {
    lead: { referrer: { kind: 'points', points: 10 } },
    main: { referrer: { kind: 'points', points: 100 } },
    minOrderValue: 5000,
    pointValue: 1,
  });
  await signUp(t, shop, 'ola', { firstName: 'Ola', email: 'ola@example.com', phone: '600700800' });
  const code = await codeOf(t, shop, 'ola');
  const visits = [];
  for (let i = 0; i < 3; i++) {
    // Three visitors: one client's repeated visits within a day count once.
    const remoteAddress = `203.0.113.${i + 1}`;
    const res = await t.app.inject({ method: 'GET', url: `/r/${code}`, remoteAddress });
    visits.push(new URL(res.headers.location as string).searchParams.get('lojal_visit')!);
  }
  await signUp(t, shop, 'f1');
  await signUp(t, shop, 'f2');
  await signUp(t, shop, 'f3');
  await signUp(t, shop, 'f4', { email: 'OLA@example.com' });
  await signUp(t, shop, 'f5', { phone: '+48600700800' });
  await attribute(t, shop, { customerId: 'f1', visitId: visits[0] }); // signed up, buys
  await attribute(t, shop, { customerId: 'f2', code }); // signed up, buys, partly refunded
  await attribute(t, shop, { customerId: 'f3', code }); // signed up only
  await attribute(t, shop, { customerId: 'f4', code }); // rejected: same e-mail
  await attribute(t, shop, { customerId: 'f5', code }); // flagged: same phone
  await send(
    t,
    shop,
    orderPaid('o1', 'f1', '2026-02-03T10:00:00Z', { total: 6000 }),
    orderPaid('o2', 'f2', '2026-02-03T11:00:00Z', { total: 8000 }),
    refunded('o2', 'r2', 2000, '2026-02-04T10:00:00Z'),
  );
  clock.set('2026-03-01T10:00:00Z');
  expect(await releaseDueReferralRewards(t.db, clock, shop.id)).toBe(2);

  const res = await call(t, shop, 'GET', '/v1/referral-campaigns/results');
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().data).toEqual([
    {
      campaignId: id,
      name: 'Poleć znajomym',
      funnel: {
        clicks: 3,
        signups: 5,
        firstPurchases: 2,
        qualified: 2,
        rewarded: 2,
        rejected: 1,
        flagged: 1,
      },
      acquiredCustomers: 2,
      revenue: { amount: 6000 + (8000 - 2000), currency: 'PLN' },
      // lead 10 × 3 (f1, f2, f3) + main 100 × 2
      rewardCost: { amount: 230, currency: 'PLN' },
      costPerAcquiredCustomer: { amount: 115, currency: 'PLN' },
      customerValue: {
        referred: {
          customers: 2,
          orders: 2,
          averageOrderValue: { amount: 6000, currency: 'PLN' },
          repeatRate: 0,
        },
        others: { customers: 0, orders: 0, averageOrderValue: null, repeatRate: null },
      },
    },
  ]);
});

it("compares referred customers' average order and repeat rate with the others, as counted by hand", async () => {
  const shop2 = await createTestShop(t, 'Sklep Porównań');
  clock.set('2026-05-04T10:00:00Z');
  const { id } = await campaign(t, shop2, { main: { referrer: { kind: 'points', points: 50 } } });
  await signUp(t, shop2, 'ela', { firstName: 'Ela' });
  const code = await codeOf(t, shop2, 'ela');
  for (const f of ['r1', 'r2', 'r3', 'x1']) await signUp(t, shop2, f);
  // x1 bought before: rejected as an existing customer, so in neither group.
  await send(t, shop2, orderPaid('x1-old', 'x1', '2026-05-01T10:00:00Z', { total: 1000 }));
  for (const f of ['r1', 'r2', 'r3', 'x1']) await attribute(t, shop2, { customerId: f, code });
  await send(
    t,
    shop2,
    // r1: 100 + 50 (two orders); r2: 80, then 30 refunded; r3: 200 cancelled (no orders left)
    orderPaid('r1-a', 'r1', '2026-05-05T10:00:00Z', { total: 10000 }),
    orderPaid('r1-b', 'r1', '2026-05-06T10:00:00Z', { total: 5000 }),
    orderPaid('r2-a', 'r2', '2026-05-05T10:00:00Z', { total: 8000 }),
    refunded('r2-a', 'r2-r', 3000, '2026-05-07T10:00:00Z'),
    orderPaid('r3-a', 'r3', '2026-05-05T10:00:00Z', { total: 20000 }),
    { type: 'order.cancelled', id: 'r3-c', data: { orderId: 'r3-a' } },
    // the others: ela 40 + 60 + 20, o1 90, o2 30 + 30
    orderPaid('e-1', 'ela', '2026-04-01T10:00:00Z', { total: 4000 }),
    orderPaid('e-2', 'ela', '2026-04-10T10:00:00Z', { total: 6000 }),
    orderPaid('e-3', 'ela', '2026-04-20T10:00:00Z', { total: 2000 }),
    orderPaid('o1-a', 'o1', '2026-04-02T10:00:00Z', { total: 9000 }),
    orderPaid('o2-a', 'o2', '2026-04-03T10:00:00Z', { total: 3000 }),
    orderPaid('o2-b', 'o2', '2026-04-04T10:00:00Z', { total: 3000 }),
  );
  const res = await call(t, shop2, 'GET', '/v1/referral-campaigns/results');
  const [result] = res.json().data;
  expect(result.campaignId).toBe(id);
  expect(result.customerValue).toEqual({
    // r1 and r2 have orders (r3's only order is cancelled): 3 orders, 100 + 50 + 50 = 200 zł
    referred: {
      customers: 2,
      orders: 3,
      averageOrderValue: { amount: 6667, currency: 'PLN' },
      repeatRate: 0.5,
    },
    // ela, o1, o2: 6 orders, 120 + 90 + 60 = 270 zł; ela and o2 came back
    others: {
      customers: 3,
      orders: 6,
      averageOrderValue: { amount: 4500, currency: 'PLN' },
      repeatRate: 0.6667,
    },
  });
});

it("rejects main rewards over the referrer's monthly cap", async () => {
  const other = await createTestShop(t, 'Sklep z Limitem');
  clock.set('2026-04-01T10:00:00Z');
  await campaign(t, other, {
    main: { referrer: { kind: 'points', points: 100 } },
    monthlyCapPerReferrer: 1,
  });
  await signUp(t, other, 'kasia', { firstName: 'Kasia' });
  const code = await codeOf(t, other, 'kasia');
  for (const f of ['k1', 'k2']) {
    await signUp(t, other, f);
    await attribute(t, other, { customerId: f, code });
    await send(t, other, orderPaid(`o-${f}`, f, '2026-04-01T10:00:00Z', { total: 5000 }));
  }
  clock.set('2026-04-16T10:00:00Z');
  expect(await releaseDueReferralRewards(t.db, clock, other.id)).toBe(1);
  const res = await call(t, other, 'GET', '/v1/customers/kasia/referrals');
  const statuses = res
    .json()
    .data.map((r: { status: string; reasons: Array<{ reason: string }> }) => [
      r.status,
      r.reasons.map((x) => x.reason),
    ])
    .sort();
  expect(statuses).toEqual([
    ['rejected', ['monthly_cap_reached']],
    ['rewarded', []],
  ]);
});
