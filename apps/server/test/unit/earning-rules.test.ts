import { describe, expect, it } from 'vitest';
import { ruleKinds, type OrderFact } from '../../src/points/earning-rules.ts';
import { pointsForFact } from '../../src/points/evaluate-rules.ts';
import { programmeSchema } from '../../src/points/programme.ts';
import { addMonths, periodStart, zonedTime } from '../../src/shared/zoned-time.ts';

const order = (o: Partial<OrderFact>): OrderFact => ({
  kind: 'order',
  orderId: 'ord_1',
  currency: 'PLN',
  total: 0,
  subtotal: null,
  shipping: null,
  tax: null,
  lines: [],
  isFirstOrder: false,
  ...o,
});

const spend = (args: object, o: Partial<OrderFact>) =>
  ruleKinds.spend.points(ruleKinds.spend.args.parse(args), order(o));

describe('the spend rule', () => {
  it('counts the order after discounts, without shipping and tax, rounded down by default', () => {
    expect(spend({ pointsPerUnit: 1 }, { total: 12399, shipping: 1500, tax: 0 })).toBe(108);
    expect(spend({ pointsPerUnit: 1, rounding: 'round' }, { total: 10950, subtotal: 10950 })).toBe(
      110,
    );
    expect(spend({ pointsPerUnit: 1.5 }, { total: 1999, subtotal: 1999 })).toBe(29);
  });

  it('gives nothing below the minimum order', () => {
    expect(spend({ pointsPerUnit: 1, minOrder: 5000 }, { total: 4999, subtotal: 4999 })).toBe(0);
    expect(spend({ pointsPerUnit: 1, minOrder: 5000 }, { total: 5000, subtotal: 5000 })).toBe(50);
  });

  it('counts currency units by the currency (no minor units in JPY)', () => {
    expect(spend({ pointsPerUnit: 1 }, { currency: 'JPY', total: 1200, subtotal: 1200 })).toBe(
      1200,
    );
  });

  it('spreads the discount over the lines before applying multipliers', () => {
    // lines 200 zł before discount, 100 zł paid: each line counts half its price
    expect(
      spend(
        { pointsPerUnit: 1, productMultipliers: [{ productId: 'a', multiplier: 4 }] },
        {
          total: 10000,
          subtotal: 10000,
          lines: [
            { productId: 'a', categoryIds: [], quantity: 1, unitPrice: 10000 },
            { productId: 'b', categoryIds: [], quantity: 2, unitPrice: 5000 },
          ],
        },
      ),
    ).toBe(250);
  });
});

describe('caps and campaigns, applied the same way to every rule', () => {
  const programme = programmeSchema.parse({
    rules: [{ id: 'r', code: 'review', args: { points: 10 }, cap: { points: 25, period: 'week' } }],
    campaigns: [
      {
        id: 'x',
        name: 'x2',
        multiplier: 2,
        startsAt: '2026-03-02T00:00:00+01:00',
        endsAt: '2026-03-03T00:00:00+01:00',
      },
    ],
  });
  const fact = (id: string) => ({
    kind: 'activity' as const,
    activityId: id,
    externalId: null,
    type: 'review.created',
    data: {},
  });

  it('caps a week from Monday in the shop time zone, and doubles inside the campaign', () => {
    const history: Array<{ ruleId: string; points: number; at: Date }> = [];
    const run = (at: string, id: string) =>
      pointsForFact(
        {
          programme,
          version: 1,
          timezone: 'Europe/Warsaw',
          customerId: 'c',
          at: new Date(at),
          tierMultiplier: 1,
          history,
        },
        fact(id),
      )[0]?.points ?? 0;
    expect(run('2026-03-02T10:00:00Z', 'a')).toBe(20); // Monday, campaign ×2
    expect(run('2026-03-04T10:00:00Z', 'b')).toBe(5); // cap of 25 a week
    expect(run('2026-03-05T10:00:00Z', 'c')).toBe(0);
    expect(run('2026-03-08T23:30:00Z', 'd')).toBe(10); // Monday 00:30 in Warsaw: a new week
  });
});

describe('calendar arithmetic in a time zone', () => {
  it('finds local midnight across the DST change and clamps month ends', () => {
    expect(zonedTime('Europe/Warsaw', 2026, 3, 29).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedTime('Europe/Warsaw', 2026, 3, 30).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(
      periodStart(new Date('2026-03-31T22:30:00Z'), 'month', 'Europe/Warsaw').toISOString(),
    ).toBe('2026-03-31T22:00:00.000Z');
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe(
      '2026-02-28T10:00:00.000Z',
    );
  });
});
