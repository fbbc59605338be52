import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, checkLedgerInvariants, orderPaid, refunded, send } from '../points/support.ts';
import { releaseDueReferralRewards } from '../../src/referrals/release-due-referral-rewards.ts';
import { attribute, campaign, codeOf, referralOf, referralPoints, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const settings = {
  lead: { referrer: { kind: 'points', points: 10 }, friend: { kind: 'points', points: 5 } },
  main: {
    referrer: { kind: 'points', points: 100 },
    friend: { kind: 'coupon', discount: { kind: 'fixed', amount: 2000 }, validDays: 30 },
  },
  friendDiscount: { kind: 'fixed', amount: 1500 },
  minOrderValue: 5000,
  termsUrl: 'https://sklep.example/regulamin-polecen',
};

const release = () => releaseDueReferralRewards(t.db, clock, shop.id);

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Ziutki');
  await campaign(t, shop, settings);
  await signUp(t, shop, 'anna', { firstName: 'Anna', email: 'anna@example.com' });
});
afterAll(() => t.close());

describe('codes and links', () => {
  it('gives every customer a readable code from the first name, or LOJAL', async () => {
    await signUp(t, shop, 'nameless');
    expect(await codeOf(t, shop, 'anna')).toMatch(/^ANNA-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
    expect(await codeOf(t, shop, 'nameless')).toMatch(/^LOJAL-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
  });

  it('records a link visit and redirects to the storefront with the attribution', async () => {
    const put = await call(t, shop, 'PUT', '/v1/referrals/storefront', {
      storefrontUrl: 'https://sklep-ziutki.pl/',
    });
    expect(put.statusCode, put.body).toBe(200);
    const code = await codeOf(t, shop, 'anna');
    const res = await t.app.inject({
      method: 'GET',
      url: `/r/${code.toLowerCase()}`,
      headers: { 'user-agent': 'Firefox/140' },
    });
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.origin).toBe('https://sklep-ziutki.pl');
    expect(location.searchParams.get('lojal_ref')).toBe(code);
    const visit = await t.db
      .selectFrom('referral_visits')
      .selectAll()
      .where('id', '=', location.searchParams.get('lojal_visit')!)
      .executeTakeFirstOrThrow();
    expect(visit).toMatchObject({ user_agent: 'Firefox/140', client_address: '127.0.0.1' });
    expect(visit.visited_at.toISOString()).toBe(clock.now().toISOString());
  });

  it('sends links only to an http(s) storefront, and counts no visit for a HEAD request', async () => {
    for (const storefrontUrl of [
      'javascript:alert(1)',
      'ftp://sklep.pl/',
      'http://localhost:3000/',
    ]) {
      const res = await call(t, shop, 'PUT', '/v1/referrals/storefront', { storefrontUrl });
      expect(res.statusCode, storefrontUrl).toBe(400);
    }
    const code = await codeOf(t, shop, 'anna');
    const count = async () =>
      (
        await t.db
          .selectFrom('referral_visits')
          .select('id')
          .where('shop_id', '=', shop.id)
          .execute()
      ).length;
    const before = await count();
    const head = await t.app.inject({ method: 'HEAD', url: `/r/${code}` });
    expect(head.statusCode).toBe(302);
    expect(await count()).toBe(before);
  });

  it('answers 404 for an unknown code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/r/NOPE-7777' });
    expect(res.statusCode).toBe(404);
  });

  it('is the friend discount at checkout, but not for the referrer or a customer who bought', async () => {
    const code = await codeOf(t, shop, 'anna');
    const validate = (customerId: string) =>
      call(t, shop, 'POST', '/v1/coupons/validate', {
        code,
        customerId,
        cart: { currency: 'PLN', total: 8000 },
      }).then((r) => r.json());
    await signUp(t, shop, 'newbie');
    expect(await validate('newbie')).toMatchObject({
      valid: true,
      discount: { kind: 'fixed', amount: 1500, currency: 'PLN' },
    });
    expect(await validate('anna')).toMatchObject({ valid: false, reason: 'not_eligible' });
    await send(t, shop, orderPaid('o-old', 'nameless', '2026-05-04T09:00:00Z', { total: 9000 }));
    expect(await validate('nameless')).toMatchObject({ valid: false, reason: 'not_eligible' });
  });
});

describe('two-stage rewards', () => {
  it('gives the lead reward at signup and the main one only after the return window', async () => {
    clock.set('2026-05-05T10:00:00Z');
    await signUp(t, shop, 'basia', { firstName: 'Basia', email: 'basia@example.com' });
    const code = await codeOf(t, shop, 'anna');
    const result = await attribute(t, shop, { customerId: 'basia', code });
    expect(result).toMatchObject({ attributed: true, status: 'signed_up' });
    expect(await referralPoints(t, shop.id, 'anna')).toBe(10);
    expect(await referralPoints(t, shop.id, 'basia')).toBe(5);

    await send(t, shop, orderPaid('o-basia', 'basia', '2026-05-06T10:00:00Z', { total: 6000 }));
    let referral = await referralOf(t, shop, 'anna', 'basia');
    expect(referral.status).toBe('purchased');
    expect(referral.rewardDueAt).toBe('2026-05-20T10:00:00.000Z'); // 14-day return window

    clock.set('2026-05-20T09:59:00Z');
    expect(await release()).toBe(0);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(10);

    clock.set('2026-05-20T10:01:00Z');
    expect(await release()).toBe(1);
    expect(await release()).toBe(0); // idempotent
    referral = await referralOf(t, shop, 'anna', 'basia');
    expect(referral.status).toBe('rewarded');
    expect(await referralPoints(t, shop.id, 'anna')).toBe(110);
    const coupon = referral.rewards.find((r) => r.party === 'friend' && r.stage === 'main');
    expect(coupon).toMatchObject({ kind: 'coupon', revokedAt: null });
    await checkLedgerInvariants(t, shop.id);
  });

  it('cancels the main reward when the order is refunded inside the window', async () => {
    clock.set('2026-05-07T10:00:00Z');
    await signUp(t, shop, 'celina', { firstName: 'Celina' });
    await attribute(t, shop, { customerId: 'celina', code: await codeOf(t, shop, 'anna') });
    await send(t, shop, orderPaid('o-celina', 'celina', '2026-05-07T11:00:00Z', { total: 7000 }));
    clock.set('2026-05-10T10:00:00Z');
    await send(t, shop, refunded('o-celina', 'r-celina', 7000, '2026-05-10T10:00:00Z'));
    const referral = await referralOf(t, shop, 'anna', 'celina');
    expect(referral.status).toBe('rejected');
    expect(referral.reasons.map((r) => r.reason)).toContain('order_refunded');
    clock.set('2026-06-01T10:00:00Z');
    await release();
    expect(
      (await referralOf(t, shop, 'anna', 'celina')).rewards.filter((r) => r.stage === 'main'),
    ).toEqual([]);
  });

  it('claws the reward back when the order is refunded after it was given', async () => {
    clock.set('2026-06-02T10:00:00Z');
    const before = await referralPoints(t, shop.id, 'anna');
    await send(t, shop, refunded('o-basia', 'r-basia', 6000, '2026-06-02T10:00:00Z'));
    const referral = await referralOf(t, shop, 'anna', 'basia');
    expect(referral.status).toBe('rejected');
    expect(referral.reasons.map((r) => r.reason)).toContain('order_refunded_after_reward');
    expect(await referralPoints(t, shop.id, 'anna')).toBe(before - 100);
    const main = referral.rewards.filter((r) => r.stage === 'main');
    expect(main.every((r) => r.revokedAt !== null)).toBe(true);
    const code = main.find((r) => r.kind === 'coupon')!.couponCode!;
    const res = await call(t, shop, 'POST', '/v1/coupons/validate', {
      code,
      customerId: 'basia',
      cart: { currency: 'PLN', total: 9000 },
    });
    expect(res.json()).toMatchObject({ valid: false, reason: 'expired' });
    await checkLedgerInvariants(t, shop.id);
  });

  it('attributes a paid order that carries the referral code', async () => {
    clock.set('2026-06-03T10:00:00Z');
    await signUp(t, shop, 'dorota', { firstName: 'Dorota' });
    const code = await codeOf(t, shop, 'anna');
    await send(
      t,
      shop,
      orderPaid('o-dorota', 'dorota', '2026-06-03T10:00:00Z', {
        total: 5000,
        discountCodes: [code],
      }),
    );
    const referral = await referralOf(t, shop, 'anna', 'dorota');
    expect(referral).toMatchObject({ status: 'purchased' });
  });

  it('keeps another shop out: its key sees neither the referrals nor the codes', async () => {
    const other = await createTestShop(t, 'Inny Sklep');
    const res = await call(t, other, 'GET', '/v1/customers/anna/referrals');
    expect(res.statusCode).toBe(404);
    const list = await call(t, other, 'GET', '/v1/referrals');
    expect(list.json().data).toEqual([]);
    const check = await call(t, other, 'POST', '/v1/coupons/validate', {
      code: await codeOf(t, shop, 'anna'),
      cart: { currency: 'PLN', total: 9000 },
    });
    expect(check.json()).toMatchObject({ valid: false, reason: 'not_found' });
    const [referral] = (await call(t, shop, 'GET', '/v1/referrals')).json().data;
    const approve = await call(t, other, 'POST', `/v1/referrals/${referral.id}/approve`, {});
    expect(approve.statusCode).toBe(404);
  });
});
