import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/** Erasure (RODO art. 17) for the customer portal: the person's sign-in links go. */
export async function forgetSignInLinks(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    DELETE FROM portal_sign_in_links
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])`.execute(tx);
}
