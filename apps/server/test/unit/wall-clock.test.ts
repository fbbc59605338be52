import { describe, expect, it } from 'vitest';
import { wallClockInstant, wallClockText } from '../../src/shared/zoned-time.ts';

describe('zone-less local times (Shoper, IdoSell)', () => {
  const zone = 'Europe/Warsaw';
  it('reads a local time as the instant it names in the zone, with seconds', () => {
    expect(wallClockInstant('2025-07-01 12:00:05', zone)).toEqual(new Date('2025-07-01T10:00:05Z'));
    expect(wallClockInstant('2025-01-15 00:00:00', zone)).toEqual(new Date('2025-01-14T23:00:00Z'));
    expect(wallClockInstant('2025-01-15', zone)).toEqual(new Date('2025-01-14T23:00:00Z'));
  });

  it('reads the repeated hour of the autumn change as the first, and the missing spring hour as before the change', () => {
    expect(wallClockInstant('2025-10-26 02:30:00', zone)).toEqual(new Date('2025-10-26T00:30:00Z'));
    expect(wallClockInstant('2025-10-26 03:00:00', zone)).toEqual(new Date('2025-10-26T02:00:00Z'));
    expect(wallClockInstant('2025-03-30 02:30:00', zone)).toEqual(new Date('2025-03-30T01:30:00Z'));
    expect(wallClockInstant('2025-03-30 03:00:00', zone)).toEqual(new Date('2025-03-30T01:00:00Z'));
  });

  it('answers null for "never" and for what is not a date-time', () => {
    for (const text of [
      '0000-00-00 00:00:00',
      '2025-02-30 10:00:00',
      '2025-01-01 24:00:00',
      'wczoraj',
      '',
    ]) {
      expect(wallClockInstant(text, zone), text).toBeNull();
    }
  });

  it('writes an instant as the local time a platform filter takes', () => {
    expect(wallClockText(new Date('2025-10-26T00:30:00Z'), zone)).toBe('2025-10-26 02:30:00');
    expect(wallClockText(new Date('2025-10-26T01:30:00Z'), zone)).toBe('2025-10-26 02:30:00');
    expect(wallClockText(new Date('2025-07-01T10:00:05Z'), zone)).toBe('2025-07-01 12:00:05');
  });
});
