import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

const REDACTED_BODY = '{"redacted":true}';

/**
 * Erasure (RODO art. 17) for the raw deliveries kept after processing: a body holding any of
 * `named` (the person's ids as the platform wrote them, addresses, old codes) becomes
 * {"redacted":true}; the delivery's metadata stays. Deliveries not yet processed are left to
 * be processed first.
 */
export async function redactInboundEvents(tx: Tx, shopId: string, named: string[]): Promise<void> {
  if (named.length === 0) return;
  await sql`
    UPDATE inbound_events SET body = convert_to(${REDACTED_BODY}, 'UTF8')
    WHERE shop_id = ${shopId} AND status IN ('processed', 'ignored', 'failed')
      AND body <> convert_to(${REDACTED_BODY}, 'UTF8')
      AND EXISTS (SELECT 1 FROM unnest(${named}::text[]) v
                  WHERE position(convert_to(v, 'UTF8') IN body) > 0)`.execute(tx);
}
