import { localParts, zonedTime } from '../shared/zoned-time.ts';

export interface QuietHours {
  /** "21:00" — quiet from this local time… */
  start: string;
  /** "08:00" — …until this one (may be on the next day). */
  end: string;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/**
 * The earliest moment at or after `at` outside the quiet hours in the shop's zone: a message
 * due in the quiet hours is delayed to their end, never dropped. Equal start and end: no quiet
 * hours.
 */
export function outsideQuietHours(at: Date, timeZone: string, quiet: QuietHours): Date {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const p = localParts(at, timeZone);
  const now = p.hour * 60 + p.minute;
  const quietNow = start < end ? now >= start && now < end : now >= start || now < end;
  if (!quietNow) return at;
  // The end is today if we are past midnight (or the window does not cross it), else tomorrow.
  const endToday = start < end || now < end;
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + (endToday ? 0 : 1)));
  return zonedTime(
    timeZone,
    day.getUTCFullYear(),
    day.getUTCMonth() + 1,
    day.getUTCDate(),
    Math.floor(end / 60),
    end % 60,
  );
}

/** The next moment the local clock shows `hhmm`, at or after `at`. */
export function nextLocalTime(at: Date, timeZone: string, hhmm: string): Date {
  const p = localParts(at, timeZone);
  const target = minutesOf(hhmm);
  for (let add = 0; add <= 2; add++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + add));
    const candidate = zonedTime(
      timeZone,
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      Math.floor(target / 60),
      target % 60,
    );
    if (candidate.getTime() >= at.getTime()) return candidate;
  }
  throw new Error('unreachable: a local time recurs within two days');
}
