import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, checkLedgerInvariants, ledger, orderPaid, points, send } from './support.ts';

/**
 * API.md: "Concurrent redemptions never spend more than the available balance", and an
 * Idempotency-Key makes a repeated POST take effect once.
 */

const clock = fixedClock('2026-03-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t);
});
afterAll(() => t.close());

async function createReward(pointsCost: number): Promise<string> {
  const res = await call(t, shop, 'POST', '/v1/rewards', {
    name: `${pointsCost} punktów → 1 zł`,
    kind: 'fixed_discount',
    amount: 100,
    pointsCost,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

function redeem(customerId: string, rewardId: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/redemptions`,
    headers: { ...bearer(shop.apiKey), ...headers },
    payload: { rewardId },
  });
}

async function lojalId(customerId: string): Promise<string> {
  const row = await t.db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What the customer's redemptions left behind in the tables. */
async function issued(customerId: string) {
  const id = await lojalId(customerId);
  const coupons = await t.db
    .selectFrom('coupons')
    .select(['code', 'redemption_id'])
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', id)
    .execute();
  const redemptions = await t.db
    .selectFrom('redemptions')
    .select(['id', 'points_spent'])
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', id)
    .execute();
  const redeems = (await ledger(t, shop, customerId)).filter((e) => e.kind === 'redeem');
  return { coupons, redemptions, redeems };
}

async function customerWithAdjustment(customerId: string, amount: number): Promise<void> {
  await send(t, shop, {
    type: 'customer.created',
    id: `created-${customerId}`,
    occurredAt: clock.now().toISOString(),
    data: { id: customerId },
  });
  const res = await call(t, shop, 'POST', `/v1/customers/${customerId}/adjustments`, {
    points: amount,
    reason: 'start balance',
  });
  expect(res.statusCode, res.body).toBe(201);
}

/**
 * Fires 10 copies of a request at once while the customer's points account is locked, so the
 * one that gets through the Idempotency-Key check is still running while the others arrive;
 * the lock is let go once the others have answered (or after 2 s).
 */
async function whileFirstAttemptRuns(customerId: string, request: () => ReturnType<typeof redeem>) {
  const customer = await lojalId(customerId);
  const locker = await t.pool.connect();
  let open = false;
  try {
    await locker.query('BEGIN');
    open = true;
    await locker.query(
      'SELECT 1 FROM point_accounts WHERE shop_id = $1 AND customer_id = $2 FOR UPDATE',
      [shop.id, customer],
    );
    let answered = 0;
    const all = Promise.all(
      Array.from({ length: 10 }, () =>
        request().then((res) => {
          answered += 1;
          return res;
        }),
      ),
    );
    const until = Date.now() + 2000;
    while (answered < 9 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await locker.query('COMMIT');
    open = false;
    return await all;
  } finally {
    if (open) await locker.query('ROLLBACK');
    locker.release();
  }
}

describe('concurrent redemptions of one customer', () => {
  it('1,000 available points and a 500-point reward: of 50 at once, exactly 2 succeed', async () => {
    clock.set('2026-03-01T10:00:00Z');
    // 1,000 points earned by an order (1 point per zł of 1,000 zł), available after 14 days
    await send(
      t,
      shop,
      orderPaid('o-rush', 'rush-anna', '2026-03-01T10:00:00Z', { total: 100_000 }),
    );
    clock.set('2026-03-15T10:00:00Z');
    expect(await points(t, shop, 'rush-anna')).toMatchObject({
      available: 1000,
      pending: 0,
      debt: 0,
    });
    const rewardId = await createReward(500);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => redeem('rush-anna', rewardId)),
    );

    const ok = responses.filter((r) => r.statusCode === 201);
    const refused = responses.filter((r) => r.statusCode === 422);
    expect(ok.length + refused.length, responses.map((r) => r.body).join('\n')).toBe(50);
    expect(ok.length, 'redemptions that went through').toBe(2);
    expect(refused.length, 'redemptions refused').toBe(48);
    for (const res of refused) {
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.json().type).toMatch(/insufficient-points$/);
      expect(res.json().status).toBe(422);
    }
    const bodies = ok.map((r) => r.json());
    for (const body of bodies) {
      expect(body).toMatchObject({ pointsSpent: 500, rewardId, status: 'issued' });
      expect(body.coupon.code).toEqual(expect.any(String));
    }
    // one ran after the other: 1,000 → 500 → 0
    expect(bodies.map((b) => b.balanceAfter).sort()).toEqual([0, 500]);
    expect(new Set(bodies.map((b) => b.coupon.code)).size).toBe(2);

    expect(await points(t, shop, 'rush-anna')).toMatchObject({
      available: 0,
      pending: 0,
      debt: 0,
    });
    const { coupons, redemptions, redeems } = await issued('rush-anna');
    expect(redeems.map((e) => e.points)).toEqual([-500, -500]);
    expect(redemptions).toHaveLength(2);
    expect(coupons).toHaveLength(2);
    expect(coupons.map((c) => c.code).sort()).toEqual(bodies.map((b) => b.coupon.code).sort());
    expect(new Set(coupons.map((c) => c.redemption_id))).toEqual(
      new Set(redemptions.map((r) => r.id)),
    );
    await checkLedgerInvariants(t, shop.id);
  });

  it('10 identical requests at once with one Idempotency-Key redeem once', async () => {
    clock.set('2026-04-01T10:00:00Z');
    await customerWithAdjustment('key-bartek', 1000);
    const rewardId = await createReward(300);

    const key = { 'idempotency-key': 'redeem-key-bartek-1' };
    const responses = await whileFirstAttemptRuns('key-bartek', () =>
      redeem('key-bartek', rewardId, key),
    );

    // idempotency.ts: the first request runs; a repeat while it is still running gets 409
    const ok = responses.filter((r) => r.statusCode === 201);
    const inProgress = responses.filter((r) => r.statusCode === 409);
    expect(ok, responses.map((r) => r.body).join('\n')).toHaveLength(1);
    expect(inProgress).toHaveLength(9);
    expect(ok[0]!.headers['idempotent-replayed']).toBeUndefined();
    for (const res of inProgress) {
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ type: '/problems/conflict', status: 409 });
      expect(res.json().detail).toMatch(/still in progress/);
    }

    // once finished, the same key answers the first response again and spends nothing more
    const again = await redeem('key-bartek', rewardId, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(ok[0]!.body);

    expect(await points(t, shop, 'key-bartek')).toMatchObject({ available: 700, debt: 0 });
    const { coupons, redemptions, redeems } = await issued('key-bartek');
    expect(redeems.map((e) => e.points)).toEqual([-300]);
    expect(redemptions).toHaveLength(1);
    expect(coupons.map((c) => c.code)).toEqual([ok[0]!.json().coupon.code]);
    await checkLedgerInvariants(t, shop.id);
  });

  // Runs last: it moves the app's clock ahead of the database's.
  it('redeems once per Idempotency-Key also when the app clock is ahead of the database clock', async () => {
    // A first attempt is stamped with the database's now(); "abandoned after a minute" must be
    // judged on that clock too. Judged on the app's clock (as before 670c48d), an app clock a
    // minute ahead made a running first attempt look abandoned, and a repeat redeemed again.
    clock.set(new Date(Date.now() + 60 * 60_000));
    await customerWithAdjustment('skew-celina', 1000);
    const rewardId = await createReward(300);

    const key = { 'idempotency-key': 'redeem-skew-celina-1' };
    const responses = await whileFirstAttemptRuns('skew-celina', () =>
      redeem('skew-celina', rewardId, key),
    );

    const { redemptions, redeems } = await issued('skew-celina');
    expect(
      responses.map((r) => r.statusCode).sort(),
      'one request runs, the others find it in progress',
    ).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(
      redeems.map((e) => e.points),
      'redeem entries for one Idempotency-Key',
    ).toEqual([-300]);
    expect(redemptions).toHaveLength(1);
    expect(await points(t, shop, 'skew-celina')).toMatchObject({ available: 700 });
    await checkLedgerInvariants(t, shop.id);
  });
});
