import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { customerMatches } from '../segments/customer-matches.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { FlowStep } from './flow-definition.ts';

/** How far back a refund counts as an open return for `noComplaint`. */
const RECENT_RETURN_DAYS = 60;

/**
 * Whether a customer passes a flow's condition step now: every part given must hold —
 * customer facts, a segment, and no open complaint (a refund in the last 60 days, or an open
 * follow-up task from a survey answer).
 */
export async function evaluateCondition(
  tx: Tx,
  shop: ShopRow,
  customerId: string,
  step: Extract<FlowStep, { type: 'condition' }>,
  now: Date,
): Promise<boolean> {
  if (step.rule && !(await customerMatches(tx, shop, customerId, step.rule, now))) return false;
  if (step.segmentId) {
    const rules = await findSegmentRules(tx as unknown as Db, shop, step.segmentId).catch(
      () => null,
    );
    if (!rules || !(await customerMatches(tx, shop, customerId, rules, now))) return false;
  }
  if (step.noComplaint) {
    const { rows } = await sql<{ complaint: boolean }>`
      SELECT EXISTS (
        SELECT 1 FROM refunds r JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id
        WHERE o.shop_id = ${shop.id} AND o.customer_id = ${customerId}
          AND r.refunded_at > ${now}::timestamptz - make_interval(days => ${RECENT_RETURN_DAYS})
      ) OR EXISTS (
        SELECT 1 FROM customer_tasks t
        WHERE t.shop_id = ${shop.id} AND t.customer_id = ${customerId} AND t.status = 'open'
          AND t.source LIKE 'survey%'
      ) AS complaint`.execute(tx);
    if (rows[0]?.complaint) return false;
  }
  return true;
}
