/**
 * Calendar days of the shop (its time zone) and the instants the API takes: a day typed in a
 * date field means that day in the shop, wherever the browser is.
 */

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** The first instant of a day (YYYY-MM-DD) in the zone, as ISO 8601. */
export function startOfDay(isoDay: string, timeZone: string): string {
  const guess = Date.parse(`${isoDay}T00:00:00Z`);
  let instant = guess - offsetMinutes(guess, timeZone) * 60_000;
  instant = guess - offsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

/** The first instant after a day: an end that includes the whole day. */
export function endOfDay(isoDay: string, timeZone: string): string {
  const next = new Date(`${isoDay}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return startOfDay(next.toISOString().slice(0, 10), timeZone);
}

/** The shop's day an instant falls on (YYYY-MM-DD). */
export function dayOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
}

/** The last day an exclusive end still covers. */
export function lastDayOf(isoEnd: string, timeZone: string): string {
  return dayOf(new Date(Date.parse(isoEnd) - 1).toISOString(), timeZone);
}
