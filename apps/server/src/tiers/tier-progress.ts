import { addDays } from '../shared/zoned-time.ts';
import { effectiveTierId, manualActive, type TierState } from './evaluate-tier.ts';
import { rankOf, tierById, type TierProgramme } from './tier-schema.ts';

/**
 * Pure: what the customer API shows of a tier standing. `liveValue` is the metric over the
 * current period (what upgrades look at); `reviewValue` over the window of the next review
 * (what keeping the tier looks at; the same window except for calendar_year tiers).
 */
export function tierProgress(
  programme: TierProgramme,
  state: TierState | null,
  liveValue: number,
  reviewValue: number,
  now: Date,
) {
  const tierId = state ? effectiveTierId(state, now) : null;
  const tier = tierById(programme, tierId);
  const rank = tier ? rankOf(programme, tier.id) : 0;
  const manual = state !== null && manualActive(state, now);
  const nextTier = programme.tiers[rank] ?? null;
  const computed = !manual && tier !== null && state?.reviewAt ? state : null;
  const retainNeeded = tier ? Math.max(0, tier.retainThreshold - reviewValue) : 0;
  return {
    current: tier && {
      id: tier.id,
      name: tier.name,
      rank,
      benefits: tier.benefits,
      manual,
      manualUntil: manual ? (state.manualUntil?.toISOString() ?? null) : null,
      reachedAt: computed?.reachedAt?.toISOString() ?? null,
      reviewAt: computed?.reviewAt?.toISOString() ?? null,
      graceUntil: computed?.graceUntil?.toISOString() ?? null,
    },
    metric: programme.metric,
    period: programme.period,
    value: liveValue,
    next: nextTier && {
      id: nextTier.id,
      name: nextTier.name,
      rank: rank + 1,
      threshold: nextTier.entryThreshold,
      needed: Math.max(0, nextTier.entryThreshold - liveValue),
      progress: Math.min(1, Math.round((liveValue / nextTier.entryThreshold) * 10_000) / 10_000),
    },
    retain: computed &&
      tier && {
        threshold: tier.retainThreshold,
        value: reviewValue,
        needed: retainNeeded,
        atRisk:
          retainNeeded > 0 &&
          (computed.graceUntil !== null ||
            now >= addDays(computed.reviewAt!, -programme.atRiskDaysBefore)),
      },
  };
}

export type TierProgressView = ReturnType<typeof tierProgress>;
