import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, checkLedgerInvariants, orderPaid, refunded, send } from '../points/support.ts';
import { releaseDueReferralRewards } from '../../src/referrals/release-due-referral-rewards.ts';
import { attribute, campaign, codeOf, referralOf, referralPoints, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let campaignId: string;

const settings = {
  main: {
    referrer: { kind: 'points', points: 100 },
    friend: { kind: 'points', points: 20 },
    everyPurchaseUpTo: 3,
  },
  minOrderValue: 5000,
};

const release = () => releaseDueReferralRewards(t.db, clock, shop.id);
const purchasesOf = async () =>
  (await referralOf(t, shop, 'anna', 'basia')) as unknown as {
    status: string;
    purchases: Array<{ purchase: number; orderId: string; status: string; reason: string | null }>;
    rewards: Array<{ stage: string; party: string; purchase: number; revokedAt: string | null }>;
  };

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Wielu Zakupów');
  campaignId = (await campaign(t, shop, settings)).id;
  await signUp(t, shop, 'anna', { firstName: 'Anna' });
  await signUp(t, shop, 'basia', { firstName: 'Basia' });
  await attribute(t, shop, { customerId: 'basia', code: await codeOf(t, shop, 'anna') });
});
afterAll(() => t.close());

describe('every purchase up to N', () => {
  it('holds the main reward for each qualifying purchase, up to N in all', async () => {
    await send(
      t,
      shop,
      orderPaid('o1', 'basia', '2026-05-05T10:00:00Z', { total: 6000 }),
      orderPaid('o2', 'basia', '2026-05-06T10:00:00Z', { total: 7000 }),
    );
    await send(t, shop, orderPaid('o3', 'basia', '2026-05-07T10:00:00Z', { total: 4000 }));
    await send(t, shop, orderPaid('o4', 'basia', '2026-05-08T10:00:00Z', { total: 8000 }));
    await send(t, shop, orderPaid('o5', 'basia', '2026-05-09T10:00:00Z', { total: 9000 }));
    const referral = await purchasesOf();
    expect(referral.status).toBe('purchased');
    // o3 is below the minimum; o5 would be the fourth
    expect(referral.purchases.map((p) => [p.purchase, p.orderId, p.status])).toEqual([
      [2, 'o2', 'held'],
      [3, 'o4', 'held'],
    ]);
  });

  it('keeps the terms the referral was made under when the campaign is edited', async () => {
    const res = await call(t, shop, 'PUT', `/v1/referral-campaigns/${campaignId}`, {
      name: 'Poleć znajomym',
      settings: { main: { referrer: { kind: 'points', points: 999 } } },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('cancels a held purchase refunded inside its window and frees its place', async () => {
    await send(t, shop, refunded('o2', 'r-o2', 7000, '2026-05-10T10:00:00Z'));
    await send(t, shop, orderPaid('o6', 'basia', '2026-05-11T10:00:00Z', { total: 6000 }));
    const referral = await purchasesOf();
    expect(referral.status).toBe('purchased');
    expect(referral.purchases.map((p) => [p.purchase, p.orderId, p.status, p.reason])).toEqual([
      [2, 'o2', 'cancelled', 'order_refunded'],
      [3, 'o4', 'held', null],
      [4, 'o6', 'held', null],
    ]);
  });

  it('gives each purchase its reward when its own window has passed, first purchase first', async () => {
    clock.set('2026-05-19T10:01:00Z'); // o1's window has passed, o4's not
    expect(await release()).toBe(1);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(100); // the kept terms, not 999
    clock.set('2026-05-26T10:00:00Z');
    expect(await release()).toBe(2);
    expect(await release()).toBe(0);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(300);
    expect(await referralPoints(t, shop.id, 'basia')).toBe(60);
    const referral = await purchasesOf();
    expect(referral.status).toBe('rewarded');
    expect(referral.rewards.filter((r) => r.party === 'referrer').map((r) => r.purchase)).toEqual([
      1, 3, 4,
    ]);
    await checkLedgerInvariants(t, shop.id);
  });

  it('claws back only the refunded purchase’s reward after it was given', async () => {
    clock.set('2026-05-27T10:00:00Z');
    await send(t, shop, refunded('o4', 'r-o4', 8000, '2026-05-27T10:00:00Z'));
    const referral = await purchasesOf();
    expect(referral.status).toBe('rewarded');
    expect(referral.purchases.find((p) => p.purchase === 3)).toMatchObject({
      status: 'clawed_back',
      reason: 'order_refunded_after_reward',
    });
    const revoked = referral.rewards.filter((r) => r.revokedAt !== null).map((r) => r.purchase);
    expect(revoked).toEqual([3, 3]);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(200);
    expect(await referralPoints(t, shop.id, 'basia')).toBe(40);
    await checkLedgerInvariants(t, shop.id);
  });

  it('tells the flow engine each time the referrer is to be thanked', async () => {
    const triggers = await t.db
      .selectFrom('automation_triggers as a')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.shop_id', '=', 'a.shop_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .select(['a.type', 'a.data', 'c.external_id'])
      .where('a.shop_id', '=', shop.id)
      .where('a.type', 'like', 'referral.%')
      .orderBy('a.id')
      .execute();
    expect(triggers.every((x) => x.external_id === 'anna')).toBe(true);
    expect(triggers.map((x) => [x.type, (x.data as { purchase: number }).purchase])).toEqual([
      ['referral.qualified', 1],
      ['referral.rewarded', 1],
      ['referral.qualified', 3],
      ['referral.rewarded', 3],
      ['referral.qualified', 4],
      ['referral.rewarded', 4],
    ]);
  });
});
