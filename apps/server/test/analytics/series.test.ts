import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { attribute, campaign, codeOf, signUp } from '../referrals/support.ts';

// Home's chart: figures per day, ISO week or month of the shop's time zone (Europe/Warsaw),
// each step counted as the period figures are, so the steps add up to the period.
const clock = fixedClock('2026-12-20T12:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

interface Series {
  step: string;
  currency: string;
  data: Array<{
    from: string;
    to: string;
    orders: number;
    revenue: number;
    membersRevenue: number;
    pointsIssued: number;
    pointsRedeemed: number;
    pointsExpired: number;
    messagesSent: number;
    referrals: number;
  }>;
}

async function series(query: string, key = shop.apiKey): Promise<Series> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/analytics/series?${query}`,
    headers: bearer(key),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z Wykresem');
  await send(
    t,
    shop,
    // 23:30 UTC on 30 November is 00:30 on 1 December in Warsaw.
    orderPaid('o-1', 'ola', '2026-11-30T23:30:00Z', { total: 10_000 }),
    orderPaid('o-2', null, '2026-12-01T10:00:00Z', { total: 5_000 }),
    orderPaid('o-3', 'jan', '2026-12-07T09:00:00Z', { total: 2_500 }),
    orderPaid('o-4', 'ola', '2026-11-29T12:00:00Z', { total: 1_000 }),
  );
});
afterAll(() => t.close());

describe('GET /v1/analytics/series', () => {
  it("puts each order on the shop's own day, members' revenue apart from guests'", async () => {
    const s = await series('from=2026-11-29&to=2026-12-02&step=day');
    expect(s.currency).toBe('PLN');
    expect(s.data.map((p) => [p.from, p.orders, p.revenue, p.membersRevenue])).toEqual([
      ['2026-11-29', 1, 1_000, 1_000],
      ['2026-11-30', 0, 0, 0],
      ['2026-12-01', 2, 15_000, 10_000],
    ]);
    expect(s.data.map((p) => p.to)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('starts weeks on Monday and months on the 1st, clipped to the range', async () => {
    const weeks = await series('from=2026-11-29&to=2026-12-10&step=week');
    expect(weeks.data.map((p) => [p.from, p.to, p.orders])).toEqual([
      ['2026-11-29', '2026-11-30', 1], // Sunday: the end of the week of 23 November
      ['2026-11-30', '2026-12-07', 2],
      ['2026-12-07', '2026-12-10', 1],
    ]);
    const months = await series('from=2026-11-15&to=2027-01-01&step=month');
    expect(months.data.map((p) => [p.from, p.to, p.revenue])).toEqual([
      ['2026-11-15', '2026-12-01', 1_000],
      ['2026-12-01', '2027-01-01', 17_500],
    ]);
  });

  it('adds up to the figures of the summary and of points activity for the same days', async () => {
    const range = 'from=2026-11-01&to=2026-12-21';
    const s = await series(`${range}&step=day`);
    const sum = (f: (p: Series['data'][number]) => number) =>
      s.data.reduce((total, p) => total + f(p), 0);
    const get = async (url: string) =>
      (
        await t.app.inject({ method: 'GET', url: `${url}?${range}`, headers: bearer(shop.apiKey) })
      ).json();
    const summary = await get('/v1/analytics/summary');
    const points = await get('/v1/points/activity');
    expect(sum((p) => p.orders)).toBe(summary.orders);
    expect(sum((p) => p.revenue)).toBe(summary.revenue);
    expect(sum((p) => p.membersRevenue)).toBe(summary.revenue - summary.revenueFromGuests);
    expect(sum((p) => p.pointsIssued)).toBe(points.issued);
    expect(points.issued).toBeGreaterThan(0);
    expect(sum((p) => p.pointsRedeemed)).toBe(points.redeemed);
    expect(sum((p) => p.pointsExpired)).toBe(points.expired);
  });

  it('counts the friends referred on the day they came, rejected ones left out', async () => {
    await campaign(t, shop, { main: { referrer: { kind: 'points', points: 50 } } });
    await signUp(t, shop, 'ola');
    const code = await codeOf(t, shop, 'ola');
    await signUp(t, shop, 'f1');
    await attribute(t, shop, { customerId: 'f1', code });
    const today = (await series('from=2026-12-20&to=2026-12-21&step=day')).data;
    expect(today.map((p) => p.referrals)).toEqual([1]);
    const days = (await series('from=2026-12-01&to=2026-12-20&step=day')).data;
    expect(days.every((p) => p.referrals === 0)).toBe(true);
  });

  it('shows a shop only its own figures', async () => {
    const other = await createTestShop(t, 'Inny Sklep');
    const s = await series('from=2026-11-29&to=2026-12-10&step=day', other.apiKey);
    expect(s.data.every((p) => p.orders === 0 && p.revenue === 0)).toBe(true);
  });

  it('refuses a range the wrong way round, an unknown step and too many steps, naming the field', async () => {
    const refused = async (query: string, path: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/analytics/series?${query}`,
        headers: bearer(shop.apiKey),
      });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual([expect.objectContaining({ path: `query.${path}` })]);
    };
    await refused('from=2026-12-02&to=2026-12-01&step=day', 'to');
    await refused('from=2026-12-01&to=2026-12-02&step=hour', 'step');
    await refused('from=2020-01-01&to=2026-12-02&step=day', 'step');
    // Six years in months is fine.
    expect((await series('from=2020-01-01&to=2026-12-02&step=month')).data).toHaveLength(84);
  });
});
