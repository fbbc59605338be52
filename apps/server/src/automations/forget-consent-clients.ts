import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for consents: the client address, user agent and page of each consent
 * event go. The consent itself (what, when, how, the words shown) stays as the proof the law
 * asks the shop to keep.
 */
export async function forgetConsentClients(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE consent_events SET client_address = NULL, user_agent = NULL, page = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
      AND (client_address IS NOT NULL OR user_agent IS NOT NULL OR page IS NOT NULL)`.execute(tx);
}
