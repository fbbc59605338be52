import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, Reaction, Tx } from './domain-events.ts';
import { pointsReaction } from '../points/post-points-for-events.ts';
import { tiersReaction } from '../tiers/upgrade-tiers-for-events.ts';
import { couponsReaction } from '../coupons/consume-coupons.ts';
import { achievementsReaction } from '../achievements/award-achievements.ts';
import { giftCardsReaction } from '../gift-cards/refund-cancelled-orders.ts';
import { stampsReaction } from '../stamps/stamp-paid-orders.ts';
import { referralsReaction } from '../referrals/track-referrals-for-events.ts';
import { affiliatesReaction } from '../affiliates/attribute-affiliate-orders.ts';
import { automationsReaction } from '../automations/collect-triggers.ts';

/**
 * The one place where domain events are turned into effects: a feature adds its reaction here
 * and never touches ingestion. Reactions run in the writer's transaction, in this order, so an
 * effect and the state change that caused it commit together or not at all.
 */
export const reactions: Reaction[] = [
  pointsReaction,
  tiersReaction,
  couponsReaction,
  achievementsReaction,
  giftCardsReaction,
  stampsReaction,
  referralsReaction,
  affiliatesReaction,
  // Last: flows see the state every other feature left (points, tier, coupon).
  automationsReaction,
];

export async function emit(tx: Tx, clock: Clock, events: DomainEvent[]): Promise<void> {
  for (const reaction of reactions) {
    const mine = events.filter((e) => reaction.on.includes(e.type));
    if (mine.length > 0) await reaction.react(tx, clock, mine);
  }
}
