/**
 * The programme the read benchmarks set up, in one place: the paced benches (storefront.ts,
 * coupons.ts) and the in-process CPU bench (reads-cpu.ts) must read the same data for their
 * figures to be compared.
 */

/** PUT /v1/tiers: two spend tiers over a rolling year. */
export const BENCH_TIERS = {
  metric: 'spend',
  period: 'rolling_12_months',
  tiers: [
    { id: 'silver', name: { pl: 'Srebrny', en: 'Silver' }, entryThreshold: 50_000 },
    { id: 'gold', name: { pl: 'Złoty', en: 'Gold' }, entryThreshold: 150_000 },
  ],
};

/** POST /v1/coupon-campaigns: 15 % off coffee, capped, with a least basket. */
export const BENCH_COUPON_CAMPAIGN = {
  name: 'Jesień',
  discount: { kind: 'percentage', percent: 15, cap: 5000 },
  minBasket: 10000,
  categoryIds: ['kawa'],
  usesPerCustomer: 3,
};
