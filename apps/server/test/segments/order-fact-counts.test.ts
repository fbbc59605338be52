import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOverFacts, countSegments } from '../../src/segments/evaluate-segment.ts';
import type { SegmentRule } from '../../src/segments/segment-rules.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';

/**
 * Counts of rules that test only order facts come from customer_rollups alone (buyers, less
 * the redacted ones, plus the customers who never bought when the rules select them), and a
 * single other rule set is counted over buyers and never-buyers apart; both must equal the
 * one pass over every customer's facts.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NOW = new Date('2026-11-23T12:00:00Z');

interface Person {
  /** purchases: [day, total] (paid, in Europe/Warsaw at noon UTC); none: never bought */
  orders: Array<[string, number]>;
  redacted?: boolean;
  email?: boolean;
}

async function shopWith(people: Person[]) {
  const created = await createTestShop(t);
  const shop = await t.db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow();
  const ids = people.map((_, i) => `cus_ofc${String(i).padStart(3, '0')}`);
  await sql`
    INSERT INTO customers (shop_id, id, external_id, accepts_email_marketing, redacted_at)
    SELECT ${shop.id}, id, id, email, CASE WHEN redacted THEN ${NOW}::timestamptz END
    FROM unnest(${ids}::text[], ${people.map((p) => p.email ?? false)}::boolean[],
                ${people.map((p) => p.redacted ?? false)}::boolean[]) AS t(id, email, redacted)`.execute(
    t.db,
  );
  const orders = people.flatMap((p, i) =>
    p.orders.map(([day, total], k) => ({
      id: `ord_ofc${i}_${k}`,
      customer: ids[i]!,
      at: `${day}T12:00:00Z`,
      total,
    })),
  );
  if (orders.length > 0) {
    // one statement: the orders triggers keep customer_rollups and the RFM value counts
    await sql`
      INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
      SELECT ${shop.id}, id, id, customer, 'PLN', total, at, at
      FROM unnest(${orders.map((o) => o.id)}::text[], ${orders.map((o) => o.customer)}::text[],
                  ${orders.map((o) => o.total)}::bigint[], ${orders.map((o) => o.at)}::timestamptz[])
        AS t(id, customer, total, at)`.execute(t.db);
  }
  return shop;
}

describe('segment counts from the rollups', () => {
  /**
   * On 23 Nov 2026: A bought three times (1,200 zł), B once 13 days ago (50 zł), C once in
   * March (200 zł), F twice (900 zł) and was erased; D never bought, nor did E (erased).
   * RFM among the four buyers (F counts there): recency C 1, F 2, B 4, A 5; frequency B and
   * C 1, F 4, A 5; spend B 1, C 2, F 4, A 5.
   */
  const people: Person[] = [
    {
      orders: [
        ['2026-06-01', 10000],
        ['2026-10-01', 50000],
        ['2026-11-20', 60000],
      ],
    },
    { orders: [['2026-11-10', 5000]], email: true },
    { orders: [['2026-03-01', 20000]] },
    { orders: [] },
    { orders: [], redacted: true },
    {
      orders: [
        ['2026-10-01', 40000],
        ['2026-11-01', 50000],
      ],
      redacted: true,
    },
  ];
  const cases: Array<[string, SegmentRule, number]> = [
    ['spent over 1,000 zł (A; F is erased)', { fact: 'total_spent', op: 'gt', value: 100000 }, 1],
    ['one order (B, C)', { fact: 'orders_count', op: 'eq', value: 1 }, 2],
    [
      'spent under 100 zł (B, and D who never bought)',
      { fact: 'total_spent', op: 'lt', value: 10000 },
      2,
    ],
    ['no order for half a year (C)', { fact: 'days_since_last_order', op: 'gt', value: 182 }, 1],
    ['first order in 30 days (B)', { fact: 'days_since_first_order', op: 'lte', value: 30 }, 1],
    [
      'R ≥ 4 and F ≥ 4 (A)',
      {
        all: [
          { fact: 'rfm_recency', op: 'gte', value: 4 },
          { fact: 'rfm_frequency', op: 'gte', value: 4 },
        ],
      },
      1,
    ],
    ['R ≤ 2 (C, and D at 0)', { fact: 'rfm_recency', op: 'lte', value: 2 }, 2],
    ['M = 0 (D)', { fact: 'rfm_monetary', op: 'eq', value: 0 }, 1],
    [
      'two orders or AOV under 60 zł (A; B; D at 0)',
      {
        any: [
          { fact: 'orders_count', op: 'gte', value: 2 },
          { fact: 'average_order_value', op: 'lt', value: 6000 },
        ],
      },
      3,
    ],
    [
      'one order and e-mail consent (B): counted over the facts',
      {
        all: [
          { fact: 'orders_count', op: 'eq', value: 1 },
          { fact: 'accepts_email_marketing', op: 'is', value: true },
        ],
      },
      1,
    ],
  ];

  it('count exactly the customers the rules select, each alone and all in one call', async () => {
    const shop = await shopWith(people);
    const rules = cases.map(([, r]) => r);
    const expected = cases.map(([, , n]) => n);
    expect(await countSegments(t.db, shop, rules, NOW)).toEqual(expected);
    for (const [name, r, n] of cases) {
      expect([name, await countSegments(t.db, shop, [r], NOW)]).toEqual([name, [n]]);
    }
    // the one pass over every customer's facts agrees
    expect(await countOverFacts(t.db, shop, rules, NOW)).toEqual(expected);
  });

  it('equal the pass over every customer for random shops and rules', async () => {
    const day = fc
      .integer({ min: 0, max: 400 })
      .map((d) => new Date(Date.UTC(2025, 10, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const person = fc.record({
      orders: fc.array(
        fc.tuple(
          day,
          fc.integer({ min: 0, max: 40 }).map((v) => v * 500),
        ),
        {
          maxLength: 4,
        },
      ),
      redacted: fc.integer({ min: 0, max: 4 }).map((v) => v === 0),
      email: fc.boolean(),
    });
    const numeric = fc
      .oneof(
        fc.record({
          fact: fc.constantFrom('total_spent', 'average_order_value'),
          op: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'neq'),
          value: fc.integer({ min: 0, max: 40 }).map((v) => v * 500),
        }),
        fc.record({
          fact: fc.constantFrom('orders_count', 'rfm_recency', 'rfm_frequency', 'rfm_monetary'),
          op: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'neq'),
          value: fc.integer({ min: 0, max: 5 }),
        }),
        fc.record({
          fact: fc.constantFrom('days_since_last_order', 'days_since_first_order'),
          op: fc.constantFrom('gt', 'lte', 'between'),
          value: fc.integer({ min: 0, max: 400 }),
        }),
      )
      .map((c) =>
        c.op === 'between' ? { ...c, value: [c.value, c.value + 60] } : c,
      ) as fc.Arbitrary<SegmentRule>;
    // now and then a fact of the customers row: counted over the facts, buyers apart
    const condition = fc.oneof(
      { weight: 4, arbitrary: numeric },
      {
        weight: 1,
        arbitrary: fc
          .boolean()
          .map((value): SegmentRule => ({ fact: 'accepts_email_marketing', op: 'is', value })),
      },
    );
    const rule: fc.Arbitrary<SegmentRule> = fc.oneof(
      condition,
      fc.array(condition, { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(condition, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(person, { maxLength: 12 }),
        fc.array(rule, { minLength: 1, maxLength: 4 }),
        async (shopPeople, rules) => {
          const shop = await shopWith(shopPeople);
          const expected = await countOverFacts(t.db, shop, rules, NOW);
          expect(await countSegments(t.db, shop, rules, NOW)).toEqual(expected);
          for (const [i, r] of rules.entries()) {
            expect(await countSegments(t.db, shop, [r], NOW)).toEqual([expected[i]]);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
