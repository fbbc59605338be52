import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { MAX_ATTEMPTS } from './push-codes.ts';

export interface DueConnection {
  shopId: string;
  connectionId: string;
  pull: boolean;
  push: boolean;
}

/**
 * The connections with work due, for the minute sweep that makes sure every pull and push runs
 * even when nothing woke it: a pull past its time, or codes to create or disable.
 */
export async function dueConnections(db: Db, now: Date): Promise<DueConnection[]> {
  const { rows } = await sql<{ shop_id: string; id: string; pull: boolean; push: boolean }>`
    SELECT c.shop_id, c.id,
           c.next_pull_at <= ${now} AS pull,
           c.push_codes AND (
             EXISTS (SELECT 1 FROM platform_codes p
                      WHERE p.shop_id = c.shop_id AND p.connection_id = c.id
                        AND p.state = 'pending' AND p.next_attempt_at <= ${now}
                        AND p.attempts < ${MAX_ATTEMPTS})
             OR EXISTS (SELECT 1 FROM platform_codes p
                          JOIN coupons k ON k.shop_id = p.shop_id AND k.id = p.coupon_id
                         WHERE p.shop_id = c.shop_id AND p.connection_id = c.id
                           AND p.state = 'created' AND p.next_attempt_at <= ${now}
                           AND ((k.expires_at IS NOT NULL AND k.expires_at <= ${now})
                                OR (k.usage_limit IS NOT NULL AND k.used_count >= k.usage_limit)))
           ) AS push
      FROM connections c
     WHERE c.paused_at IS NULL AND c.needs_attention IS NULL`.execute(db);
  return rows
    .filter((r) => r.pull || r.push)
    .map((r) => ({ shopId: r.shop_id, connectionId: r.id, pull: r.pull, push: r.push }));
}
