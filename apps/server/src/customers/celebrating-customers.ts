import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { namesCelebrating } from './name-days-pl.ts';

// Folded before lower(), which leaves Ł as it is under a C locale.
const POLISH = ['ĄĆĘŁŃÓŚŹŻąćęłńóśźż', 'ACELNOSZZacelnoszz'] as const;

export interface CelebratingCustomer {
  id: string;
  birthday: string | null;
  first_name: string | null;
}

/**
 * The birthdays a local day celebrates: its month and day, and 29 February on the 28th in
 * other years.
 */
export function birthdayMonthDays(today: string): string[] {
  const monthDay = today.slice(5);
  const year = Number(today.slice(0, 4));
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return monthDay === '02-28' && !leap ? ['02-28', '02-29'] : [monthDay];
}

/**
 * A shop's customers whose birthday or name day (Polish calendar, any of their first names,
 * without regard to case or diacritics) falls on `today` (`YYYY-MM-DD`, the shop's local day).
 * Erased customers celebrate nothing.
 */
export async function celebratingCustomers(
  db: Kysely<Database>,
  shopId: string,
  today: string,
  which: { birthday: boolean; nameDay: boolean },
): Promise<CelebratingCustomer[]> {
  const names = which.nameDay ? namesCelebrating(today.slice(5)).map(polishFold) : [];
  if (!which.birthday && names.length === 0) return [];
  const { rows } = await sql<CelebratingCustomer>`
    SELECT id, birthday::text, first_name FROM customers
    WHERE shop_id = ${shopId} AND redacted_at IS NULL AND (
      (${which.birthday} AND to_char(birthday, 'MM-DD') = ANY(${birthdayMonthDays(today)}::text[]))
      OR (cardinality(${names}::text[]) > 0 AND
          regexp_split_to_array(lower(translate(first_name, ${POLISH[0]}, ${POLISH[1]})), '[\\s-]+') && ${names}::text[]))
    ORDER BY id`.execute(db);
  return rows;
}

function polishFold(name: string): string {
  let out = name;
  for (let i = 0; i < POLISH[0].length; i++) out = out.replaceAll(POLISH[0][i]!, POLISH[1][i]!);
  return out.toLowerCase();
}
