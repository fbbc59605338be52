import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for referrals: the client addresses and user agents of the person's
 * referral visits, sightings and referrals (either side), the notes written about their
 * referrals and the share messages they wrote. Referrals, rewards and their amounts stay.
 * Their codes are replaced apart (`replaceReferralCodes`), since orders carry them too.
 */
export async function forgetReferralTraces(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE referral_visits SET client_address = NULL, user_agent = NULL
    WHERE shop_id = ${shopId} AND referrer_customer_id = ANY(${customerIds}::text[])
      AND (client_address IS NOT NULL OR user_agent IS NOT NULL)`.execute(tx);
  await sql`
    DELETE FROM referral_sightings
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])`.execute(tx);
  await sql`
    UPDATE referrals SET client_address = NULL, user_agent = NULL, review_note = NULL,
      thank_you_note = NULL
    WHERE shop_id = ${shopId}
      AND (referrer_customer_id = ANY(${customerIds}::text[])
           OR friend_customer_id = ANY(${customerIds}::text[]))`.execute(tx);
  await sql`
    DELETE FROM referral_share_messages
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])`.execute(tx);
}
