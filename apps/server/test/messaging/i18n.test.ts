import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, plural, pluralForm } from '../../src/shared/i18n.ts';

const punkty = { one: 'punkt', few: 'punkty', many: 'punktów', other: 'punktu' };
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('plural', () => {
  it.each([
    [1, '1 punkt'],
    [2, '2 punkty'],
    [4, '4 punkty'],
    [5, '5 punktów'],
    [12, '12 punktów'],
    [14, '14 punktów'],
    [22, '22 punkty'],
    [25, '25 punktów'],
    [0, '0 punktów'],
    [112, '112 punktów'],
    [1.5, '1,5 punktu'],
  ])('writes %s in Polish as "%s"', (n, text) => {
    expect(nbsp(plural('pl', n, punkty))).toBe(text);
  });

  it('groups thousands the Polish way', () => {
    expect(nbsp(plural('pl', 12345, punkty))).toBe('12 345 punktów');
  });

  it('uses one and other in English', () => {
    const points = { one: 'point', other: 'points' };
    expect(plural('en', 1, points)).toBe('1 point');
    expect(plural('en', 2, points)).toBe('2 points');
    expect(plural('en', 0, points)).toBe('0 points');
    expect(pluralForm('en', 1, points)).toBe('point');
  });

  it('falls back to other when a Polish form is missing', () => {
    expect(pluralForm('pl', 5, { one: 'pkt', other: 'pkt' })).toBe('pkt');
  });
});

describe('formatMoney', () => {
  it('writes zloty the Polish way, with a no-break space before zł', () => {
    expect(formatMoney(1250, 'PLN', 'pl')).toBe('12,50\u00a0zł');
    expect(nbsp(formatMoney(123456, 'PLN', 'pl'))).toBe('1234,56 zł');
    expect(nbsp(formatMoney(1234567, 'pln', 'pl'))).toBe('12 345,67 zł');
  });

  it('writes zloty in English as Intl does', () => {
    expect(nbsp(formatMoney(1250, 'PLN', 'en'))).toBe('PLN 12.50');
  });

  it('follows the currency exponent', () => {
    expect(formatMoney(1250, 'JPY', 'en')).toBe('¥1,250');
    expect(nbsp(formatMoney(1250, 'KWD', 'en'))).toBe('KWD 1.250');
    expect(formatMoney(-999, 'EUR', 'en')).toBe('-€9.99');
  });
});

describe('formatDate', () => {
  it('writes the calendar day of the shop’s time zone', () => {
    // 23:30 UTC on 31 December is already 1 January in Warsaw.
    const at = new Date('2025-12-31T23:30:00Z');
    expect(formatDate(at, 'Europe/Warsaw', 'pl')).toBe('1 stycznia 2026');
    expect(formatDate(at, 'UTC', 'pl')).toBe('31 grudnia 2025');
    expect(formatDate(at, 'Europe/Warsaw', 'en')).toBe('1 January 2026');
    expect(formatDate('2026-02-14T12:00:00Z', 'Europe/Warsaw', 'pl', 'short')).toBe('14.02.2026');
  });

  it('refuses what is not a date', () => {
    expect(() => formatDate('nope', 'UTC', 'pl')).toThrow(RangeError);
  });
});
