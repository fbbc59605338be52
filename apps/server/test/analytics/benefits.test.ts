import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';

// The welcome flow's three branches, runs started on 1 March 2026 at 10:00 UTC, 30-day window:
//
// | run | variant | grant            | orders after the start (net)      | coupon used (discount) |
// | --- | ------- | ---------------- | --------------------------------- | ---------------------- |
// | c1  | coupon  | coupon           | 5 Mar 100 zł                      | yes (20 zł)            |
// | c2  | coupon  | coupon           | 11 Mar 200 zł                     | yes (20 zł)            |
// | c3  | coupon  | coupon           | 21 Mar 60 zł                      | no                     |
// | c4  | coupon  | coupon           | —                                 | no                     |
// | g1  | gift    | reward (15 zł)   | 3 Mar 80 zł                       | yes (0 zł)             |
// | g2  | gift    | reward           | —                                 | no                     |
// | h1  | holdout | —                | 11 Mar 50 zł                      |                        |
// | h2  | holdout | —                | —                                 |                        |
// | h3  | holdout | —                | 15 Apr 90 zł (outside 30 days)    |                        |
// | h4  | holdout | —                | —                                 |                        |
//
// Everyone's triggering first order is on 1 March at 09:00 (it never counts as the next order).
const Z = 1.959963984540054;
const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
const START = '2026-03-01T10:00:00Z';

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Korzyści');
  const s = shop.id;
  const runs: Array<[string, string, 'coupon' | 'reward' | null]> = [
    ['c1', 'coupon', 'coupon'],
    ['c2', 'coupon', 'coupon'],
    ['c3', 'coupon', 'coupon'],
    ['c4', 'coupon', 'coupon'],
    ['g1', 'gift', 'reward'],
    ['g2', 'gift', 'reward'],
    ['h1', 'holdout', null],
    ['h2', 'holdout', null],
    ['h3', 'holdout', null],
    ['h4', 'holdout', null],
  ];
  const ids = runs.map(([c]) => `cus_${c}`);
  await sql`INSERT INTO customers (shop_id, id, external_id)
            SELECT ${s}, id, id FROM unnest(${ids}::text[]) AS t(id)`.execute(t.db);
  await sql`INSERT INTO flows (shop_id, id, name, status, version, definition, created_at, updated_at)
            VALUES (${s}, 'flw_welcome', 'Powitanie', 'active', 1, '{}', ${START}, ${START})`.execute(
    t.db,
  );
  await sql`INSERT INTO flow_versions (shop_id, flow_id, version, definition, created_at)
            VALUES (${s}, 'flw_welcome', 1, '{}', ${START})`.execute(t.db);
  const orders: Array<[string, string, number, string]> = [
    ...ids.map(
      (c) => [`first_${c}`, c, 10_000, '2026-03-01T09:00:00Z'] as [string, string, number, string],
    ),
    ['next_c1', 'cus_c1', 10_000, '2026-03-05T10:00:00Z'],
    ['next_c2', 'cus_c2', 20_000, '2026-03-11T10:00:00Z'],
    ['next_c3', 'cus_c3', 6_000, '2026-03-21T10:00:00Z'],
    ['next_g1', 'cus_g1', 8_000, '2026-03-03T10:00:00Z'],
    ['next_h1', 'cus_h1', 5_000, '2026-03-11T10:00:00Z'],
    ['next_h3', 'cus_h3', 9_000, '2026-04-15T10:00:00Z'],
  ];
  await sql`INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
            SELECT ${s}, e, e, c, 'PLN', tot, at, at
            FROM unnest(${orders.map((o) => o[0])}::text[], ${orders.map((o) => o[1])}::text[],
                        ${orders.map((o) => o[2])}::bigint[], ${orders.map((o) => o[3])}::timestamptz[])
              AS t(e, c, tot, at)`.execute(t.db);
  for (const [c, variant, grant] of runs) {
    await sql`INSERT INTO flow_runs (shop_id, id, flow_id, flow_version, customer_id, trigger_key, status, variant, context, started_at)
              VALUES (${s}, ${`run_${c}`}, 'flw_welcome', 1, ${`cus_${c}`}, ${c}, 'completed', ${variant},
                      ${JSON.stringify({ orderId: `first_cus_${c}` })}, ${START})`.execute(t.db);
    if (!grant) continue;
    await sql`INSERT INTO coupons (shop_id, id, code, source, customer_id, discount)
              VALUES (${s}, ${`cpn_${c}`}, ${`CODE-${c}`}, 'flow', ${`cus_${c}`}, '{"kind":"fixed","amount":2000}')`.execute(
      t.db,
    );
    await sql`INSERT INTO flow_run_steps (shop_id, run_id, step_index, step_id, kind, outcome, detail, at)
              VALUES (${s}, ${`run_${c}`}, 1, 'give', 'grant', 'granted',
                      ${JSON.stringify({ kind: grant, couponId: `cpn_${c}` })}, ${START})`.execute(
      t.db,
    );
  }
  const uses: Array<[string, number]> = [
    ['c1', 2000],
    ['c2', 2000],
    ['g1', 0],
  ];
  for (const [c, discount] of uses) {
    await sql`INSERT INTO coupon_uses (shop_id, coupon_id, order_id, used_at, customer_id, discount_amount)
              VALUES (${s}, ${`cpn_${c}`}, ${`next_${c}`}, now(), ${`cus_${c}`}, ${discount})`.execute(
      t.db,
    );
  }
});
afterAll(() => t.close());

async function benefits(query: string) {
  const res = await call(t, shop, 'GET', `/v1/analytics/benefits?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('benefit cost and effect per flow variant', () => {
  it('gives each variant its cost, uptake, next order and net margin, and compares it with the holdout', async () => {
    const report = await benefits(
      'from=2026-03-01&to=2026-03-02&days=30&margin=50&costs=gift:1500',
    );
    expect(report.flows).toHaveLength(1);
    const [flow] = report.flows;
    expect(flow).toMatchObject({ flowId: 'flw_welcome', name: 'Powitanie' });
    const byVariant = Object.fromEntries(
      flow.variants.map((v: { variant: string }) => [v.variant, v]),
    );
    expect(byVariant.coupon).toMatchObject({
      benefit: 'coupon',
      runs: 4,
      granted: 4,
      uptake: 0.5,
      discountGiven: 4000,
      unitCost: 2000, // 40 zł given over the two coupons used
      costPerCustomer: 1000,
      secondPurchases: 3,
      secondPurchaseRate: 0.75,
      medianDaysToSecondOrder: 10, // 4, 10 and 20 days
      aov: 12_000,
      revenuePerCustomer: 9_000,
      netMarginPerCustomer: 3_500, // (3000 + 8000 + 3000 + 0) / 4
    });
    // The gift's entered cost (15 zł) replaces the zero discount of its coupon, once per use.
    expect(byVariant.gift).toMatchObject({
      benefit: 'reward',
      uptake: 0.5,
      unitCost: 1500,
      costPerCustomer: 750,
      secondPurchaseRate: 0.5,
      medianDaysToSecondOrder: 2,
      aov: 8_000,
      netMarginPerCustomer: 1_250,
    });
    // The holdout's order 45 days after the start is outside the window.
    expect(byVariant.holdout).toMatchObject({
      benefit: null,
      runs: 4,
      secondPurchaseRate: 0.25,
      aov: 5_000,
      costPerCustomer: 0,
      netMarginPerCustomer: 625,
      againstHoldout: null,
    });

    const rate = byVariant.coupon.againstHoldout.secondPurchaseRate;
    const seRate = Math.sqrt((0.75 * 0.25) / 4 + (0.25 * 0.75) / 4);
    expect(rate.difference).toBeCloseTo(0.5, 4);
    expect(rate.ci95[0]).toBeCloseTo(0.5 - Z * seRate, 4);
    expect(rate.ci95[1]).toBeCloseTo(0.5 + Z * seRate, 4);
    // one holdout next order: no spread to compare an AOV with
    expect(byVariant.coupon.againstHoldout.aov).toBeNull();
    // margins: coupon 3000, 8000, 3000, 0 (sd² 11,000,000); holdout 2500, 0, 0, 0 (sd² 1,562,500)
    const seMargin = Math.sqrt(11_000_000 / 4 + 1_562_500 / 4);
    expect(byVariant.coupon.againstHoldout.netMarginPerCustomer).toMatchObject({
      difference: 2875,
      ci95: [Math.round(2875 - Z * seMargin), Math.round(2875 + Z * seMargin)],
    });
  });

  it('counts the discount actually given when no cost is entered, and leaves out the margin without a margin %', async () => {
    const report = await benefits('from=2026-03-01&to=2026-03-02&days=30');
    const gift = report.flows[0].variants.find((v: { variant: string }) => v.variant === 'gift');
    expect(gift).toMatchObject({ unitCost: 0, costPerCustomer: 0, netMarginPerCustomer: null });
    expect(report.marginPercent).toBeNull();
  });

  it('sees no runs outside the range, nor another shop’s', async () => {
    expect((await benefits('from=2026-03-02&to=2026-04-01')).flows).toEqual([]);
    const other = await createTestShop(t, 'Inny sklep');
    const res = await call(t, other, 'GET', '/v1/analytics/benefits?from=2026-03-01&to=2026-03-02');
    expect(res.json().flows).toEqual([]);
  });

  it('refuses malformed costs and a range that ends before it starts', async () => {
    const bad = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/benefits?from=2026-03-01&to=2026-03-02&costs=gift=15',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.costs');
    const backwards = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/benefits?from=2026-03-02&to=2026-03-01',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('query.to');
  });
});
