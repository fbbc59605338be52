import { sql } from 'kysely';
import type { TestApp } from '../support/app.ts';

/** When every run of the seeded welcome flow starts. */
export const BENEFIT_RUNS_START = '2026-03-01T10:00:00Z';

/**
 * The welcome flow of benefits.test.ts's table: ten customers, runs with a coupon, a gift
 * (reward) or nothing (holdout), their orders and coupon uses, written straight to the tables.
 */
export async function seedWelcomeBenefits(t: TestApp, shopId: string): Promise<void> {
  const START = BENEFIT_RUNS_START;
  const s = shopId;
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
}
