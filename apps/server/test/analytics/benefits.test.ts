import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { seedWelcomeBenefits } from './benefits-support.ts';

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

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Korzyści');
  await seedWelcomeBenefits(t, shop.id);
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

  it('keeps the runs of a segment’s customers: spent 180 zł or more (c1, c2, g1, h3)', async () => {
    const created = await call(t, shop, 'POST', '/v1/segments', {
      name: 'Wydali 180 zł',
      rules: { all: [{ fact: 'total_spent', op: 'gte', value: 18_000 }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const report = await benefits(
      `from=2026-03-01&to=2026-03-02&days=30&segment=${created.json().id}`,
    );
    const runs = Object.fromEntries(
      report.flows[0].variants.map(
        (v: { variant: string; runs: number; secondPurchases: number }) => [
          v.variant,
          [v.runs, v.secondPurchases],
        ],
      ),
    );
    expect(runs).toEqual({ coupon: [2, 2], gift: [1, 1], holdout: [1, 0] });
    const unknown = await call(
      t,
      shop,
      'GET',
      '/v1/analytics/benefits?from=2026-03-01&to=2026-03-02&segment=seg_none',
    );
    expect(unknown.statusCode).toBe(404);
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
