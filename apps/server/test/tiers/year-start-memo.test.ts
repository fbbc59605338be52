import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricSince } from '../../src/tiers/evaluate-tier.ts';
import { localParts, zonedTime } from '../../src/shared/zoned-time.ts';

const ZONES = ['Europe/Warsaw', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu', 'UTC'];

/** The calendar year's start as metricSince computed it before it remembered the last year. */
function fresh(at: Date, zone: string): string {
  return zonedTime(zone, localParts(at, zone).year, 1, 1).toISOString();
}

describe('the calendar year a tier metric starts from', () => {
  it('is the same remembered as computed afresh, around new years, in any order', () => {
    const newYears = ZONES.flatMap((zone) =>
      [2025, 2026, 2027, 2028].map((y) => zonedTime(zone, y, 1, 1).getTime()),
    );
    // instants within a second, a minute and a day of some zone's new year, and anywhere
    const near = fc
      .tuple(
        fc.constantFrom(...newYears),
        fc.constantFrom(-86_400_000, -60_000, -1_000, -1, 0, 1, 1_000, 60_000, 86_400_000),
      )
      .map(([t, d]) => t + d);
    const instant = fc.oneof(near, fc.integer({ min: 1.7e12, max: 1.9e12 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(instant, fc.constantFrom(...ZONES)), { minLength: 1 }),
        (asks) => {
          for (const [t, zone] of asks) {
            const at = new Date(t);
            expect(metricSince('calendar_year', zone, at).toISOString()).toBe(fresh(at, zone));
            // a review date asks for the year that ends at it
            expect(metricSince('calendar_year', zone, at, new Date(t + 1)).toISOString()).toBe(
              fresh(at, zone),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
