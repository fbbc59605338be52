import { describe, expect, it } from 'vitest';
import {
  decideManual,
  decideOnActivity,
  decideOnSchedule,
  metricSince,
  NO_TIER,
  reviewAfterReaching,
  reviewAfterRetaining,
  type TierState,
} from '../../src/tiers/evaluate-tier.ts';
import { tierProgrammeSchema } from '../../src/tiers/tier-schema.ts';
import { tierProgress } from '../../src/tiers/tier-progress.ts';
import { silverAndGold } from './support.ts';

const TZ = 'Europe/Warsaw';
const programme = tierProgrammeSchema.parse(silverAndGold);
const at = (iso: string) => new Date(iso);
const silver = (reached: string, review: string): TierState => ({
  ...NO_TIER,
  tierId: 'silver',
  reachedAt: at(reached),
  reviewAt: at(review),
});

describe('deciding on a qualifying event', () => {
  it('upgrades at once to the highest tier the metric reaches, with a review 12 months on', () => {
    const decision = decideOnActivity(programme, TZ, null, 320_000, at('2026-03-10T12:00:00Z'));
    expect(decision?.state).toMatchObject({
      tierId: 'gold',
      reachedAt: at('2026-03-10T12:00:00Z'),
      reviewAt: at('2027-03-10T12:00:00Z'),
    });
    expect(decision?.events).toEqual([
      { type: 'tier.upgraded', from: null, to: 'gold', reason: 'qualified' },
    ]);
  });

  it('never downgrades, and changes nothing below the next entry threshold', () => {
    const state = silver('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(decideOnActivity(programme, TZ, state, 10, at('2026-06-01T00:00:00Z'))).toBeNull();
    expect(decideOnActivity(programme, TZ, state, 299_999, at('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it('records no event while a manual tier hides the computed upgrade', () => {
    const state = { ...NO_TIER, manualTierId: 'silver', manualUntil: at('2026-12-31T00:00:00Z') };
    const decision = decideOnActivity(programme, TZ, state, 300_000, at('2026-06-01T00:00:00Z'));
    expect(decision?.state).toMatchObject({ tierId: 'gold', manualTierId: 'silver' });
    expect(decision?.events).toEqual([]);
  });
});

describe('deciding on schedule', () => {
  const state = silver('2026-01-15T00:00:00Z', '2027-01-15T00:00:00Z');

  it('warns once, atRiskDaysBefore the review, when the metric is below retain', () => {
    expect(decideOnSchedule(programme, TZ, state, 0, at('2026-12-15T00:00:00Z'))).toBeNull();
    const warned = decideOnSchedule(programme, TZ, state, 79_999, at('2026-12-16T00:00:00Z'));
    expect(warned?.events).toEqual([
      {
        type: 'tier.at_risk',
        from: 'silver',
        to: 'silver',
        reason: 'below_retain',
        dedupeSuffix: '2027-01-15T00:00:00.000Z',
      },
    ]);
    expect(
      decideOnSchedule(programme, TZ, warned!.state, 0, at('2026-12-20T00:00:00Z')),
    ).toBeNull();
  });

  it('keeps the tier at the review with the retain threshold, and reviews again a year on', () => {
    const kept = decideOnSchedule(programme, TZ, state, 80_000, at('2027-01-15T00:05:00Z'));
    expect(kept?.state).toMatchObject({ tierId: 'silver', reviewAt: at('2028-01-15T00:00:00Z') });
    expect(kept?.events).toEqual([]);
  });

  it('holds the tier through grace, then drops to what the metric retains', () => {
    const goldState: TierState = { ...state, tierId: 'gold' };
    const grace = decideOnSchedule(programme, TZ, goldState, 90_000, at('2027-01-15T00:05:00Z'));
    expect(grace?.state).toMatchObject({
      tierId: 'gold',
      graceUntil: at('2027-02-14T00:00:00Z'),
    });
    // Not warned before the review: entering grace warns.
    expect(grace?.events.map((e) => e.type)).toEqual(['tier.at_risk']);
    const down = decideOnSchedule(programme, TZ, grace!.state, 90_000, at('2027-02-14T00:00:00Z'));
    expect(down?.state).toMatchObject({
      tierId: 'silver',
      graceUntil: null,
      reviewAt: at('2028-02-14T00:00:00Z'),
    });
    expect(down?.events).toEqual([
      { type: 'tier.downgraded', from: 'gold', to: 'silver', reason: 'grace_ended' },
    ]);
  });

  it('drops to no tier at once when there is no grace', () => {
    const noGrace = { ...programme, graceDays: 0 };
    const down = decideOnSchedule(noGrace, TZ, state, 0, at('2027-01-15T00:00:00Z'));
    expect(down?.state).toMatchObject({ tierId: null, reviewAt: null });
    expect(down?.events).toEqual([
      { type: 'tier.downgraded', from: 'silver', to: null, reason: 'review' },
    ]);
  });

  it('ends a manual tier at its end date and falls back to the computed one', () => {
    const manual = decideManual(programme, state, {
      tierId: 'gold',
      until: at('2026-06-01T00:00:00Z'),
    });
    expect(manual.events).toEqual([
      { type: 'tier.upgraded', from: 'silver', to: 'gold', reason: 'manual' },
    ]);
    expect(decideOnSchedule(programme, TZ, manual.state, 0, at('2026-05-31T23:59:59Z'))).toBeNull();
    const ended = decideOnSchedule(programme, TZ, manual.state, 0, at('2026-06-01T00:00:00Z'));
    expect(ended?.state).toMatchObject({ tierId: 'silver', manualTierId: null });
    expect(ended?.events).toEqual([
      { type: 'tier.downgraded', from: 'gold', to: 'silver', reason: 'manual_ended' },
    ]);
  });
});

describe('calendar-year tiers', () => {
  const calendar = { ...programme, period: 'calendar_year' as const };

  it('are held through the next calendar year and judged on it on 1 January', () => {
    const reached = at('2026-06-10T10:00:00Z');
    const review = reviewAfterReaching(calendar, TZ, reached);
    expect(review.toISOString()).toBe('2027-12-31T23:00:00.000Z'); // 1 Jan 2028 in Warsaw
    expect(metricSince('calendar_year', TZ, at('2028-01-01T08:00:00Z'), review).toISOString()).toBe(
      '2026-12-31T23:00:00.000Z',
    );
    expect(reviewAfterRetaining(calendar, TZ, review, review).toISOString()).toBe(
      '2028-12-31T23:00:00.000Z',
    );
  });
});

describe('progress to the next tier', () => {
  it('says exactly how much is still needed and how far along the customer is', () => {
    const state = silver('2026-01-15T00:00:00Z', '2027-01-15T00:00:00Z');
    const view = tierProgress(programme, state, 120_000, 70_000, at('2026-12-20T00:00:00Z'));
    expect(view.current).toMatchObject({ id: 'silver', rank: 1, manual: false });
    expect(view.next).toMatchObject({
      id: 'gold',
      threshold: 300_000,
      needed: 180_000,
      progress: 0.4,
    });
    expect(view.retain).toEqual({ threshold: 80_000, value: 70_000, needed: 10_000, atRisk: true });
  });

  it('shows the way to the first tier before the customer has one', () => {
    const view = tierProgress(programme, null, 25_000, 25_000, at('2026-01-01T00:00:00Z'));
    expect(view.current).toBeNull();
    expect(view.next).toMatchObject({ id: 'silver', needed: 75_000, progress: 0.25 });
    expect(view.retain).toBeNull();
  });
});
