import { recordTrigger } from '../events/record-trigger.ts';
import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import type { TierDecision, TierState } from './evaluate-tier.ts';

/**
 * The one writer of customer_tiers and tier_events. Callers lock the standings they decide
 * on (loadTierStates in their transaction), decide with evaluate-tier.ts, and hand the
 * decisions here: one upsert and one insert, whatever the number of customers.
 */
export async function loadTierStates(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<Map<string, TierState>> {
  const out = new Map<string, TierState>();
  if (customerIds.length === 0) return out;
  const ids = [...new Set(customerIds)].sort();
  // A row for everyone first, so the lock below covers customers seen for the first time too:
  // a manual assignment racing a first upgrade waits instead of being overwritten.
  await sql`
    INSERT INTO customer_tiers (shop_id, customer_id)
    SELECT ${shopId}, id FROM unnest(${ids}::text[]) AS id
    ON CONFLICT DO NOTHING`.execute(tx);
  const rows = await tx
    .selectFrom('customer_tiers')
    .select([
      'customer_id',
      'tier_id',
      'reached_at',
      'review_at',
      'grace_until',
      'at_risk_notified_at',
      'manual_tier_id',
      'manual_until',
    ])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', sql<string>`any(${ids}::text[])`)
    .orderBy('customer_id')
    .forUpdate()
    .execute();
  for (const row of rows) {
    out.set(row.customer_id, {
      tierId: row.tier_id,
      reachedAt: row.reached_at,
      reviewAt: row.review_at,
      graceUntil: row.grace_until,
      atRiskNotifiedAt: row.at_risk_notified_at,
      manualTierId: row.manual_tier_id,
      manualUntil: row.manual_until,
    });
  }
  return out;
}

export interface AppliedDecision {
  customerId: string;
  decision: TierDecision;
  /** The metric value the decision was made on, recorded with its events. */
  value: number | null;
  manual?: { reason: string; actor: string };
}

export async function applyTierDecisions(
  tx: Tx,
  shopId: string,
  decisions: AppliedDecision[],
  now: Date,
  /** When the change happened for flows, if not now (an upgrade by an imported order). */
  happenedAt: (customerId: string) => Date = () => now,
): Promise<void> {
  if (decisions.length === 0) return;
  await tx
    .insertInto('customer_tiers')
    .values(
      decisions.map(({ customerId, decision: { state }, manual }) => ({
        shop_id: shopId,
        customer_id: customerId,
        tier_id: state.tierId,
        reached_at: state.reachedAt,
        review_at: state.reviewAt,
        grace_until: state.graceUntil,
        at_risk_notified_at: state.atRiskNotifiedAt,
        manual_tier_id: state.manualTierId,
        manual_until: state.manualUntil,
        manual_reason: state.manualTierId === null ? null : (manual?.reason ?? null),
        manual_actor: state.manualTierId === null ? null : (manual?.actor ?? null),
        manual_at: state.manualTierId === null ? null : manual ? now : null,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['shop_id', 'customer_id']).doUpdateSet((eb) => ({
        tier_id: eb.ref('excluded.tier_id'),
        reached_at: eb.ref('excluded.reached_at'),
        review_at: eb.ref('excluded.review_at'),
        grace_until: eb.ref('excluded.grace_until'),
        at_risk_notified_at: eb.ref('excluded.at_risk_notified_at'),
        manual_tier_id: eb.ref('excluded.manual_tier_id'),
        manual_until: eb.ref('excluded.manual_until'),
        // A decision that is not a manual assignment keeps who assigned the manual tier.
        manual_reason: sql`CASE WHEN excluded.manual_tier_id IS NULL THEN NULL
          WHEN excluded.manual_at IS NULL THEN customer_tiers.manual_reason ELSE excluded.manual_reason END`,
        manual_actor: sql`CASE WHEN excluded.manual_tier_id IS NULL THEN NULL
          WHEN excluded.manual_at IS NULL THEN customer_tiers.manual_actor ELSE excluded.manual_actor END`,
        manual_at: sql`CASE WHEN excluded.manual_tier_id IS NULL THEN NULL
          ELSE COALESCE(excluded.manual_at, customer_tiers.manual_at) END`,
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();

  const events = decisions.flatMap(({ customerId, decision, value, manual }) =>
    decision.events.map((event) => ({
      shop_id: shopId,
      id: newId('tir'),
      customer_id: customerId,
      type: event.type,
      from_tier: event.from,
      to_tier: event.to,
      reason: event.reason,
      note: manual?.reason ?? null,
      metric_value: value,
      actor: manual?.actor ?? null,
      dedupe_key: event.dedupeSuffix ? `at_risk:${customerId}:${event.dedupeSuffix}` : null,
      occurred_at: now,
    })),
  );
  if (events.length > 0) {
    const written = await tx
      .insertInto('tier_events')
      .values(events)
      .onConflict((oc) =>
        oc.columns(['shop_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
      )
      .returning(['customer_id', 'type', 'from_tier', 'to_tier'])
      .execute();
    // Flows react to tier changes (the upgrade congratulation, the at-risk reminder).
    await recordTrigger(
      tx,
      written.map((e) => ({
        shopId,
        customerId: e.customer_id,
        type: e.type === 'tier.at_risk' ? 'tier.at_risk' : 'tier.changed',
        data: {
          direction: e.type === 'tier.upgraded' ? 'up' : 'down',
          fromTier: e.from_tier,
          toTier: e.to_tier,
        },
        at: happenedAt(e.customer_id),
      })),
    );
  }
}
