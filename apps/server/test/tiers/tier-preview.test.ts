import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { silverAndGold } from './support.ts';

/**
 * Member counts per tier and the preview of a threshold change, on a shop of seven customers:
 *
 * | customer | spend in the last 12 months        | tier now                  |
 * | -------- | ---------------------------------- | ------------------------- |
 * | ala      | 150,000 (two orders)               | silver                    |
 * | bartek   | 320,000                            | gold                      |
 * | celina   | 90,000                             | none                      |
 * | darek    | 50,000                             | none                      |
 * | ewa      | nothing                            | none                      |
 * | filip    | 120,000, but 14 months ago         | none                      |
 * | gosia    | 10,000                             | gold, by hand             |
 */
const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

const proposed = (
  changes: { silver?: [number, number]; gold?: [number, number] },
  base: Record<string, unknown> = {},
) => ({
  ...silverAndGold,
  ...base,
  tiers: silverAndGold.tiers.map((tier) => {
    const pair = changes[tier.id as 'silver' | 'gold'];
    return pair ? { ...tier, entryThreshold: pair[0], retainThreshold: pair[1] } : tier;
  }),
});

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep VIP');
  other = await createTestShop(t, 'Inny Sklep');
  expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
  const now = '2026-09-01T09:00:00Z';
  await send(
    t,
    shop,
    orderPaid('o-ala-1', 'ala', '2026-03-01T09:00:00Z', { total: 100_000 }),
    orderPaid('o-ala-2', 'ala', now, { total: 50_000 }),
    orderPaid('o-bartek', 'bartek', now, { total: 320_000 }),
    orderPaid('o-celina', 'celina', now, { total: 90_000 }),
    orderPaid('o-darek', 'darek', now, { total: 50_000 }),
    { type: 'customer.created', id: 'c-ewa', data: { id: 'ewa' } },
    orderPaid('o-filip', 'filip', '2025-07-01T09:00:00Z', { total: 120_000 }),
    orderPaid('o-gosia', 'gosia', now, { total: 10_000 }),
  );
  const manual = await call(t, shop, 'POST', '/v1/customers/gosia/tier', {
    tierId: 'gold',
    reason: 'ambasadorka',
  });
  expect(manual.statusCode, manual.body).toBe(201);
});
afterAll(() => t.close());

describe('GET /v1/tiers/members', () => {
  it('counts the holders of each tier, those by hand, and those without one', async () => {
    const res = await call(t, shop, 'GET', '/v1/tiers/members');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      customers: 7,
      withoutTier: 4,
      tiers: [
        { id: 'silver', name: { pl: 'Srebrny', en: 'Silver' }, rank: 1, members: 1, manual: 0 },
        { id: 'gold', name: { pl: 'Złoty', en: 'Gold' }, rank: 2, members: 2, manual: 1 },
      ],
    });
  });

  it('shows another shop only its own customers, and no tiers before it has a programme', async () => {
    const res = await call(t, other, 'GET', '/v1/tiers/members');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ customers: 0, withoutTier: 0, tiers: [] });
  });
});

describe('POST /v1/tiers/preview', () => {
  it('with the saved thresholds nobody moves', async () => {
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', silverAndGold);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      customers: 7,
      movingUp: 0,
      movingDown: 0,
      manual: 1,
      since: '2025-09-01T10:00:00.000Z',
      withoutTier: { now: 4, after: 4 },
      tiers: [
        { id: 'silver', rank: 1, now: 1, after: 1 },
        { id: 'gold', rank: 2, now: 2, after: 2 },
      ],
    });
  });

  it('a lower Silver entry lifts celina; a higher Gold retain drops bartek to Silver', async () => {
    const body = proposed({ silver: [85_000, 60_000], gold: [400_000, 350_000] });
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      movingUp: 1,
      movingDown: 1,
      manual: 1,
      withoutTier: { now: 4, after: 3 },
      tiers: [
        { id: 'silver', now: 1, after: 3 },
        { id: 'gold', now: 2, after: 1 },
      ],
    });
    // A preview changes nothing: the programme and the counts are as they were.
    expect((await call(t, shop, 'GET', '/v1/tiers')).json().tiers[0].entryThreshold).toBe(100_000);
    expect((await call(t, shop, 'GET', '/v1/tiers/members')).json().withoutTier).toBe(4);
  });

  it('over the lifetime, filip’s order of 14 months ago counts too', async () => {
    const body = proposed({ silver: [85_000, 60_000] }, { period: 'lifetime' });
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', body);
    expect(res.json()).toMatchObject({
      movingUp: 2,
      movingDown: 0,
      since: '1970-01-01T00:00:00.000Z',
      tiers: [
        { id: 'silver', after: 3 },
        { id: 'gold', after: 2 },
      ],
    });
  });

  it('counts orders when the metric is orders', async () => {
    const body = proposed({ silver: [2, 2], gold: [5, 5] }, { metric: 'orders' });
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', body);
    // ala's two orders keep Silver; bartek's one order is below Gold's and Silver's retain.
    expect(res.json()).toMatchObject({
      movingUp: 0,
      movingDown: 1,
      withoutTier: { after: 5 },
      tiers: [
        { id: 'silver', after: 1 },
        { id: 'gold', after: 1 },
      ],
    });
  });

  it('answers for points earned as the metric', async () => {
    const body = proposed({ silver: [1, 1], gold: [2, 2] }, { metric: 'points_earned' });
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    const json = res.json();
    const after = json.tiers.reduce((sum: number, tier: { after: number }) => sum + tier.after, 0);
    expect(after + json.withoutTier.after).toBe(7);
  });

  it('refuses a bad programme with the field paths, like PUT', async () => {
    const res = await call(t, shop, 'POST', '/v1/tiers/preview', {
      ...silverAndGold,
      tiers: [
        { ...silverAndGold.tiers[0], entryThreshold: 500_000 },
        { ...silverAndGold.tiers[1], retainThreshold: 900_000 },
      ],
    });
    expectProblem(res, 400);
    const paths = (res.json().errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['tiers.1.entryThreshold', 'tiers.1.retainThreshold']);
    const order = await call(t, shop, 'POST', '/v1/tiers/preview', {
      ...silverAndGold,
      tiers: [{ ...silverAndGold.tiers[0], entryThreshold: 500_000 }, silverAndGold.tiers[1]],
    });
    expectProblem(order, 400);
    expect(order.json().errors).toEqual([
      { path: 'tiers.1.entryThreshold', message: "must be above the previous tier's (500000)" },
    ]);
  });

  it('is for the programme’s editors: an analyst reads counts but may not preview; not audited', async () => {
    const analyst = await createMember(t, shop.id, 'analyst');
    const marketer = await createMember(t, shop.id, 'marketer');
    const asAnalyst = asMember(await signIn(t, analyst.email), shop.id);
    const asMarketer = asMember(await signIn(t, marketer.email), shop.id);
    const members = await t.app.inject({
      method: 'GET',
      url: '/v1/tiers/members',
      headers: asAnalyst,
    });
    expect(members.statusCode).toBe(200);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/tiers/preview',
      headers: asAnalyst,
      payload: silverAndGold,
    });
    expectProblem(refused, 403);
    const allowed = await t.app.inject({
      method: 'POST',
      url: '/v1/tiers/preview',
      headers: asMarketer,
      payload: silverAndGold,
    });
    expect(allowed.statusCode, allowed.body).toBe(200);
    const audited = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('shop_id', '=', shop.id)
      .where('action', 'like', '%preview%')
      .execute();
    expect(audited).toEqual([]);
  });

  it("measures another shop's customers apart", async () => {
    const res = await call(t, other, 'POST', '/v1/tiers/preview', silverAndGold);
    expect(res.json()).toMatchObject({ customers: 0, movingUp: 0, withoutTier: { now: 0 } });
  });
});
