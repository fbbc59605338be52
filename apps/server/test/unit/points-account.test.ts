import { describe, expect, it } from 'vitest';
import {
  availablePoints,
  credit,
  debit,
  emptyAccount,
  expireLots,
  pendingPoints,
  reverseCredit,
  reverseDebit,
  type Account,
} from '../../src/points/account.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));

function earn(
  account: Account,
  points: number,
  key: string,
  availableDay = 0,
  expiresDay: number | null = 365,
) {
  return credit(account, {
    points,
    kind: 'earn',
    cause: 'order',
    key,
    at: day(0),
    availableAt: day(availableDay),
    expiresAt: expiresDay === null ? null : day(expiresDay),
  })!;
}

const sumEntries = (a: Account) => a.entries.reduce((s, e) => s + e.points, 0);
const sumLots = (a: Account) => a.lots.reduce((s, l) => s + l.remaining, 0);

describe('a points account, in memory', () => {
  it('keeps pending points out of what can be spent until they become available', () => {
    const a = emptyAccount('shp', 'cus');
    earn(a, 100, 'k1', 14);
    expect(pendingPoints(a, day(13))).toBe(100);
    expect(availablePoints(a, day(13))).toBe(0);
    expect(
      debit(a, { points: 1, kind: 'redeem', cause: 'redemption', key: 'r', at: day(13) }),
    ).toBe('insufficient');
    expect(availablePoints(a, day(14))).toBe(100);
  });

  it('spends the oldest lot first and records which lots paid', () => {
    const a = emptyAccount('shp', 'cus');
    const first = earn(a, 30, 'k1');
    const second = earn(a, 50, 'k2');
    const spent = debit(a, {
      points: 40,
      kind: 'redeem',
      cause: 'redemption',
      key: 'r',
      at: day(1),
    });
    expect(spent).not.toBe('insufficient');
    expect(a.allocations).toEqual([
      { entryId: (spent as { id: string }).id, lotId: first.id, points: 30 },
      { entryId: (spent as { id: string }).id, lotId: second.id, points: 10 },
    ]);
    expect(a.lots.map((l) => l.remaining)).toEqual([0, 40]);
  });

  it('ignores a cause posted before (same idempotency key)', () => {
    const a = emptyAccount('shp', 'cus');
    earn(a, 30, 'k1');
    expect(
      credit(a, {
        points: 30,
        kind: 'earn',
        cause: 'order',
        key: 'k1',
        at: day(0),
        availableAt: day(0),
        expiresAt: null,
      }),
    ).toBeNull();
    expect(a.balance).toBe(30);
  });

  it('turns an uncovered reversal into debt, which the next credit repays first', () => {
    const a = emptyAccount('shp', 'cus');
    const e = earn(a, 100, 'k1');
    debit(a, { points: 80, kind: 'redeem', cause: 'redemption', key: 'r', at: day(1) });
    reverseCredit(a, {
      original: { id: e.id, customerId: 'cus', orderId: 'ord' },
      points: 100,
      key: 'rev',
      at: day(2),
      reason: 'refund',
      shortfall: 'negative',
    });
    expect(a.debt).toBe(80);
    expect(availablePoints(a, day(2))).toBe(-80);
    earn(a, 50, 'k2');
    expect(a.debt).toBe(30);
    expect(a.balance).toBe(sumEntries(a));
    expect(a.balance).toBe(sumLots(a) - a.debt);
  });

  it('records what the shop absorbs instead of creating debt', () => {
    const a = emptyAccount('shp', 'cus');
    const e = earn(a, 100, 'k1');
    debit(a, { points: 80, kind: 'redeem', cause: 'redemption', key: 'r', at: day(1) });
    const rev = reverseCredit(a, {
      original: { id: e.id, customerId: 'cus', orderId: 'ord' },
      points: 100,
      key: 'rev',
      at: day(2),
      reason: 'refund',
      shortfall: 'absorb',
    })!;
    expect(rev).toMatchObject({ points: -20, absorbed: 80 });
    expect(a.debt).toBe(0);
    expect(a.balance).toBe(0);
  });

  it('gives a reversed debit back to the lots it came from, and they can expire again', () => {
    const a = emptyAccount('shp', 'cus');
    const lot = earn(a, 100, 'k1', 0, 10);
    debit(a, { points: 100, kind: 'redeem', cause: 'redemption', key: 'r', at: day(1) });
    const taken = a.allocations.map((x) => ({ lotId: x.lotId, points: x.points }));
    expect(expireLots(a, day(11))).toHaveLength(0); // nothing left to expire
    reverseDebit(a, {
      original: { id: 'e', orderId: null, redemptionId: 'rdm' },
      allocations: taken,
      key: 'back',
      at: day(12),
      reason: 'coupon_expired',
    });
    expect(a.lots.find((l) => l.entryId === lot.id)?.remaining).toBe(100);
    expect(expireLots(a, day(12)).map((x) => x.points)).toEqual([-100]);
    expect(a.balance).toBe(0);
    expect(a.balance).toBe(sumEntries(a));
  });
});
