/**
 * Calendar arithmetic in a shop's time zone (birthdays, caps per day or month, reports), with
 * Intl only: no time-zone data to ship or update by hand.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The calendar day (YYYY-MM-DD) it is at `at` in the time zone. */
export function localDay(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant a local wall-clock time happens in the zone (the earlier one in a DST overlap). */
export function zonedTime(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  // Two rounds settle the offset, including on the days the clocks change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - seen;
  }
  return new Date(guess);
}

export type Period = 'day' | 'week' | 'month' | 'year' | 'lifetime';

/** When the period containing `at` began, in the shop's calendar (weeks start on Monday). */
export function periodStart(at: Date, period: Period, timeZone: string): Date {
  if (period === 'lifetime') return new Date(0);
  const p = localParts(at, timeZone);
  if (period === 'year') return zonedTime(timeZone, p.year, 1, 1);
  if (period === 'month') return zonedTime(timeZone, p.year, p.month, 1);
  if (period === 'day') return zonedTime(timeZone, p.year, p.month, p.day);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(p.year, p.month - 1, p.day - weekday));
  return zonedTime(
    timeZone,
    monday.getUTCFullYear(),
    monday.getUTCMonth() + 1,
    monday.getUTCDate(),
  );
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

/** Adds calendar months in UTC, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The instant a zone-less local time ("2025-03-30 02:30:00", "2025-03-30") names in the zone, as
 * Shoper and IdoSell write them: in a DST gap the clock is read as if it had not changed yet, in an
 * overlap the earlier instant wins. Null for anything else, and for the "0000-00-00 00:00:00" that
 * stands for "never".
 */
export function wallClockInstant(text: string, timeZone: string): Date | null {
  const m = WALL_CLOCK.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null;
  const found = zonedTime(timeZone, year, month, day, hour, minute).getTime() + second * 1000;
  // zonedTime settles on the later instant of an overlap: step back when an earlier one reads the same.
  const wall = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
  for (const back of [3_600_000, 1_800_000]) {
    if (wallClockText(new Date(found - back), timeZone) === wall) return new Date(found - back);
  }
  return new Date(found);
}

/** The zone-less local time at `at` in the zone, "YYYY-MM-DD HH:MM:SS" (for platform filters). */
export function wallClockText(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return (
    `${p.year}-${pad(p.month)}-${pad(p.day)} ` + `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
  );
}
