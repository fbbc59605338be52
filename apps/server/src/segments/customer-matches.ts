import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { customerFactsQuery, ruleToSql, ruleUsesFact } from './customer-facts-query.ts';
import type { SegmentRule } from './segment-rules.ts';

/**
 * Whether one customer matches a rule set now. Segment facts include shop-wide quintiles (RFM),
 * so membership is read from the whole shop's view (a cost that grows with the shop).
 */
export async function customerMatches(
  db: Kysely<Database>,
  shop: { id: string; timezone: string },
  customerId: string,
  rules: SegmentRule,
  now: Date,
): Promise<boolean> {
  const { rows } = await sql<{ member: boolean }>`
    SELECT EXISTS (SELECT 1 FROM (${customerFactsQuery(shop.id, shop.timezone, now, {
      categories: ruleUsesFact(rules, 'categories_bought'),
    })}) f
                   WHERE f.id = ${customerId} AND ${ruleToSql(rules)}) AS member`.execute(db);
  return rows[0]?.member ?? false;
}
