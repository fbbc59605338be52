import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { returnExpiredRewardCoupons } from '../../src/rewards/return-expired-coupons.ts';
import {
  call,
  checkLedgerInvariants,
  ledger,
  orderPaid,
  points,
  publish,
  send,
} from './support.ts';

const clock = fixedClock('2026-05-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  // Ten validations a second per address: enough for the checks below, few enough to hit.
  t = await createTestApp({ clock, config: { couponRateLimitPerAddress: 10 } });
  shop = await createTestShop(t, 'Sklep Nagrody');
});
afterAll(() => t.close());

async function give(customerId: string, amount: number) {
  await send(t, shop, {
    type: 'customer.created',
    id: `c-${customerId}`,
    data: { id: customerId, email: `${customerId}@example.com` },
  });
  const res = await call(t, shop, 'POST', `/v1/customers/${customerId}/adjustments`, {
    points: amount,
    reason: 'start',
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function defaultReward(): Promise<{ id: string }> {
  const rewards = (await call(t, shop, 'GET', '/v1/rewards')).json() as Array<{
    id: string;
    kind: string;
  }>;
  return rewards.find((r) => r.kind === 'fixed_discount')!;
}

async function redeem(customerId: string, rewardId: string) {
  return call(t, shop, 'POST', `/v1/customers/${customerId}/redemptions`, { rewardId });
}

describe('the rewards catalogue', () => {
  it('starts with a default reward a new shop can offer at once', async () => {
    const res = await call(t, shop, 'GET', '/v1/rewards');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({
        name: 'Rabat 25 zł',
        names: { pl: 'Rabat 25 zł', en: 'PLN 25 off' },
        kind: 'fixed_discount',
        pointsCost: 500,
        amount: 2500,
      }),
    ]);
  });

  it('refuses a percentage reward without its percent, naming the field', async () => {
    const res = await call(t, shop, 'POST', '/v1/rewards', {
      name: 'Zniżka',
      kind: 'percentage_discount',
      pointsCost: 100,
    });
    expectProblem(res, 400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'percent' })]);
  });
});

describe('redeeming a reward', () => {
  it('spends the points and issues a one-use coupon bound to the customer', async () => {
    await give('anna', 800);
    const reward = await defaultReward();
    const res = await redeem('anna', reward.id);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      pointsSpent: 500,
      balanceAfter: 300,
      coupon: { usageLimit: 1, expiresAt: '2026-05-31T10:00:00.000Z' },
    });
    expect(body.coupon.code).toMatch(/^LJ(-[3-9A-Y]{4}){3}-[3-9A-Y]{2}$/);
    expect(await points(t, shop, 'anna')).toMatchObject({ available: 300 });
    expect((await ledger(t, shop, 'anna'))[0]).toMatchObject({
      points: -500,
      kind: 'redeem',
      cause: { type: 'redemption', redemptionId: body.id, rewardId: reward.id },
    });
  });

  it('answers 422 and changes nothing when the points do not suffice', async () => {
    const reward = await defaultReward();
    const res = await redeem('anna', reward.id);
    expectProblem(res, 422);
    expect(res.json()).toMatchObject({
      type: '/problems/insufficient-points',
      detail: 'The reward costs 500 points; 300 are available.',
    });
    expect(await points(t, shop, 'anna')).toMatchObject({ available: 300 });
  });

  it('respects stock and the per-customer limit', async () => {
    const created = await call(t, shop, 'POST', '/v1/rewards', {
      name: { pl: 'Darmowa dostawa', en: 'Free shipping' },
      kind: 'free_shipping',
      pointsCost: 100,
      stock: 2,
      perCustomerLimit: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await give('bartek', 1000);
    await give('celina', 1000);
    await give('darek', 1000);
    expect((await redeem('bartek', id)).statusCode).toBe(201);
    const again = await redeem('bartek', id);
    expect(again.json().type).toBe('/problems/reward-limit-reached');
    expect((await redeem('celina', id)).statusCode).toBe(201);
    const out = await redeem('darek', id);
    expect(out.json().type).toBe('/problems/reward-out-of-stock');
    expect(await points(t, shop, 'darek')).toMatchObject({ available: 1000 });
  });
});

describe('reward coupons at checkout', () => {
  let code: string;
  beforeAll(async () => {
    await give('ewa', 500);
    const reward = await defaultReward();
    code = (await redeem('ewa', reward.id)).json().coupon.code;
  });

  const validate = (body: object, language = 'pl') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/coupons/validate',
      headers: { authorization: `Bearer ${shop.apiKey}`, 'accept-language': language },
      payload: body,
    });

  it('validates for its customer, in any case and without dashes, with the discount it gives', async () => {
    const res = await validate({
      code: code.toLowerCase().replaceAll('-', ''),
      customerId: 'ewa',
      cart: { currency: 'PLN', total: 10000 },
    });
    expect(res.json()).toEqual({
      valid: true,
      code,
      discount: { kind: 'fixed', amount: 2500, currency: 'PLN' },
    });
  });

  it('says why it refuses, with a machine reason and a Polish or English message', async () => {
    expect(
      (await validate({ code: 'LJ-NOPE', cart: { currency: 'PLN', total: 10000 } })).json(),
    ).toMatchObject({ valid: false, reason: 'not_found', message: 'Nie znamy takiego kodu.' });
    expect(
      (
        await validate({ code, customerId: 'anna', cart: { currency: 'PLN', total: 10000 } }, 'en')
      ).json(),
    ).toMatchObject({
      valid: false,
      reason: 'not_eligible',
      message: 'This code is not valid for this order.',
    });
    expect(
      (await validate({ code, customerId: 'ewa', cart: { currency: 'EUR', total: 10000 } })).json(),
    ).toMatchObject({ reason: 'not_eligible' });
  });

  it('is consumed by exactly one paid order and then refused as used', async () => {
    await send(
      t,
      shop,
      orderPaid('o-code-1', 'ewa', '2026-05-01T11:00:00Z', {
        total: 7500,
        discountCodes: [code.toLowerCase()],
      }),
      orderPaid('o-code-2', 'ewa', '2026-05-01T11:05:00Z', { total: 7500, discountCodes: [code] }),
    );
    const uses = await t.db
      .selectFrom('coupon_uses')
      .innerJoin('orders', (j) =>
        j
          .onRef('orders.id', '=', 'coupon_uses.order_id')
          .onRef('orders.shop_id', '=', 'coupon_uses.shop_id'),
      )
      .select('orders.external_id')
      .where('coupon_uses.shop_id', '=', shop.id)
      .execute();
    expect(uses).toEqual([{ external_id: 'o-code-1' }]);
    expect(
      (await validate({ code, customerId: 'ewa', cart: { currency: 'PLN', total: 10000 } })).json(),
    ).toMatchObject({ valid: false, reason: 'usage_limit_reached' });
  });

  it('returns the points of a reward coupon that expired unused, to the lots they came from', async () => {
    await give('filip', 600);
    const reward = await defaultReward();
    const redeemed = (await redeem('filip', reward.id)).json();
    expect(await returnExpiredRewardCoupons(t.db, clock)).toBe(0);
    clock.set('2026-06-01T10:00:00Z');
    // expired, but a late order may still bring it: points come back after 3 days' grace
    expect(await returnExpiredRewardCoupons(t.db, clock)).toBe(0);
    clock.set('2026-06-04T10:00:00Z');
    expect(
      (
        await validate({
          code: redeemed.coupon.code,
          customerId: 'filip',
          cart: { currency: 'PLN', total: 10000 },
        })
      ).json(),
    ).toMatchObject({ reason: 'expired' });
    // filip's, and the unused ones of anna, bartek and celina; ewa's was used by an order
    expect(await returnExpiredRewardCoupons(t.db, clock)).toBe(4);
    expect(await returnExpiredRewardCoupons(t.db, clock)).toBe(0);
    expect(await points(t, shop, 'ewa')).toMatchObject({ available: 150 }); // only her two orders' points
    expect(await points(t, shop, 'filip')).toMatchObject({ available: 600 });
    expect((await ledger(t, shop, 'filip'))[0]).toMatchObject({
      points: 500,
      kind: 'reverse',
      cause: { type: 'reversal', reason: 'coupon_expired', redemptionId: redeemed.id },
    });
    await checkLedgerInvariants(t, shop.id);
    clock.set('2026-05-01T10:00:00Z');
  });

  it('keeps the points of an expired coupon when the programme says so', async () => {
    const keeping = await createTestShop(t, 'Sklep Bez Zwrotów');
    await publish(t, keeping, {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
      settings: { returnPointsOnExpiredRewardCoupon: false },
    });
    await send(t, keeping, { type: 'customer.created', id: 'c-kasia', data: { id: 'kasia' } });
    await call(t, keeping, 'POST', '/v1/customers/kasia/adjustments', {
      points: 500,
      reason: 'start',
    });
    const reward = (await call(t, keeping, 'GET', '/v1/rewards')).json()[0];
    expect(
      (await call(t, keeping, 'POST', '/v1/customers/kasia/redemptions', { rewardId: reward.id }))
        .statusCode,
    ).toBe(201);
    clock.set('2026-07-01T10:00:00Z');
    expect(await returnExpiredRewardCoupons(t.db, clock)).toBe(0);
    expect(await points(t, keeping, 'kasia')).toMatchObject({ available: 0 });
    clock.set('2026-05-01T10:00:00Z');
  });

  it('throttles code guessing per client address with 429 and Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        validate({ code: 'LJ-GUESS', cart: { currency: 'PLN', total: 100 } }),
      ),
    );
    const limited = answers.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers['retry-after']).toBe('1');
  });
});
