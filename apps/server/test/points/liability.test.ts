import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { expirePoints } from '../../src/points/expire-points.ts';
import { call, orderPaid, refunded, send } from './support.ts';

const clock = fixedClock('2026-01-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Zobowiązania');
});
afterAll(() => t.close());

describe('programme liability and points activity', () => {
  it('values outstanding points, less debt, at the point value, and reports the activity', async () => {
    await send(
      t,
      shop,
      orderPaid('l-1', 'l-ala', '2026-01-01T10:00:00Z', { total: 40000 }), // 400
      orderPaid('l-2', 'l-bob', '2026-01-01T10:00:00Z', { total: 20000 }), // 200
    );
    clock.set('2026-01-16T10:00:00Z');
    const redeemed = await call(t, shop, 'GET', '/v1/rewards');
    const reward = redeemed.json()[0];
    // 400 points do not buy the 500-point reward, and the refusal leaves no trace
    expect(
      (await call(t, shop, 'POST', '/v1/customers/l-ala/redemptions', { rewardId: reward.id }))
        .statusCode,
    ).toBe(422);
    await call(t, shop, 'POST', '/v1/customers/l-bob/adjustments', {
      points: -150,
      reason: 'till',
    });
    await send(t, shop, refunded('l-2', 'l-rf', 20000, '2026-01-17T10:00:00Z')); // bob owes 150
    await send(t, shop, orderPaid('l-3', 'l-cyryl', '2026-01-17T10:00:00Z', { total: 10000 })); // 100 pending

    const liability = (await call(t, shop, 'GET', '/v1/points/liability')).json();
    expect(liability).toMatchObject({
      pointValue: 5,
      points: { available: 400, pending: 100, debt: 150, outstanding: 350 },
      value: { amount: 1750, currency: 'PLN' },
      members: 2,
    });

    const activity = (
      await call(t, shop, 'GET', '/v1/points/activity?from=2026-01-01&to=2026-02-01')
    ).json();
    expect(activity).toMatchObject({
      issued: 700,
      redeemed: 0,
      expired: 0,
      reversed: 200,
      adjusted: { added: 0, taken: 150 },
      breakage: 0,
    });
  });

  it('counts expired points as breakage', async () => {
    // ala's 400 expire on 16 Jan 2027; cyryl's 100 became available later and still count
    clock.set('2027-01-20T10:00:00Z');
    expect(await expirePoints(t.db, clock)).toBe(1);
    const activity = (
      await call(t, shop, 'GET', '/v1/points/activity?from=2026-01-01&to=2027-02-01')
    ).json();
    expect(activity).toMatchObject({ issued: 700, expired: 400 });
    expect(activity.breakage).toBeCloseTo(400 / 700, 10);
    expect((await call(t, shop, 'GET', '/v1/points/liability')).json().points).toMatchObject({
      available: 100,
      outstanding: -50,
    });
    const range = await call(t, shop, 'GET', '/v1/points/activity?from=2026-02-01&to=2026-01-01');
    expect(range.statusCode).toBe(400);
  });
});
