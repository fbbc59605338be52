import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for the points ledger: the words of manual adjustments go; every entry
 * and amount stays, so balances and the ledger's invariants are unchanged.
 */
export async function forgetAdjustmentReasons(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE point_entries SET reason = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
      AND reason IS NOT NULL`.execute(tx);
}
