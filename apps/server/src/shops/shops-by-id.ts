import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ShopRow } from './shop.ts';

/** The shops of a batch of rows (runs, messages…), by id, in one read. */
export async function shopsById(
  db: Kysely<Database>,
  shopIds: string[],
): Promise<Map<string, ShopRow>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db.selectFrom('shops').selectAll().where('id', 'in', shopIds).execute();
  return new Map(rows.map((s) => [s.id, s]));
}
