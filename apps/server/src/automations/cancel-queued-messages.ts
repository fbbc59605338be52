import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Messages of runs that ended early (an exit, a paused or archived flow, a failed condition or
 * step) that are still waiting — held by quiet hours or a retry — are not sent any more.
 */
export async function cancelQueuedMessages(
  db: Kysely<Database>,
  shopId: string,
  runIds: string[],
  reason: string,
): Promise<void> {
  if (runIds.length === 0) return;
  await sql`
    UPDATE messages SET status = 'suppressed', status_reason = ${reason}
    WHERE shop_id = ${shopId} AND run_id = ANY(${runIds}::text[]) AND status = 'queued'`.execute(
    db,
  );
}
