import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call, ledger, orderPaid, send } from '../points/support.ts';
import { reviewTiers } from '../../src/tiers/review-tiers.ts';
import { silverAndGold as programme } from './support.ts';

const clock = fixedClock('2026-01-10T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep VIP');
  other = await createTestShop(t, 'Inny Sklep');
  const saved = await call(t, shop, 'PUT', '/v1/tiers', programme);
  expect(saved.statusCode, saved.body).toBe(200);
});
afterAll(() => t.close());

async function at(iso: string) {
  clock.set(iso);
}

async function pay(orderId: string, customerId: string, total: number) {
  const when = clock.now().toISOString();
  await send(t, shop, orderPaid(orderId, customerId, when, { total }));
}

async function tierOf(customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().tier;
}

async function history(customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}/tier-history`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Array<{ type: string; from: string; to: string; reason: string }>).map(
    (e) => `${e.type} ${e.from ?? '-'}→${e.to ?? '-'} (${e.reason})`,
  );
}

describe('the tier programme', () => {
  it('is read back with ranks and the defaults filled in', async () => {
    const res = await call(t, shop, 'GET', '/v1/tiers');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      metric: 'spend',
      tiers: [
        { id: 'silver', rank: 1, benefits: { pointsMultiplier: 1.5, birthdayMultiplier: 1 } },
        { id: 'gold', rank: 2, retainThreshold: 250_000 },
      ],
    });
  });

  it('refuses thresholds out of order or a retain above the entry, naming the field', async () => {
    const res = await call(t, shop, 'PUT', '/v1/tiers', {
      ...programme,
      tiers: [
        programme.tiers[0],
        { ...programme.tiers[1], id: 'silver', entryThreshold: 50_000, retainThreshold: 60_000 },
      ],
    });
    expectProblem(res, 400);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['tiers.1.entryThreshold', 'tiers.1.id', 'tiers.1.retainThreshold']);
  });

  it('is 404 for a shop without one', async () => {
    expectProblem(await call(t, other, 'GET', '/v1/tiers'), 404);
  });
});

describe('tier scenarios over a year with a fake clock', () => {
  it('shows the way to the first tier before the customer has one', async () => {
    await at('2026-01-10T10:00:00Z');
    await pay('ola-1', 'ola', 60_000);
    const tier = await tierOf('ola');
    expect(tier).toMatchObject({
      current: null,
      metric: 'spend',
      value: 60_000,
      next: { id: 'silver', threshold: 100_000, needed: 40_000, progress: 0.6 },
      retain: null,
    });
  });

  it('upgrades mid-period at once on the order that reaches the entry threshold', async () => {
    await at('2026-03-15T09:00:00Z');
    await pay('ola-2', 'ola', 50_000);
    const tier = await tierOf('ola');
    expect(tier.current).toMatchObject({
      id: 'silver',
      name: { pl: 'Srebrny', en: 'Silver' },
      rank: 1,
      manual: false,
      reachedAt: '2026-03-15T09:00:00.000Z',
      reviewAt: '2027-03-15T09:00:00.000Z',
      benefits: { pointsMultiplier: 1.5 },
    });
    expect(tier.next).toEqual({
      id: 'gold',
      name: { pl: 'Złoty', en: 'Gold' },
      rank: 2,
      threshold: 300_000,
      needed: 190_000,
      progress: 0.3667,
    });
    expect(tier.retain).toEqual({ threshold: 80_000, value: 110_000, needed: 0, atRisk: false });
    expect(await history('ola')).toEqual(['tier.upgraded -→silver (qualified)']);
  });

  it('applies the tier multiplier to spend points from the next order on', async () => {
    await at('2026-04-01T09:00:00Z');
    await pay('ola-3', 'ola', 20_000);
    const entries = await ledger(t, shop, 'ola');
    const byOrder = Object.fromEntries(
      entries.map((e) => [(e.cause as { orderId: string }).orderId, e.points]),
    );
    // The qualifying order earned at the rate before the tier; the next one at ×1.5.
    expect(byOrder).toEqual({ 'ola-1': 600, 'ola-2': 500, 'ola-3': 300 });
  });

  it('does not downgrade before the review date, even below the retain threshold', async () => {
    // The window [2026-01-20, 2027-01-20] holds 70,000 of spend: below 80,000.
    await at('2027-01-20T10:00:00Z');
    expect(await reviewTiers(t.db, clock, shop.id)).toBe(0);
    const tier = await tierOf('ola');
    expect(tier.current.id).toBe('silver');
    expect(tier.retain).toEqual({
      threshold: 80_000,
      value: 70_000,
      needed: 10_000,
      atRisk: false,
    });
  });

  it('emits the at-risk warning once, 30 days before the review', async () => {
    await at('2027-02-13T08:59:00Z');
    await reviewTiers(t.db, clock, shop.id);
    expect(await history('ola')).toHaveLength(1);
    await at('2027-02-13T09:00:00Z');
    expect(await reviewTiers(t.db, clock, shop.id)).toBe(1);
    await reviewTiers(t.db, clock, shop.id);
    await at('2027-02-20T09:00:00Z');
    await reviewTiers(t.db, clock, shop.id);
    expect(await history('ola')).toEqual([
      'tier.upgraded -→silver (qualified)',
      'tier.at_risk silver→silver (below_retain)',
    ]);
    expect((await tierOf('ola')).retain.atRisk).toBe(true);
  });

  it('keeps the tier through the grace period after a failed review', async () => {
    await at('2027-03-15T09:00:00Z');
    await reviewTiers(t.db, clock, shop.id);
    const tier = await tierOf('ola');
    expect(tier.current).toMatchObject({
      id: 'silver',
      graceUntil: '2027-04-14T09:00:00.000Z',
    });
    await at('2027-04-14T08:59:59Z');
    await reviewTiers(t.db, clock, shop.id);
    expect((await tierOf('ola')).current.id).toBe('silver');
    expect(await history('ola')).toHaveLength(2);
  });

  it('downgrades after grace to what the metric retains', async () => {
    await at('2027-04-14T09:00:00Z');
    expect(await reviewTiers(t.db, clock, shop.id)).toBe(1);
    const tier = await tierOf('ola');
    expect(tier.current).toBeNull();
    expect(tier.next).toMatchObject({ id: 'silver', needed: 100_000, progress: 0 });
    expect(await history('ola')).toEqual([
      'tier.upgraded -→silver (qualified)',
      'tier.at_risk silver→silver (below_retain)',
      'tier.downgraded silver→- (grace_ended)',
    ]);
  });

  it('keeps a tier whose customer still meets the retain threshold, and reviews it a year on', async () => {
    await at('2027-05-01T10:00:00Z');
    await pay('ewa-1', 'ewa', 320_000);
    expect((await tierOf('ewa')).current).toMatchObject({ id: 'gold', rank: 2 });
    await at('2028-04-10T10:00:00Z'); // in the warning window, with 320,000 in the last 12 months
    await reviewTiers(t.db, clock, shop.id);
    await at('2028-05-01T10:00:00Z');
    await reviewTiers(t.db, clock, shop.id);
    const tier = await tierOf('ewa');
    expect(tier.current).toMatchObject({ id: 'gold', reviewAt: '2029-05-01T10:00:00.000Z' });
    expect(await history('ewa')).toEqual(['tier.upgraded -→gold (qualified)']);
  });
});

describe('manual assignment', () => {
  it('honours a manual tier over the computed one until its end date, then falls back', async () => {
    await at('2026-05-01T10:00:00Z');
    await send(t, shop, {
      type: 'customer.created',
      id: 'c-jan',
      data: { id: 'jan', email: 'jan@example.com' },
    });
    const assigned = await call(t, shop, 'POST', '/v1/customers/jan/tier', {
      tierId: 'gold',
      until: '2026-07-01T00:00:00Z',
      reason: 'Gość specjalny / special guest',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(assigned.json()).toMatchObject({
      tier: { id: 'gold', rank: 2 },
      computedTierId: null,
      manual: {
        tierId: 'gold',
        until: '2026-07-01T00:00:00.000Z',
        reason: 'Gość specjalny / special guest',
      },
      events: [{ type: 'tier.upgraded', from: null, to: 'gold', reason: 'manual' }],
    });

    // A qualifying order moves the computed tier underneath; the manual one still applies.
    await at('2026-05-02T10:00:00Z');
    await pay('jan-1', 'jan', 150_000);
    const during = await tierOf('jan');
    expect(during.current).toMatchObject({
      id: 'gold',
      manual: true,
      manualUntil: '2026-07-01T00:00:00.000Z',
    });
    expect(during.retain).toBeNull();
    // Gold's ×2 applies to spend points while it lasts.
    await at('2026-05-03T10:00:00Z');
    await pay('jan-2', 'jan', 10_000);
    const entries = await ledger(t, shop, 'jan');
    expect(entries.find((e) => (e.cause as { orderId: string }).orderId === 'jan-2')?.points).toBe(
      200,
    );

    await at('2026-06-30T23:59:59Z');
    await reviewTiers(t.db, clock, shop.id);
    expect((await tierOf('jan')).current.id).toBe('gold');
    await at('2026-07-01T00:00:00Z');
    // The end date is honoured on read at once, before the periodic task tidies up.
    expect((await tierOf('jan')).current).toMatchObject({ id: 'silver', manual: false });
    expect(await reviewTiers(t.db, clock, shop.id)).toBe(1);
    expect(await history('jan')).toEqual([
      'tier.upgraded -→gold (manual)',
      'tier.downgraded gold→silver (manual_ended)',
    ]);
    const events = (await call(t, shop, 'GET', '/v1/customers/jan/tier-history')).json().data;
    expect(events[0]).toMatchObject({
      note: 'Gość specjalny / special guest',
      actor: expect.stringMatching(/^api_key/),
    });
  });

  it('can be removed early, and refuses unknown tiers and past end dates', async () => {
    const bad = await call(t, shop, 'POST', '/v1/customers/jan/tier', {
      tierId: 'platinum',
      reason: 'x',
    });
    expectProblem(bad, 400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'tierId' })]);
    const past = await call(t, shop, 'POST', '/v1/customers/jan/tier', {
      tierId: 'gold',
      until: '2020-01-01T00:00:00Z',
      reason: 'x',
    });
    expectProblem(past, 400);
    expect(past.json().errors).toEqual([expect.objectContaining({ path: 'until' })]);

    const set = await call(t, shop, 'POST', '/v1/customers/jan/tier', {
      tierId: 'gold',
      reason: 'VIP',
    });
    expect(set.statusCode, set.body).toBe(201);
    expect(set.json().manual.until).toBeNull();
    const removed = await call(t, shop, 'DELETE', '/v1/customers/jan/tier?reason=koniec');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ tier: { id: 'silver' }, manual: null });
    expectProblem(await call(t, shop, 'DELETE', '/v1/customers/jan/tier'), 404);
  });
});

describe('tier-only rewards', () => {
  it('are redeemable at or above their minimum tier only', async () => {
    await at('2026-07-02T10:00:00Z');
    const reward = await call(t, shop, 'POST', '/v1/rewards', {
      name: { pl: 'Dla złotych', en: 'Gold only' },
      kind: 'fixed_discount',
      amount: 5_000,
      pointsCost: 100,
      minTier: 'gold',
    });
    expect(reward.statusCode, reward.body).toBe(201);
    const rewardId = reward.json().id;
    await call(t, shop, 'POST', '/v1/customers/jan/adjustments', {
      points: 1_000,
      reason: 'start',
    });
    const refused = await call(t, shop, 'POST', '/v1/customers/jan/redemptions', { rewardId });
    expectProblem(refused, 422);
    expect(refused.json()).toMatchObject({ type: '/problems/tier-required' });
    expect(refused.json().detail).toContain('silver');

    await call(t, shop, 'POST', '/v1/customers/jan/tier', { tierId: 'gold', reason: 'test' });
    const ok = await call(t, shop, 'POST', '/v1/customers/jan/redemptions', { rewardId });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another shop's customer on every tier route", async () => {
    expectProblem(await call(t, other, 'GET', '/v1/customers/jan/tier-history'), 404);
    expectProblem(
      await call(t, other, 'POST', '/v1/customers/jan/tier', { tierId: 'gold', reason: 'x' }),
      404,
    );
    expectProblem(await call(t, other, 'GET', '/v1/customers/jan'), 404);
    const feed = await call(t, other, 'GET', '/v1/tier-events');
    expect(feed.json().data).toEqual([]);
    const own = await call(t, shop, 'GET', '/v1/tier-events?limit=2');
    expect(own.json().data).toHaveLength(2);
    expect(own.json().nextAfter).toEqual(own.json().data[1].id);
  });
});
