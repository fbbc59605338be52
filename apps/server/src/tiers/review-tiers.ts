import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { addDays } from '../shared/zoned-time.ts';
import {
  applyTierDecisions,
  loadTierStates,
  type AppliedDecision,
} from './apply-tier-decisions.ts';
import { decideOnSchedule, metricSince } from './evaluate-tier.ts';
import { findTierProgramme } from './find-tier-programme.ts';
import { loadTierMetrics } from './load-tier-metrics.ts';

const CHUNK = 500;

/**
 * What time does to one shop's tiers: manual tiers that ended, at-risk warnings, reviews and
 * the end of grace. Safe to run any number of times: decisions depend only on the stored
 * standing and the metric, and an at-risk warning is once per review date. A customer in the
 * warning window who is not at risk is looked at again at most daily (risk_checked_at).
 * Returns the number of customers whose standing changed.
 */
export async function reviewTiers(db: Db, clock: Clock, shopId: string): Promise<number> {
  const now = clock.now();
  const programme = await findTierProgramme(db, shopId);
  if (!programme) return 0;
  const shop = await db
    .selectFrom('shops')
    .select('timezone')
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const warnFrom = addDays(now, programme.atRiskDaysBefore);
  const dayAgo = addDays(now, -1);
  let changed = 0;
  let after = '';
  for (;;) {
    const due = await sql<{ customer_id: string }>`
      SELECT customer_id FROM customer_tiers
      WHERE shop_id = ${shopId} AND customer_id > ${after} AND (
        (manual_until IS NOT NULL AND manual_until <= ${now})
        OR (tier_id IS NOT NULL AND (
          (review_at <= ${now} AND (grace_until IS NULL OR grace_until <= ${now}))
          OR (review_at <= ${warnFrom} AND review_at > ${now} AND at_risk_notified_at IS NULL
              AND (risk_checked_at IS NULL OR risk_checked_at <= ${dayAgo})))))
      ORDER BY customer_id LIMIT ${CHUNK}`.execute(db);
    if (due.rows.length === 0) break;
    const ids = due.rows.map((r) => r.customer_id);
    after = ids[ids.length - 1]!;
    changed += await db.transaction().execute(async (tx) => {
      const states = await loadTierStates(tx, shopId, ids);
      const windows = [...states].map(([customerId, state]) => ({
        customerId,
        since: metricSince(programme.period, shop.timezone, now, state.reviewAt),
      }));
      const values = await loadTierMetrics(tx, shopId, programme.metric, windows, now);
      const decisions: AppliedDecision[] = [];
      for (const [customerId, state] of states) {
        const value = values.get(customerId) ?? 0;
        const decision = decideOnSchedule(programme, shop.timezone, state, value, now);
        if (decision) decisions.push({ customerId, decision, value });
      }
      await applyTierDecisions(tx, shopId, decisions, now);
      await tx
        .updateTable('customer_tiers')
        .set({ risk_checked_at: now })
        .where('shop_id', '=', shopId)
        .where('customer_id', '=', sql<string>`any(${ids}::text[])`)
        .execute();
      return decisions.length;
    });
  }
  return changed;
}

/** Reviews every shop with a tier programme; a failing shop does not stop the rest. */
export async function reviewAllTiers(
  db: Db,
  clock: Clock,
  onError: (shopId: string, error: unknown) => void,
): Promise<number> {
  const shops = await db.selectFrom('tier_programmes').select('shop_id').execute();
  let total = 0;
  for (const { shop_id } of shops) {
    try {
      total += await reviewTiers(db, clock, shop_id);
    } catch (error) {
      onError(shop_id, error);
    }
  }
  return total;
}
