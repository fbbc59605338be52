import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { awardDailyPoints } from '../../src/points/award-daily-points.ts';
import { call, ledger, points, publish, send } from './support.ts';

const clock = fixedClock('2026-03-10T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const customer = (id: string, extra: object = {}) => ({
  type: 'customer.created',
  id: `c-${id}`,
  data: { id, ...extra },
});

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia Pod Lipą'); // Europe/Warsaw
  await publish(t, shop, {
    rules: [
      { id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } },
      { id: 'signup', code: 'signup', args: { points: 20 } },
      { id: 'birthday', code: 'birthday', args: { points: 100 } },
      { id: 'name-day', code: 'name_day', args: { points: 30 } },
      {
        id: 'review',
        code: 'review',
        args: { points: 10, withPhotoPoints: 25 },
        cap: { times: 2, period: 'day' },
      },
      { id: 'newsletter', code: 'newsletter_signup', args: { points: 15 } },
      {
        id: 'follow',
        code: 'social_follow',
        args: { points: 5, networks: ['instagram', 'tiktok'] },
      },
      {
        id: 'quiz',
        code: 'custom',
        args: {
          event: 'quiz_completed',
          points: 40,
          conditions: [{ path: 'score', op: 'gte', value: 8 }],
        },
      },
    ],
  });
});
afterAll(() => t.close());

const earned = async (id: string) => (await points(t, shop, id)).lifetimeEarned;
const byRule = async (id: string) =>
  (await ledger(t, shop, id)).map((e) => (e.cause.rule as { id: string }).id).sort();

describe('points for things customers do', () => {
  it('gives signup points once, when the customer is created', async () => {
    await send(t, shop, customer('zosia'), {
      type: 'customer.updated',
      id: 'u-zosia',
      data: { id: 'zosia', firstName: 'Zofia' },
    });
    expect(await byRule('zosia')).toEqual(['signup']);
    expect(await points(t, shop, 'zosia')).toMatchObject({ available: 20, pending: 0 });
  });

  it('gives more for a review with a photo, at most twice a day', async () => {
    const review = (id: string, photo: boolean) => ({
      type: 'review.created',
      id,
      occurredAt: '2026-03-10T10:00:00Z',
      data: { customerId: 'zosia', reviewId: id, photo },
    });
    await send(t, shop, review('rv-1', false), review('rv-2', true), review('rv-3', true));
    await send(t, shop, { ...review('rv-4', false), occurredAt: '2026-03-11T10:00:00Z' });
    expect(await earned('zosia')).toBe(20 + 10 + 25 + 10);
  });

  it('gives points once per review, even when it is reported again under another event id', async () => {
    const before = await earned('zosia');
    const again = (id: string) => ({
      type: 'review.created',
      id,
      occurredAt: '2026-03-20T10:00:00Z',
      data: { customerId: 'zosia', reviewId: 'rv-same', photo: false },
    });
    await send(t, shop, again('delivery-a'), again('delivery-b'));
    expect(await earned('zosia')).toBe(before + 10);
  });

  it('refuses to give an existing rule id a different code, naming the rule', async () => {
    const res = await call(t, shop, 'PUT', '/v1/programme/draft', {
      rules: [{ id: 'signup', code: 'newsletter_signup', args: { points: 5 } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'rules.0.id' })]);
  });

  it('answers 400, and stores nothing, for a NUL character in a reason', async () => {
    const before = await ledger(t, shop, 'zosia');
    const res = await call(t, shop, 'POST', '/v1/customers/zosia/adjustments', {
      points: 5,
      reason: 'a\u0000b',
    });
    expect(res.statusCode).toBe(400);
    expect(await ledger(t, shop, 'zosia')).toEqual(before);
  });

  it('gives newsletter points once however often the sign-up is reported', async () => {
    await send(
      t,
      shop,
      { type: 'newsletter.subscribed', id: 'n-1', data: { customerId: 'zosia' } },
      { type: 'newsletter.subscribed', id: 'n-2', data: { customerId: 'zosia' } },
    );
    expect((await byRule('zosia')).filter((r) => r === 'newsletter')).toHaveLength(1);
  });

  it('gives a social follow once per network, and only for the networks the rule names', async () => {
    const follow = (id: string, network: string) => ({
      type: 'social.followed',
      id,
      data: { customerId: 'jurek', network },
    });
    await send(
      t,
      shop,
      follow('f-1', 'Instagram'),
      follow('f-2', 'instagram'),
      follow('f-3', 'tiktok'),
      follow('f-4', 'facebook'),
    );
    expect(await byRule('jurek')).toEqual(['follow', 'follow', 'signup']);
  });

  it('gives custom event points only when the payload conditions hold', async () => {
    const quiz = (id: string, score: number) => ({
      type: 'custom',
      id,
      data: { customerId: 'jurek', event: 'quiz_completed', properties: { score } },
    });
    await send(t, shop, quiz('q-1', 6), quiz('q-2', 9), {
      type: 'custom',
      id: 'q-3',
      data: { customerId: 'jurek', event: 'other', properties: { score: 10 } },
    });
    expect((await byRule('jurek')).filter((r) => r === 'quiz')).toHaveLength(1);
  });

  it('refuses an activity without a customer, with the field path', async () => {
    const res = await call(t, shop, 'POST', '/v1/events', {
      type: 'review.created',
      data: { reviewId: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'data.customerId' })]),
    );
  });
});

describe('birthdays and name days in the shop time zone', () => {
  beforeAll(async () => {
    await send(
      t,
      shop,
      customer('urodziny-15', { birthday: '1990-03-15', firstName: 'Ola' }),
      customer('urodziny-14', { birthday: '1985-03-14', firstName: 'Ola' }),
      customer('jozef', { firstName: 'Józef' }),
      customer('jozef-bez-ogonkow', { firstName: 'JOZEF' }),
      customer('lukasz', { firstName: 'ŁUKASZ' }),
      customer('leap', { birthday: '2000-02-29' }),
    );
  });

  it('gives birthday points when the day begins in Warsaw, not in UTC, and once a year', async () => {
    clock.set('2026-03-14T23:30:00Z'); // 00:30 on 15 March in Warsaw
    await awardDailyPoints(t.db, clock, shop.id);
    expect(await byRule('urodziny-15')).toEqual(['birthday', 'signup']);
    expect(await byRule('urodziny-14')).toEqual(['signup']); // 14 March is over in Warsaw
    clock.set('2026-03-15T20:00:00Z');
    await awardDailyPoints(t.db, clock, shop.id);
    clock.set('2027-03-15T08:00:00Z');
    await awardDailyPoints(t.db, clock, shop.id);
    expect((await byRule('urodziny-15')).filter((r) => r === 'birthday')).toHaveLength(2);
  });

  it('gives name day points from the Polish calendar, with or without diacritics', async () => {
    clock.set('2026-03-19T07:00:00Z'); // św. Józefa
    expect(await awardDailyPoints(t.db, clock, shop.id)).toBe(2);
    expect(await byRule('jozef')).toEqual(['name-day', 'signup']);
    expect(await byRule('jozef-bez-ogonkow')).toEqual(['name-day', 'signup']);
    expect(await awardDailyPoints(t.db, clock, shop.id)).toBe(0);
  });

  it('matches a capital Ł whatever the database collation', async () => {
    clock.set('2026-10-18T09:00:00Z'); // św. Łukasza
    await awardDailyPoints(t.db, clock, shop.id);
    expect(await byRule('lukasz')).toEqual(['name-day', 'signup']);
  });

  it('celebrates a 29 February birthday on 28 February in other years', async () => {
    clock.set('2027-02-28T12:00:00Z');
    await awardDailyPoints(t.db, clock, shop.id);
    expect(await byRule('leap')).toEqual(['birthday', 'signup']);
  });
});
