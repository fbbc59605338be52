import type { TierEventType } from '../db/schema.ts';
import { addDays, addMonths, localParts, zonedTime } from '../shared/zoned-time.ts';
import { rankOf, tierById, type Tier, type TierPeriod, type TierProgramme } from './tier-schema.ts';

/**
 * Pure tier decisions: facts (the programme, the customer's standing, the metric value, now)
 * in, the next standing and the events it causes out. review-tiers.ts and the tier reaction
 * gather the facts and apply the results; nothing here touches the database.
 *
 * The rules:
 * - upgrade at once when the metric over the period reaches a higher tier's entry threshold;
 * - a tier is reviewed 12 months after it was reached or last kept (calendar_year: on
 *   1 January, judging the whole calendar year after the one it was reached in);
 * - at the review, at least the retain threshold keeps it; below it, the tier is kept for
 *   graceDays more, then drops to the highest lower tier whose retain threshold is met;
 * - tier.at_risk is recorded once per review, atRiskDaysBefore it, if the metric is below
 *   the retain threshold then (or when grace begins, if it was not recorded before);
 * - a manual tier overrides the computed one until manual_until; events follow the tier the
 *   customer actually has, so changes hidden behind a manual tier record nothing.
 */

export interface TierState {
  tierId: string | null;
  reachedAt: Date | null;
  reviewAt: Date | null;
  graceUntil: Date | null;
  atRiskNotifiedAt: Date | null;
  manualTierId: string | null;
  manualUntil: Date | null;
}

export type TierReason =
  | 'qualified'
  | 'review'
  | 'grace_ended'
  | 'manual'
  | 'manual_ended'
  | 'below_retain'
  | 'grace_started';

export interface TierChange {
  type: TierEventType;
  from: string | null;
  to: string | null;
  reason: TierReason;
  /** Set on at-risk warnings: one per customer and review date. */
  dedupeSuffix?: string;
}

export interface TierDecision {
  state: TierState;
  events: TierChange[];
}

export const NO_TIER: TierState = {
  tierId: null,
  reachedAt: null,
  reviewAt: null,
  graceUntil: null,
  atRiskNotifiedAt: null,
  manualTierId: null,
  manualUntil: null,
};

/** The tier the customer has now: the manual one while it lasts, else the computed one. */
export function effectiveTierId(state: TierState, now: Date): string | null {
  return manualActive(state, now) ? state.manualTierId : state.tierId;
}

export function manualActive(state: TierState, now: Date): boolean {
  return state.manualTierId !== null && (state.manualUntil === null || state.manualUntil > now);
}

/** The highest tier whose entry (or retain) threshold the value meets, below `belowRank`. */
export function highestTierMet(
  programme: TierProgramme,
  value: number,
  threshold: 'entryThreshold' | 'retainThreshold',
  belowRank = Infinity,
): Tier | null {
  let best: Tier | null = null;
  programme.tiers.forEach((tier, i) => {
    if (i + 1 < belowRank && value >= tier[threshold]) best = tier;
  });
  return best;
}

/**
 * Where the metric window starts. Live (no review date): the last 12 months, this calendar
 * year, or ever. For a review of a calendar_year tier: the year that ends at the review.
 */
export function metricSince(
  period: TierPeriod,
  timezone: string,
  now: Date,
  reviewAt: Date | null = null,
): Date {
  switch (period) {
    case 'rolling_12_months':
      return addMonths(now, -12);
    case 'lifetime':
      return new Date(0);
    case 'calendar_year':
      return yearStart(reviewAt ? new Date(reviewAt.getTime() - 1) : now, timezone);
  }
}

/** The last local year found per time zone: every customer read asks, Intl is slow. */
const lastYears = new Map<string, { from: number; to: number }>();

/** The start of the local calendar year that holds `at`. */
function yearStart(at: Date, timezone: string): Date {
  const known = lastYears.get(timezone);
  const t = at.getTime();
  if (known && known.from <= t && t < known.to) return new Date(known.from);
  const year = localParts(at, timezone).year;
  const from = zonedTime(timezone, year, 1, 1).getTime();
  const to = zonedTime(timezone, year + 1, 1, 1).getTime();
  // kept only when the interval is exactly that local year (a zone's odd new year is asked anew)
  if (from <= t && t < to && localParts(new Date(to - 1), timezone).year === year) {
    lastYears.set(timezone, { from, to });
  }
  return new Date(from);
}

/** The first review of a tier reached at `at`. */
export function reviewAfterReaching(programme: TierProgramme, timezone: string, at: Date): Date {
  if (programme.period === 'calendar_year') {
    return zonedTime(timezone, localParts(at, timezone).year + 2, 1, 1);
  }
  return addMonths(at, 12);
}

/** The next review after a tier was kept at `reviewAt`, past `now` if reviews were missed. */
export function reviewAfterRetaining(
  programme: TierProgramme,
  timezone: string,
  reviewAt: Date,
  now: Date,
): Date {
  let next = reviewAt;
  do {
    next =
      programme.period === 'calendar_year'
        ? zonedTime(timezone, localParts(next, timezone).year + 1, 1, 1)
        : addMonths(next, 12);
  } while (next <= now);
  return next;
}

/**
 * A qualifying event (a paid order, earned points): upgrade at once if the live metric
 * reaches a higher tier. Never downgrades. Returns null when nothing changes.
 */
export function decideOnActivity(
  programme: TierProgramme,
  timezone: string,
  state: TierState | null,
  liveValue: number,
  now: Date,
): TierDecision | null {
  const previous = state ?? NO_TIER;
  let next = endExpiredManual(previous, now);
  let reason: TierReason = next === previous ? 'qualified' : 'manual_ended';
  const target = highestTierMet(programme, liveValue, 'entryThreshold');
  if (target && rankOf(programme, target.id) > Math.max(0, rankOf(programme, next.tierId))) {
    next = reached(programme, timezone, next, target, now);
    reason = 'qualified';
  }
  return finish(programme, previous, next, [], reason);
}

/**
 * What time does: a manual tier ending, the at-risk warning, the review, the end of grace.
 * `value` is the metric over the review's window (metricSince with the review date).
 */
export function decideOnSchedule(
  programme: TierProgramme,
  timezone: string,
  state: TierState,
  value: number,
  now: Date,
): TierDecision | null {
  let next = endExpiredManual(state, now);
  let reason: TierReason = next === state ? 'review' : 'manual_ended';
  const warnings: TierChange[] = [];
  const { reviewAt, tierId } = next;
  if (tierId !== null && reviewAt !== null) {
    const current = tierById(programme, tierId);
    const rank = rankOf(programme, tierId);
    // A tier the programme no longer has cannot be retained.
    const retain = current?.retainThreshold ?? Infinity;
    const warn = (why: TierReason) => {
      next = { ...next, atRiskNotifiedAt: now };
      if (!manualActive(next, now)) {
        warnings.push({
          type: 'tier.at_risk',
          from: tierId,
          to: tierId,
          reason: why,
          dedupeSuffix: reviewAt.toISOString(),
        });
      }
    };
    if (now >= reviewAt) {
      if (value >= retain) {
        next = {
          ...next,
          reviewAt: reviewAfterRetaining(programme, timezone, reviewAt, now),
          graceUntil: null,
          atRiskNotifiedAt: null,
        };
        const higher = highestTierMet(programme, value, 'entryThreshold');
        if (higher && rankOf(programme, higher.id) > rank) {
          next = reached(programme, timezone, next, higher, now);
          reason = 'qualified';
        }
      } else {
        const graceEnd = next.graceUntil ?? addDays(reviewAt, programme.graceDays);
        if (graceEnd > now) {
          if (next.graceUntil === null && next.atRiskNotifiedAt === null) warn('grace_started');
          next = { ...next, graceUntil: graceEnd };
        } else {
          const lower = highestTierMet(programme, value, 'retainThreshold', rank < 0 ? 1 : rank);
          next = lower
            ? reached(programme, timezone, next, lower, now)
            : { ...next, tierId: null, reachedAt: null, reviewAt: null, graceUntil: null };
          next = { ...next, atRiskNotifiedAt: null };
          reason = programme.graceDays > 0 ? 'grace_ended' : 'review';
        }
      }
    } else if (
      programme.atRiskDaysBefore > 0 &&
      next.atRiskNotifiedAt === null &&
      now >= addDays(reviewAt, -programme.atRiskDaysBefore) &&
      value < retain
    ) {
      warn('below_retain');
    }
  }
  return finish(programme, state, next, warnings, reason);
}

/** A manual assignment (or its removal with tierId null), effective at once. */
export function decideManual(
  programme: TierProgramme,
  state: TierState | null,
  manual: { tierId: string | null; until: Date | null },
): TierDecision {
  const previous = state ?? NO_TIER;
  const next = { ...previous, manualTierId: manual.tierId, manualUntil: manual.until };
  const reason = manual.tierId === null ? 'manual_ended' : 'manual';
  return finish(programme, previous, next, [], reason) ?? { state: next, events: [] };
}

function reached(
  programme: TierProgramme,
  timezone: string,
  state: TierState,
  tier: Tier,
  now: Date,
): TierState {
  return {
    ...state,
    tierId: tier.id,
    reachedAt: now,
    reviewAt: reviewAfterReaching(programme, timezone, now),
    graceUntil: null,
    atRiskNotifiedAt: null,
  };
}

function endExpiredManual(state: TierState, now: Date): TierState {
  if (state.manualTierId === null || manualActive(state, now)) return state;
  return { ...state, manualTierId: null, manualUntil: null };
}

/** The tier as stored: a manual tier counts until it is cleared. */
function storedTierId(state: TierState): string | null {
  return state.manualTierId ?? state.tierId;
}

function finish(
  programme: TierProgramme,
  previous: TierState,
  next: TierState,
  warnings: TierChange[],
  reason: TierReason,
): TierDecision | null {
  if (sameState(previous, next)) return null;
  const from = storedTierId(previous);
  const to = storedTierId(next);
  const events = [...warnings];
  if (from !== to) {
    const up = rankOf(programme, to) > rankOf(programme, from);
    events.push({ type: up ? 'tier.upgraded' : 'tier.downgraded', from, to, reason });
  }
  return { state: next, events };
}

function sameState(a: TierState, b: TierState): boolean {
  return (Object.keys(a) as Array<keyof TierState>).every((key) => {
    const x = a[key];
    const y = b[key];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}
