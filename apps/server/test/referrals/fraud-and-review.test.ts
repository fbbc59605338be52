import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { releaseDueReferralRewards } from '../../src/referrals/release-due-referral-rewards.ts';
import { attribute, campaign, codeOf, referralOf, referralPoints, signUp } from './support.ts';

const clock = fixedClock('2026-04-01T08:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z Ryzykiem');
  await campaign(t, shop, {
    lead: { referrer: { kind: 'points', points: 10 } },
    main: { referrer: { kind: 'points', points: 100 } },
    attributionWindowDays: 30,
    fraud: { velocityPerWeek: 2, leakedCodeFriends: 3, leakedCodeHours: 24 },
  });
});
afterAll(() => t.close());

const reasons = (r: { attributed: boolean } & object) =>
  'reasons' in r ? (r.reasons as Array<{ reason: string }>).map((x) => x.reason) : [];

async function refer(referrer: string, friend: string, friendData: object, extra: object = {}) {
  await signUp(t, shop, friend, friendData);
  return attribute(t, shop, {
    customerId: friend,
    code: await codeOf(t, shop, referrer),
    ...extra,
  });
}

describe('fraud checks, each with its reason', () => {
  it('rejects a customer referring himself', async () => {
    await signUp(t, shop, 'rafal', { firstName: 'Rafał' });
    const result = await attribute(t, shop, {
      customerId: 'rafal',
      code: await codeOf(t, shop, 'rafal'),
    });
    expect(result).toMatchObject({ attributed: true, status: 'rejected' });
    expect(reasons(result)).toEqual(['self_referral']);
  });

  it('rejects a second account with the same Gmail-style address', async () => {
    await signUp(t, shop, 'ewa', { firstName: 'Ewa', email: 'ewa.nowak@gmail.com' });
    const result = await refer('ewa', 'ewa-2', { email: 'EwaNowak+promo@googlemail.com' });
    expect(result).toMatchObject({ status: 'rejected' });
    expect(reasons(result)).toEqual(['same_email']);
  });

  it("flags a friend with the referrer's phone number", async () => {
    await signUp(t, shop, 'piotr', { firstName: 'Piotr', phone: '+48 600 100 200' });
    const result = await refer('piotr', 'piotr-2', { phone: '600100200' });
    expect(result).toMatchObject({ status: 'flagged' });
    expect(reasons(result)).toEqual(['same_phone']);
  });

  it("flags a friend signing up from the referrer's own browser", async () => {
    await signUp(t, shop, 'marek', { firstName: 'Marek' });
    const seen = await call(t, shop, 'POST', '/v1/referrals/sightings', {
      customerId: 'marek',
      clientAddress: '10.0.0.5',
      userAgent: 'Safari/17',
    });
    expect(seen.statusCode, seen.body).toBe(200);
    const result = await refer(
      'marek',
      'marek-2',
      {},
      {
        client: { address: '10.0.0.5', userAgent: 'Safari/17' },
      },
    );
    expect(result).toMatchObject({ status: 'flagged' });
    expect(reasons(result)).toEqual(['same_client']);
  });

  it('rejects a friend who was a customer already', async () => {
    await signUp(t, shop, 'jan', { firstName: 'Jan' });
    await signUp(t, shop, 'stary');
    await send(t, shop, orderPaid('o-stary-1', 'stary', '2026-03-01T10:00:00Z', { total: 9000 }));
    const code = await codeOf(t, shop, 'jan');
    await send(
      t,
      shop,
      orderPaid('o-stary-2', 'stary', '2026-04-01T08:00:00Z', {
        total: 9000,
        discountCodes: [code],
      }),
    );
    const referral = await referralOf(t, shop, 'jan', 'stary');
    expect(referral.status).toBe('rejected');
    expect(referral.reasons.map((r) => r.reason)).toEqual(['existing_customer']);
  });

  it('flags the referral that goes over N from one client address in a week', async () => {
    for (const name of ['v1', 'v2', 'v3']) await signUp(t, shop, name, { firstName: 'Vera' });
    const client = { address: '10.9.9.9', userAgent: 'Chrome/130' };
    expect(await refer('v1', 'v1-f', {}, { client })).toMatchObject({ status: 'signed_up' });
    expect(await refer('v2', 'v2-f', {}, { client })).toMatchObject({ status: 'signed_up' });
    const third = await refer('v3', 'v3-f', {}, { client });
    expect(third).toMatchObject({ status: 'flagged' });
    expect(reasons(third)).toEqual(['velocity']);
  });

  it('flags a code used by many friends in a short time (leaked to a coupon site)', async () => {
    await signUp(t, shop, 'leaky', { firstName: 'Lena' });
    for (const f of ['l1', 'l2', 'l3']) {
      expect(await refer('leaky', f, {})).toMatchObject({ status: 'signed_up' });
    }
    const fourth = await refer('leaky', 'l4', {});
    expect(fourth).toMatchObject({ status: 'flagged' });
    expect(reasons(fourth)).toEqual(['leaked_code']);
  });
});

describe('the review queue', () => {
  it('lists flagged referrals', async () => {
    const res = await call(t, shop, 'GET', '/v1/referrals?status=flagged');
    expect(res.statusCode, res.body).toBe(200);
    const friends = res.json().data.map((r: { friendCustomerId: string }) => r.friendCustomerId);
    expect(friends.sort()).toEqual(['l4', 'marek-2', 'piotr-2', 'v3-f']);
  });

  it('never rewards a flagged referral until it is approved', async () => {
    await send(t, shop, orderPaid('o-piotr-2', 'piotr-2', '2026-04-01T09:00:00Z', { total: 9000 }));
    let referral = await referralOf(t, shop, 'piotr', 'piotr-2');
    expect(referral).toMatchObject({ status: 'flagged', rewards: [] });
    clock.set('2026-04-20T09:00:00Z');
    await releaseDueReferralRewards(t.db, clock, shop.id);
    referral = await referralOf(t, shop, 'piotr', 'piotr-2');
    expect(referral).toMatchObject({ status: 'flagged', rewards: [] });
    expect(await referralPoints(t, shop.id, 'piotr')).toBe(0);

    const res = await call(t, shop, 'POST', `/v1/referrals/${referral.id}/approve`, {
      note: 'rodzeństwo, wspólny telefon',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'purchased',
      reviewNote: expect.stringContaining('rodzeństwo'),
    });
    expect(await referralPoints(t, shop.id, 'piotr')).toBe(10);
    await releaseDueReferralRewards(t.db, clock, shop.id);
    expect((await referralOf(t, shop, 'piotr', 'piotr-2')).status).toBe('rewarded');
    expect(await referralPoints(t, shop.id, 'piotr')).toBe(110);
    const again = await call(t, shop, 'POST', `/v1/referrals/${referral.id}/approve`, {});
    expect(again.statusCode).toBe(409);
  });

  it('rejects with a note, and nothing is given', async () => {
    const referral = await referralOf(t, shop, 'marek', 'marek-2');
    const res = await call(t, shop, 'POST', `/v1/referrals/${referral.id}/reject`, {
      note: 'ten sam komputer',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('rejected');
    expect(res.json().reasons.map((r: { reason: string }) => r.reason)).toEqual([
      'same_client',
      'rejected_in_review',
    ]);
    expect(await referralPoints(t, shop.id, 'marek')).toBe(0);
  });
});

describe('the attribution window', () => {
  async function visit(referrer: string): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: `/r/${await codeOf(t, shop, referrer)}` });
    expect(res.statusCode).toBe(302);
    return new URL(res.headers.location as string).searchParams.get('lojal_visit')!;
  }

  it('accepts a signup one minute inside the window and refuses one a minute outside', async () => {
    clock.set('2026-05-01T12:00:00Z');
    await signUp(t, shop, 'okno', { firstName: 'Olga' });
    const inside = await visit('okno');
    const outside = await visit('okno');
    await signUp(t, shop, 'okno-in');
    await signUp(t, shop, 'okno-out');
    clock.set('2026-05-31T11:59:00Z');
    expect(await attribute(t, shop, { customerId: 'okno-in', visitId: inside })).toMatchObject({
      attributed: true,
      status: 'signed_up',
    });
    clock.set('2026-05-31T12:01:00Z');
    expect(await attribute(t, shop, { customerId: 'okno-out', visitId: outside })).toEqual({
      attributed: false,
      reason: 'attribution_window_passed',
    });
    const referral = await referralOf(t, shop, 'okno', 'okno-in');
    expect(referral).toMatchObject({ status: 'signed_up' });
  });
});
