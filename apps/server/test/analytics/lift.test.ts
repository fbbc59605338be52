import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { holdoutPosition, inHoldout } from '../../src/points/holdout.ts';
import { normalCdf } from '../../src/analytics/measure-lift.ts';
import { call, orderPaid, points, publish, send } from '../points/support.ts';

const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Lift');
  await publish(t, shop, {
    rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
    settings: { holdoutPercent: 30 },
  });
});
afterAll(() => t.close());

describe('the programme holdout', () => {
  it('keeps about the chosen share of customers out of earning, the same in SQL as in code', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `hold-${i}`);
    await send(
      t,
      shop,
      ...ids.map((id, i) => orderPaid(`ho-${i}`, id, '2026-08-01T10:00:00Z', { total: 10000 })),
    );
    const rows = await t.db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where('shop_id', '=', shop.id)
      .where('external_id', 'like', 'hold-%')
      .execute();
    let held = 0;
    for (const row of rows) {
      const earned = (await points(t, shop, row.external_id)).lifetimeEarned;
      if (inHoldout(row.id, 30)) {
        held++;
        expect(earned, row.external_id).toBe(0);
      } else {
        expect(earned, row.external_id).toBe(100);
      }
    }
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(40);
    const { rows: positions } = await sql<{ id: string; p: number }>`
      SELECT id, (('x' || substr(encode(sha256(convert_to(id, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint / 4294967296.0 * 100)::float8 AS p
      FROM customers WHERE shop_id = ${shop.id}`.execute(t.db);
    for (const r of positions) expect(r.p).toBeCloseTo(holdoutPosition(r.id), 9);
  });
});

describe('lift against the holdout', () => {
  it('compares revenue per customer, repeat rate and 90-day retention, with intervals matching a hand calculation', async () => {
    // 300 customers acquired in March; members buy twice when their number is even.
    const ids = Array.from({ length: 300 }, (_, i) => `cus_lift${String(i).padStart(4, '0')}`);
    await sql`INSERT INTO customers (shop_id, id, external_id)
              SELECT ${shop.id}, id, id FROM unnest(${ids}::text[]) AS t(id)`.execute(t.db);
    const orders: Array<[string, string, number, string]> = [];
    ids.forEach((id, i) => {
      orders.push([`lo-${i}-1`, id, 10000, '2026-03-10T10:00:00Z']);
      if (!inHoldout(id, 30) && i % 2 === 0)
        orders.push([`lo-${i}-2`, id, 5000, '2026-04-01T10:00:00Z']);
    });
    await sql`INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
              SELECT ${shop.id}, 'ord_' || e, e, c, 'PLN', tot, at, at
              FROM unnest(${orders.map((o) => o[0])}::text[], ${orders.map((o) => o[1])}::text[],
                          ${orders.map((o) => o[2])}::bigint[], ${orders.map((o) => o[3])}::timestamptz[]) AS t(e, c, tot, at)`.execute(
      t.db,
    );

    const res = await call(t, shop, 'GET', '/v1/analytics/lift?from=2026-03-01&to=2026-06-01');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();

    const members = ids.filter((id) => !inHoldout(id, 30));
    const holdout = ids.filter((id) => inHoldout(id, 30));
    const repeaters = ids.filter((id, i) => !inHoldout(id, 30) && i % 2 === 0).length;
    const revenue = members.map((id) => (ids.indexOf(id) % 2 === 0 ? 15000 : 10000));
    const mean = revenue.reduce((a, b) => a + b, 0) / revenue.length;
    const sd = Math.sqrt(revenue.reduce((s, x) => s + (x - mean) ** 2, 0) / (revenue.length - 1));
    const se = sd / Math.sqrt(members.length); // the holdout's revenue does not vary
    expect(report.members).toEqual({
      customers: members.length,
      revenuePerCustomer: Math.round(mean),
      repeatRate: repeaters / members.length,
      retention90: repeaters / members.length,
    });
    expect(report.holdout).toEqual({
      customers: holdout.length,
      revenuePerCustomer: 10000,
      repeatRate: 0,
      retention90: 0,
    });
    expect(report.lift.revenuePerCustomer).toMatchObject({
      difference: Math.round(mean - 10000),
      ci95: [
        Math.round(mean - 10000 - 1.959963984540054 * se),
        Math.round(mean - 10000 + 1.959963984540054 * se),
      ],
    });
    expect(report.lift.revenuePerCustomer.pValue).toBeLessThan(0.0001);
    const p = repeaters / members.length;
    const seShare = Math.sqrt((p * (1 - p)) / members.length);
    expect(report.lift.repeatRate.ci95[0]).toBeCloseTo(p - 1.959963984540054 * seShare, 4);
  });

  it('says there is nothing to compare without a holdout', async () => {
    const other = await createTestShop(t, 'Bez holdoutu');
    const report = (
      await call(t, other, 'GET', '/v1/analytics/lift?from=2026-03-01&to=2026-06-01')
    ).json();
    expect(report).toMatchObject({ holdoutPercent: 0, lift: null });
    expect(report.note).toContain('holdoutPercent');
  });

  it('computes the normal distribution to seven places', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });
});
