import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerFactsQuery, ruleToSql, ruleUsesFact } from './customer-facts-query.ts';
import type { CustomerFact, SegmentRule } from './segment-rules.ts';

/** How many of the shop's customers each rule set selects, now: one pass over the facts. */
export async function countSegments(
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
