import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { expireLots } from './account.ts';
import { openAccounts, POINTS, saveAccounts, type LedgerBook } from './ledger.ts';

const LOTS_PER_ROUND = 1000;

/**
 * Writes an expiry entry for what remains of every lot whose time has come, a few hundred
 * customers per transaction. Reads already leave expired lots out; this makes the ledger say
 * so. Returns the number of entries written.
 */
export async function expirePoints(
  db: Db,
  clock: Clock,
  book: LedgerBook = POINTS,
): Promise<number> {
  const now = clock.now();
  let written = 0;
  for (;;) {
    // The oldest expired lots first, along the (expires_at) index; a backlog costs no re-sorting.
    const due = await sql<{ shop_id: string; customer_id: string }>`
      SELECT shop_id, ${sql.ref(book.holder)} AS customer_id FROM ${sql.table(book.lots)}
      WHERE remaining > 0 AND expires_at <= ${now}
      ORDER BY expires_at LIMIT ${LOTS_PER_ROUND}`.execute(db);
    if (due.rows.length === 0) return written;
    const byShop = new Map<string, Set<string>>();
    for (const row of due.rows) {
      byShop.set(row.shop_id, (byShop.get(row.shop_id) ?? new Set()).add(row.customer_id));
    }
    for (const [shopId, customers] of byShop) {
      const customerIds = [...customers];
      written += await db.transaction().execute(async (tx) => {
        const accounts = await openAccounts(tx, shopId, customerIds, {
          book,
          withLots: customerIds,
        });
        let count = 0;
        for (const account of accounts.values()) count += expireLots(account, now).length;
        await saveAccounts(tx, accounts.values(), now, book);
        return count;
      });
    }
  }
}
