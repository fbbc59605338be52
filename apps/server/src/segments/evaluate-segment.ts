import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import {
  customerFactsQuery,
  localToday,
  orderFactColumns,
  rfmCutPointsCtes,
  ruleToSql,
  ruleUsesFact,
} from './customer-facts-query.ts';
import type { CustomerFact, SegmentRule } from './segment-rules.ts';

/**
 * How many of the shop's customers each rule set selects, now. Rule sets that test only the
 * facts of the customers' orders are counted from customer_rollups (countOrderFactSegments);
 * one other rule set (a live count as a rule is edited) buyers and never-buyers apart
 * (countBuyersApart); more of them in one pass over the facts query, which joins every
 * customer to their rollups.
 */
export async function countSegments(
  db: Db,
  shop: ShopRow,
  ruleSets: SegmentRule[],
  now: Date,
): Promise<number[]> {
  const orderOnly = ruleSets.map(ruleTestsOrderFactsOnly);
  const [fromRollups, fromFacts] = await Promise.all([
    countOrderFactSegments(
      db,
      shop.id,
      shop.timezone,
      now,
      ruleSets.filter((_, i) => orderOnly[i]),
    ),
    (async () => {
      const others = ruleSets.filter((_, i) => !orderOnly[i]);
      return others.length === 1
        ? [await countBuyersApart(db, shop, others[0]!, now)]
        : countOverFacts(db, shop, others, now);
    })(),
  ]);
  return orderOnly.map((only) => (only ? fromRollups.shift()! : fromFacts.shift()!));
}

/**
 * How many customers one rule set selects, as the buyers it selects (customers joined to their
 * rollups: each side's conditions filter that side before the join) plus the customers who
 * never bought that it selects (their order facts are constants, so a rule that needs an
 * order is false before anything is read). Equal to countOverFacts, often without its join of
 * every customer.
 */
export async function countBuyersApart(
  db: Db,
  shop: ShopRow,
  rules: SegmentRule,
  now: Date,
): Promise<number> {
  const uses = (...facts: CustomerFact[]) => facts.some((fact) => ruleUsesFact(rules, fact));
  const options = {
    categories: uses('categories_bought'),
    rfm: uses('rfm_recency', 'rfm_frequency', 'rfm_monetary'),
    predictions: uses('probability_alive', 'predicted_clv'),
  };
  const part = (who: 'buyers' | 'never') => sql`
    (SELECT count(*)::int
     FROM (${customerFactsQuery(shop.id, shop.timezone, now, { ...options, who })}) f
     WHERE ${ruleToSql(rules)})`;
  const { rows } = await sql<{ n: number }>`
    SELECT ${part('buyers')} + ${part('never')} AS n`.execute(db);
  return rows[0]!.n;
}

/** How many customers each rule set selects: one pass over the facts query. */
export async function countOverFacts(
  db: Db,
  shop: ShopRow,
  ruleSets: SegmentRule[],
  now: Date,
): Promise<number[]> {
  if (ruleSets.length === 0) return [];
  // only what some rule tests is computed (the quintiles sort every buyer three times)
  const uses = (...facts: CustomerFact[]) =>
    ruleSets.some((rules) => facts.some((fact) => ruleUsesFact(rules, fact)));
  const counts = ruleSets.map(
    (rules, i) => sql`count(*) FILTER (WHERE ${ruleToSql(rules)})::int AS ${sql.ref(`n${i}`)}`,
  );
  const { rows } = await sql<Record<string, number>>`
    SELECT ${sql.join(counts)} FROM (${customerFactsQuery(shop.id, shop.timezone, now, {
      categories: uses('categories_bought'),
      rfm: uses('rfm_recency', 'rfm_frequency', 'rfm_monetary'),
      predictions: uses('probability_alive', 'predicted_clv'),
    })}) f`.execute(db);
  return ruleSets.map((_, i) => rows[0]![`n${i}`]!);
}

/** The facts of customer_rollups alone: a rule that tests only these needs no customers row. */
export const ORDER_FACTS: ReadonlySet<CustomerFact> = new Set<CustomerFact>([
  'total_spent',
  'orders_count',
  'average_order_value',
  'days_since_last_order',
  'days_since_first_order',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
]);

/** Whether every fact the rule tests is one of ORDER_FACTS. */
export function ruleTestsOrderFactsOnly(rule: SegmentRule): boolean {
  if ('all' in rule) return rule.all.every(ruleTestsOrderFactsOnly);
  if ('any' in rule) return rule.any.every(ruleTestsOrderFactsOnly);
  return ORDER_FACTS.has(rule.fact);
}

/**
 * How many of the shop's customers each rule set selects, for rule sets that test only
 * ORDER_FACTS, without joining the shop's customers to their rollups (the floor of the facts
 * query at 1M customers): a customer is a buyer (a customer_rollups row) or not, and
 *
 *   count = (buyers the rules select)                 one pass over customer_rollups
 *         − (redacted buyers the rules select)        customers_redacted: a short index scan
 *         + (customers with no rollups row, not redacted, when the rules select a customer
 *            who never bought: their facts are all the same, evaluated once)
 *
 * The facts are the same column expressions as customerFactsQuery's, so the counts equal its
 * count(*) FILTER (WHERE rules) exactly. Everyone is counted (a scan of the shop's customers)
 * only when some rule set selects customers who never bought.
 */
export async function countOrderFactSegments(
  db: Db,
  shopId: string,
  timezone: string,
  now: Date,
  ruleSets: SegmentRule[],
): Promise<number[]> {
  if (ruleSets.length === 0) return [];
  const rfm = ruleSets.some((rules) =>
    (['rfm_recency', 'rfm_frequency', 'rfm_monetary'] as const).some((fact) =>
      ruleUsesFact(rules, fact),
    ),
  );
  const facts = orderFactColumns(localToday(timezone, now), rfm);
  const counts = sql.join(
    ruleSets.map(
      (rules, i) => sql`count(*) FILTER (WHERE ${ruleToSql(rules)})::int AS ${sql.ref(`m${i}`)}`,
    ),
  );
  const matches = ruleSets.map((rules) => sql`coalesce(${ruleToSql(rules)}, false)`);
  // One snapshot for the cut points and the counts. The cut points are read first and given
  // to the count as constants: their function is not parallel safe, and the pass over 1M
  // rollups runs in parallel workers without it. No JIT: compiling the expressions (in every
  // worker) costs more than it saves on a pass this short.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`SET LOCAL jit = off`.execute(trx);
      let thresholds = sql``;
      if (rfm) {
        const { rows: cut } = await sql<Record<string, string | null>>`
          WITH ${rfmCutPointsCtes(shopId)}
          SELECT r1::text, r2::text, r3::text, r4::text, f1::text, f2::text, f3::text, f4::text,
                 m1::text, m2::text, m3::text, m4::text
          FROM thresholds`.execute(trx);
        const c = cut[0]!;
        thresholds = sql`CROSS JOIN (
          SELECT ${c.r1}::date AS r1, ${c.r2}::date AS r2, ${c.r3}::date AS r3, ${c.r4}::date AS r4,
                 ${c.f1}::bigint AS f1, ${c.f2}::bigint AS f2, ${c.f3}::bigint AS f3,
                 ${c.f4}::bigint AS f4, ${c.m1}::bigint AS m1, ${c.m2}::bigint AS m2,
                 ${c.m3}::bigint AS m3, ${c.m4}::bigint AS m4) t`;
      }
      const { rows } = await sql<{
        buyers: Record<string, number>;
        redacted: Record<string, number>;
        never: Record<string, boolean>;
        everyone: number | null;
      }>`
        WITH buyers AS (
          SELECT count(*)::int AS n, ${counts}
          FROM (SELECT ${facts} FROM customer_rollups p ${thresholds}
                WHERE p.shop_id = ${shopId}) f
        ),
        redacted AS (
          SELECT count(*)::int AS n, ${counts}
          FROM (SELECT ${facts}
                FROM customers cu
                JOIN customer_rollups p ON p.shop_id = cu.shop_id AND p.customer_id = cu.id
                ${thresholds}
                WHERE cu.shop_id = ${shopId} AND cu.redacted_at IS NOT NULL) f
        ),
        -- the facts of a customer who never bought (no rollups row: every column of p is NULL)
        never AS (
          SELECT ${sql.join(matches.map((m, i) => sql`${m} AS ${sql.ref(`m${i}`)}`))}
          FROM (SELECT ${facts}
                FROM (SELECT NULL::text AS customer_id, NULL::int AS orders_count,
                             NULL::bigint AS total_spent, NULL::date AS last_day,
                             NULL::date AS first_day) p
                ${thresholds}) f
        )
        SELECT to_jsonb(b) AS buyers, to_jsonb(r) AS redacted, to_jsonb(v) AS never,
               CASE WHEN ${sql.join(
                 ruleSets.map((_, i) => sql.ref(`v.m${i}`)),
                 sql` OR `,
               )}
                    THEN (SELECT count(*)::int FROM customers
                          WHERE shop_id = ${shopId} AND redacted_at IS NULL) END AS everyone
        FROM buyers b CROSS JOIN redacted r CROSS JOIN never v`.execute(trx);
      const { buyers, redacted, never, everyone } = rows[0]!;
      // customers who never bought: everyone not redacted less the buyers not redacted
      const neverBought = (everyone ?? 0) - (buyers.n! - redacted.n!);
      return ruleSets.map(
        (_, i) => buyers[`m${i}`]! - redacted[`m${i}`]! + (never[`m${i}`] ? neverBought : 0),
      );
    });
}

export interface SegmentMember {
  customerId: string;
  email: string | null;
  totalSpent: number;
  ordersCount: number;
  daysSinceLastOrder: number | null;
  rfm: { recency: number; frequency: number; monetary: number };
}

/** The customers the rules select, highest spend first, a page at a time. */
export async function listSegmentMembers(
  db: Db,
  shop: ShopRow,
  rules: SegmentRule,
  now: Date,
  { limit, offset }: { limit: number; offset: number },
): Promise<SegmentMember[]> {
  const { rows } = await sql<{
    external_id: string;
    email: string | null;
    total_spent: number;
    orders_count: number;
    days_since_last_order: number | null;
    rfm_recency: number;
    rfm_frequency: number;
    rfm_monetary: number;
  }>`
    SELECT * FROM (${customerFactsQuery(shop.id, shop.timezone, now, {
      categories: ruleUsesFact(rules, 'categories_bought'),
    })}) f
    WHERE ${ruleToSql(rules)}
    ORDER BY f.total_spent DESC, f.external_id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.map((r) => ({
    customerId: r.external_id,
    email: r.email,
    totalSpent: r.total_spent,
    ordersCount: r.orders_count,
    daysSinceLastOrder: r.days_since_last_order,
    rfm: { recency: r.rfm_recency, frequency: r.rfm_frequency, monetary: r.rfm_monetary },
  }));
}
