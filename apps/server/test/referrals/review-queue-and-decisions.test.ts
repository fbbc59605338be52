import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { attribute, campaign, codeOf, referralPoints, signUp } from './support.ts';

// The review queue with both customers, and decisions on several referrals at once: each
// decided on its own, each outcome reported, a retry changing nothing.
const clock = fixedClock('2026-04-01T08:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

/** A friend with the referrer's phone number: flagged (same_phone, 80 ≥ flagAt 50). */
async function flagged(referrer: string, friend: string): Promise<string> {
  await signUp(t, shop, friend, { firstName: 'Kasia', phone: '600100200' });
  const result = await attribute(t, shop, {
    customerId: friend,
    code: await codeOf(t, shop, referrer),
  });
  expect(result).toMatchObject({ attributed: true, status: 'flagged' });
  return (result as { referralId: string }).referralId;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z Kolejką');
  other = await createTestShop(t, 'Inny Sklep');
  await campaign(t, shop, {
    lead: { referrer: { kind: 'points', points: 10 } },
    main: { referrer: { kind: 'points', points: 100 } },
  });
  await signUp(t, shop, 'anna', {
    firstName: 'Anna',
    lastName: 'Nowak',
    email: 'anna@example.pl',
    phone: '+48 600 100 200',
  });
  await send(t, shop, orderPaid('o-anna-1', 'anna', '2026-03-01T10:00:00Z', { total: 12_000 }));
});
afterAll(() => t.close());

describe('the review queue', () => {
  it('shows each flagged referral with its reasons and both customers side by side', async () => {
    const id = await flagged('anna', 'kasia');
    const res = await call(t, shop, 'GET', '/v1/referrals/review-queue');
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json().data.find((d: { referral: { id: string } }) => d.referral.id === id);
    expect(item.referral.reasons).toEqual([{ reason: 'same_phone', weight: 80 }]);
    expect(item.referrer).toMatchObject({
      customerId: 'anna',
      firstName: 'Anna',
      email: 'anna@example.pl',
      orders: 1,
      revenue: { amount: 12_000, currency: 'PLN' },
      referralsMade: 1,
      referralsFlaggedOrRejected: 1,
    });
    expect(item.friend).toMatchObject({ customerId: 'kasia', orders: 0, referralsMade: 0 });
  });

  it("never shows another shop's referrals", async () => {
    const res = await call(t, other, 'GET', '/v1/referrals/review-queue');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([]);
  });
});

describe('deciding several referrals at once', () => {
  it('approves each on its own, reports each outcome, and a retry changes nothing', async () => {
    const a = await flagged('anna', 'kasia-2');
    const b = await flagged('anna', 'kasia-3');
    const before = await referralPoints(t, shop.id, 'anna');
    const body = { decision: 'approve', referralIds: [a, b, 'nie-ma'], note: 'znam je' };
    const first = await call(t, shop, 'POST', '/v1/referrals/decisions', body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results).toEqual([
      { referralId: a, outcome: 'approved', status: 'signed_up' },
      { referralId: b, outcome: 'approved', status: 'signed_up' },
      { referralId: 'nie-ma', outcome: 'not_found', status: null },
    ]);
    // The lead reward of each: 10 points to the referrer, once.
    expect(await referralPoints(t, shop.id, 'anna')).toBe(before + 20);

    const retry = await call(t, shop, 'POST', '/v1/referrals/decisions', body);
    expect(retry.json().results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'already_approved',
      'already_approved',
      'not_found',
    ]);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(before + 20);

    const row = await t.db
      .selectFrom('referrals')
      .select('review_note')
      .where('id', '=', a)
      .executeTakeFirstOrThrow();
    expect(row.review_note).toMatch(/znam je$/);
  });

  it('rejects with a note, and an approval of a rejected one reports not_flagged', async () => {
    const c = await flagged('anna', 'kasia-4');
    const rejected = await call(t, shop, 'POST', '/v1/referrals/decisions', {
      decision: 'reject',
      referralIds: [c],
      note: 'ten sam telefon',
    });
    expect(rejected.json().results).toEqual([
      { referralId: c, outcome: 'rejected', status: 'rejected' },
    ]);
    const list = await call(t, shop, 'GET', '/v1/referrals?status=rejected');
    const found = list.json().data.find((r: { id: string }) => r.id === c);
    expect(found.reviewNote).toMatch(/ten sam telefon$/);
    const approve = await call(t, shop, 'POST', '/v1/referrals/decisions', {
      decision: 'approve',
      referralIds: [c],
    });
    expect(approve.json().results).toEqual([
      { referralId: c, outcome: 'not_flagged', status: 'rejected' },
    ]);
  });

  it("cannot decide another shop's referral", async () => {
    const d = await flagged('anna', 'kasia-5');
    const res = await call(t, other, 'POST', '/v1/referrals/decisions', {
      decision: 'approve',
      referralIds: [d],
    });
    expect(res.json().results).toEqual([{ referralId: d, outcome: 'not_found', status: null }]);
  });

  it('refuses an empty list with a precise 400, and an analyst with 403', async () => {
    const empty = await call(t, shop, 'POST', '/v1/referrals/decisions', {
      decision: 'approve',
      referralIds: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('referralIds');

    const analyst = await createMember(t, shop.id, 'analyst');
    const cookie = await signIn(t, analyst.email);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/referrals/decisions',
      headers: asMember(cookie, shop.id),
      payload: { decision: 'approve', referralIds: ['x'] },
    });
    expect(refused.statusCode).toBe(403);
    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/referrals/review-queue',
      headers: asMember(cookie, shop.id),
    });
    expect(read.statusCode).toBe(200);
  });
});
