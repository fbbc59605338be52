import { sql, type RawBuilder } from 'kysely';

/**
 * A shop's day boundaries: `YYYY-MM-DD` in the shop's time zone as the instant it begins.
 * Reports count days and months as the merchant lives them, not in UTC.
 */
export function startOfDay(date: string, timezone: string): RawBuilder<Date> {
  return sql<Date>`(${date}::date::timestamp AT TIME ZONE ${timezone})`;
}

/** The orders reports count: paid and not cancelled. */
export const COUNTED_ORDER = sql`paid_at IS NOT NULL AND cancelled_at IS NULL`;

export const DAY_MS = 86_400_000;
