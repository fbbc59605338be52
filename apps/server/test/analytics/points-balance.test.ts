import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, publish, refunded, send } from '../points/support.ts';

// One point per złoty. ala buys for 100 zł on 10 Feb; bartek for 250 zł on 5 Apr and gets
// 100 zł back on 20 May: the balances at the months' ends are 100, 100, 350 and 250 points.
const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Punkty');
  await publish(t, shop, { rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }] });
  await send(
    t,
    shop,
    orderPaid('o-ala', 'ala', '2026-02-10T10:00:00Z', { total: 10_000 }),
    orderPaid('o-bartek', 'bartek', '2026-04-05T10:00:00Z', { total: 25_000 }),
    refunded('o-bartek', 'r-bartek', 10_000, '2026-05-20T10:00:00Z'),
  );
});
afterAll(() => t.close());

describe('points owed at the end of each month', () => {
  it('takes the balance at each month’s end from the ledger, valued at the point value', async () => {
    const res = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/points-balance?from=2026-02-01&to=2026-06-01',
    );
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(
      report.data.map((d: { month: string; end: string; points: number }) => [
        d.month,
        d.end,
        d.points,
      ]),
    ).toEqual([
      ['2026-02', '2026-03-01', 100],
      ['2026-03', '2026-04-01', 100],
      ['2026-04', '2026-05-01', 350],
      ['2026-05', '2026-06-01', 250],
    ]);
    for (const d of report.data) expect(d.value).toBe(Math.round(d.points * report.pointValue));
    // the last month's end is today: what /v1/points/liability says is owed now
    const liability = (await call(t, shop, 'GET', '/v1/points/liability')).json();
    expect(report.data.at(-1).points).toBe(liability.points.outstanding);
  });

  it('ends the last month at `to` when it falls inside the month, and refuses over 120 months', async () => {
    const res = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/points-balance?from=2026-04-01&to=2026-04-06',
    );
    expect(res.json().data).toEqual([
      expect.objectContaining({ month: '2026-04', end: '2026-04-06', points: 350 }),
    ]);
    const long = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/points-balance?from=2010-01-01&to=2026-01-01',
    );
    expect(long.statusCode).toBe(400);
  });
});
