import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for tiers: the reasons staff gave for a manual tier and the notes on
 * tier events go; the tier and its history stay.
 */
export async function forgetTierNotes(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE customer_tiers SET manual_reason = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
      AND manual_reason IS NOT NULL`.execute(tx);
  await sql`
    UPDATE tier_events SET note = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
      AND note IS NOT NULL`.execute(tx);
}
