import { problems, type FieldError } from './errors.ts';

/** How far a sender's clock may run ahead of ours before a time it gives is refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The earliest date of birth taken: no customer alive was born before it. */
export const EARLIEST_BIRTHDAY = '1900-01-01';

const LATEST_ZONE_AHEAD_MS = 14 * 3_600_000; // UTC+14, Kiribati: the first place a day begins

export interface ClientTime {
  /** The field, dotted (`occurredAt`, `changes.0.at`). */
  path: string;
  at: string | Date | null | undefined;
}

/**
 * Refuses times a client says something happened at when they lie in the future beyond the
 * clock skew, and calendar dates (a birthday) that have not begun anywhere on Earth. Such a time
 * cannot be true, and facts are ordered by their times: an answer dated in the year 9999 would
 * outrank every real later one (a consent nobody could withdraw).
 */
export function refuseFutureTimes(now: Date, times: ClientTime[], dates: ClientTime[] = []): void {
  const latest = now.getTime() + CLOCK_SKEW_MS;
  const today = latestToday(now);
  const errors: FieldError[] = [
    ...times
      .filter(({ at }) => at != null && new Date(at).getTime() > latest)
      .map(({ path }) => ({
        path,
        message: 'must not be in the future (at most 5 minutes ahead)',
      })),
    ...dates
      .filter(({ at }) => typeof at === 'string' && at > today)
      .map(({ path }) => ({ path, message: 'must not be in the future' })),
  ];
  if (errors.length > 0) throw problems.validation(errors);
}

/** The latest calendar day (YYYY-MM-DD) that has begun somewhere on Earth at `now`. */
export function latestToday(now: Date): string {
  return new Date(now.getTime() + LATEST_ZONE_AHEAD_MS).toISOString().slice(0, 10);
}

/**
 * The present for judging an event's times: receipt is stamped by the system clock (the inbox's
 * received_at), processing by the injected one. In production they agree; tests move the
 * injected clock either way, so a time counts as future only when it is ahead of both.
 */
export function presentOf(clockNow: Date, systemNow: Date = new Date()): Date {
  return clockNow.getTime() > systemNow.getTime() ? clockNow : systemNow;
}

/**
 * A sender's time, but never later than `now`: a time ahead of ours is the sender's clock
 * running fast, so Lojal's own time of receipt stands in and receipt order decides.
 */
export function notLaterThan(at: Date, now: Date): Date {
  return at.getTime() > now.getTime() ? now : at;
}
