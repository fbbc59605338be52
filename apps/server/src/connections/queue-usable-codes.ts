import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.ts';

/**
 * Queues for a connection every code of the shop a customer can still use (not expired, not
 * used up): on connecting, and when code pushing is switched on later, so codes issued before
 * work at the checkout too. Codes already queued are left as they are.
 */
export async function queueUsableCodes(
  db: Db | Tx,
  shopId: string,
  connectionId: string,
  now: Date,
): Promise<void> {
  await sql`
    INSERT INTO platform_codes (shop_id, connection_id, coupon_id, next_attempt_at)
    SELECT shop_id, ${connectionId}, id, ${now} FROM coupons
     WHERE shop_id = ${shopId}
       AND (expires_at IS NULL OR expires_at > ${now})
       AND (usage_limit IS NULL OR used_count < usage_limit)
    ON CONFLICT DO NOTHING`.execute(db);
}
