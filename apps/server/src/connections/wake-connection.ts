import type { Db } from '../db/connect.ts';
import { hashToken } from '../shared/secrets.ts';
import { timingSafeEqual } from 'node:crypto';

/**
 * An unsigned wake-up from the platform (Dotykačka's webhook) at the connection's unguessable
 * URL: its body is never trusted, it only makes the next pull due now. Null when the connection
 * or the token is wrong (the route answers 404 either way, saying nothing of which).
 */
export async function wakeConnection(
  db: Db,
  connectionId: string,
  token: string,
  now: Date,
): Promise<{ shopId: string } | null> {
  const row = await db
    .selectFrom('connections')
    .select(['shop_id', 'hook_token_hash', 'paused_at', 'needs_attention'])
    .where('id', '=', connectionId)
    .executeTakeFirst();
  const given = hashToken(token);
  if (!row || !timingSafeEqual(given, row.hook_token_hash)) return null;
  if (!row.paused_at && !row.needs_attention) {
    await db
      .updateTable('connections')
      .set({ next_pull_at: now })
      .where('shop_id', '=', row.shop_id)
      .where('id', '=', connectionId)
      .execute();
  }
  return { shopId: row.shop_id };
}
