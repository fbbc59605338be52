import { describe, expect, it } from 'vitest';
import {
  celebratesNameDay,
  nameDaysOf,
  namesCelebrating,
} from '../../src/customers/name-days-pl.ts';

/** Every 'MM-DD' of a leap year, 02-29 included. */
function everyDayOfTheYear(): string[] {
  const days: string[] = [];
  for (let month = 1; month <= 12; month++) {
    const length = new Date(Date.UTC(2024, month, 0)).getUTCDate();
    for (let day = 1; day <= length; day++) {
      days.push(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
  }
  return days;
}

describe('the Polish name-day calendar', () => {
  it('has names for every one of the 366 days of a leap year', () => {
    const days = everyDayOfTheYear();
    expect(days).toHaveLength(366);
    for (const day of days) expect(namesCelebrating(day).length, day).toBeGreaterThan(0);
  });

  it('holds only clean names: non-empty, no stray whitespace, no repeats within a day', () => {
    for (const day of everyDayOfTheYear()) {
      const names = namesCelebrating(day);
      for (const name of names) {
        expect(name, day).toMatch(/^\p{Lu}\p{Ll}+$/u);
        expect(name.trim(), day).toBe(name);
      }
      expect(new Set(names).size, day).toBe(names.length);
    }
  });

  it('gives Adam and Ewa their name day on Christmas Eve', () => {
    expect(namesCelebrating('12-24')).toEqual(expect.arrayContaining(['Adam', 'Ewa']));
  });

  it('celebrates Jan on Midsummer, 24 June', () => {
    expect(namesCelebrating('06-24')).toContain('Jan');
  });

  it('celebrates Andrzej on 30 November (andrzejki)', () => {
    expect(namesCelebrating('11-30')).toContain('Andrzej');
  });

  it('celebrates Józef on St Joseph’s day, 19 March', () => {
    expect(namesCelebrating('03-19')).toContain('Józef');
  });

  it('celebrates Maria on 3 May, the feast of Mary Queen of Poland', () => {
    expect(namesCelebrating('05-03')).toContain('Maria');
  });

  it('celebrates Anna on 26 July', () => {
    expect(namesCelebrating('07-26')).toContain('Anna');
  });

  it('celebrates Mikołaj on 6 December', () => {
    expect(namesCelebrating('12-06')).toContain('Mikołaj');
  });

  it('celebrates Jerzy and Wojciech together on 23 April', () => {
    expect(namesCelebrating('04-23')).toEqual(expect.arrayContaining(['Jerzy', 'Wojciech']));
  });

  it('celebrates Łukasz on St Luke’s day, 18 October', () => {
    expect(namesCelebrating('10-18')).toContain('Łukasz');
  });

  it('has a leap day, 29 February, with Roman and Oswald', () => {
    expect(namesCelebrating('02-29')).toEqual(expect.arrayContaining(['Roman', 'Oswald']));
  });

  it('returns no names for a day that is not MM-DD or does not exist', () => {
    expect(namesCelebrating('2-29')).toEqual([]);
    expect(namesCelebrating('02-30')).toEqual([]);
    expect(namesCelebrating('')).toEqual([]);
  });
});

describe('matching a customer’s first name', () => {
  it('ignores case and surrounding whitespace', () => {
    expect(celebratesNameDay('łukasz', '10-18')).toBe(true);
    expect(celebratesNameDay(' ŁUKASZ ', '10-18')).toBe(true);
  });

  it('matches a name typed without Polish diacritics', () => {
    expect(celebratesNameDay('Lukasz', '10-18')).toBe(true);
    expect(celebratesNameDay('Malgorzata', '07-13')).toBe(true);
    expect(celebratesNameDay('jozef', '03-19')).toBe(true);
    expect(celebratesNameDay('MIKOLAJ', '12-06')).toBe(true);
  });

  it('matches a compound first name when any of its words has the name day', () => {
    expect(celebratesNameDay('Anna Maria', '07-26')).toBe(true);
    expect(celebratesNameDay('Anna Maria', '05-03')).toBe(true);
    expect(celebratesNameDay('Anna-Maria', '05-03')).toBe(true);
    expect(celebratesNameDay('Anna Maria', '11-30')).toBe(false);
  });

  it('does not match on a different day or an unknown name', () => {
    expect(celebratesNameDay('Łukasz', '12-24')).toBe(false);
    expect(celebratesNameDay('Xyzzy', '10-18')).toBe(false);
    expect(celebratesNameDay('', '10-18')).toBe(false);
    expect(celebratesNameDay('   ', '10-18')).toBe(false);
    expect(celebratesNameDay('Łukasz', '2025-10-18')).toBe(false);
  });

  it('does not confuse a name with a longer one that starts the same way', () => {
    expect(namesCelebrating('11-21')).toContain('Janusz');
    expect(celebratesNameDay('Janusz', '11-21')).toBe(true);
    expect(celebratesNameDay('Jan', '11-21')).toBe(false);
  });
});

describe('the name days of a name', () => {
  it('lists every day of a name, sorted', () => {
    const days = nameDaysOf('Łukasz');
    expect(days).toEqual(expect.arrayContaining(['02-17', '10-18']));
    expect(days).toEqual([...days].sort());
    expect(new Set(days).size).toBe(days.length);
  });

  it('agrees with namesCelebrating for every day it returns', () => {
    for (const day of nameDaysOf('Maria')) expect(namesCelebrating(day)).toContain('Maria');
  });

  it('finds the same days however the name is typed', () => {
    const expected = nameDaysOf('Małgorzata');
    expect(expected.length).toBeGreaterThan(1);
    expect(nameDaysOf('malgorzata')).toEqual(expected);
    expect(nameDaysOf('  MAŁGORZATA ')).toEqual(expected);
  });

  it('joins the days of every word of a compound name', () => {
    const days = nameDaysOf('Anna Maria');
    expect(days).toEqual(expect.arrayContaining([...nameDaysOf('Anna'), ...nameDaysOf('Maria')]));
    expect(days).toEqual([...days].sort());
  });

  it('returns an empty list for a name the calendar does not hold', () => {
    expect(nameDaysOf('Xyzzy')).toEqual([]);
    expect(nameDaysOf('')).toEqual([]);
  });
});
