import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import {
  applyTierDecisions,
  loadTierStates,
  type AppliedDecision,
} from './apply-tier-decisions.ts';
import { decideOnActivity, metricSince } from './evaluate-tier.ts';
import { findTierProgramme } from './find-tier-programme.ts';
import { loadTierMetrics } from './load-tier-metrics.ts';

/**
 * Upgrades at once, in the ingestion transaction: after a batch's orders (and their points)
 * are saved, the customers they concern are measured in one query and moved up if they reached
 * a higher tier. It runs after the points reaction, so points earned in the batch count.
 * Downgrades never happen here: only at a review (review-tiers.ts).
 */
export async function upgradeTiersForEvents(
  tx: Tx,
  events: DomainEvent[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const shopId = events[0]!.shopId;
  const programme = await findTierProgramme(tx, shopId);
  if (!programme) return;
  const customerIds = new Set<string>();
  // When what moved each customer happened: flows hear of an upgrade as of then, so importing
  // an old order does not congratulate anyone today.
  const movedAt = new Map<string, Date>();
  for (const event of events) {
    if (
      'customerId' in event &&
      event.customerId &&
      event.at > (movedAt.get(event.customerId) ?? new Date(0))
    )
      movedAt.set(event.customerId, event.at);
    if (event.type === 'order.paid' && event.customerId) customerIds.add(event.customerId);
    // Signup and activity points only move the points_earned metric.
    if (
      programme.metric === 'points_earned' &&
      (event.type === 'customer.created' || event.type === 'activity.recorded')
    ) {
      customerIds.add(event.customerId);
    }
  }
  if (customerIds.size === 0) return;
  const shop = await tx
    .selectFrom('shops')
    .select('timezone')
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const ids = [...customerIds].sort();
  const states = await loadTierStates(tx, shopId, ids);
  const since = metricSince(programme.period, shop.timezone, now);
  const values = await loadTierMetrics(
    tx,
    shopId,
    programme.metric,
    ids.map((customerId) => ({ customerId, since })),
    now,
  );
  const decisions: AppliedDecision[] = [];
  for (const customerId of ids) {
    const value = values.get(customerId) ?? 0;
    const decision = decideOnActivity(
      programme,
      shop.timezone,
      states.get(customerId) ?? null,
      value,
      now,
    );
    if (decision) decisions.push({ customerId, decision, value });
  }
  await applyTierDecisions(tx, shopId, decisions, now, (id) => movedAt.get(id) ?? now);
}

export const tiersReaction: Reaction = {
  name: 'tiers',
  on: ['order.paid', 'customer.created', 'activity.recorded'],
  react: (tx, clock, events) => upgradeTiersForEvents(tx, events, clock.now()),
};
