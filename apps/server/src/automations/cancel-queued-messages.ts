import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Messages of runs that ended early (an exit, a paused or archived flow, a failed condition or
 * step) that are still waiting — held by quiet hours or a retry — are not sent any more; each
 * run gives the reason its messages record.
 */
export async function cancelQueuedMessages(
  db: Kysely<Database>,
  runs: Array<{ shopId: string; runId: string; reason: string }>,
): Promise<void> {
  if (runs.length === 0) return;
  await sql`
    UPDATE messages m SET status = 'suppressed', status_reason = x.reason
    FROM unnest(${runs.map((r) => r.shopId)}::text[], ${runs.map((r) => r.runId)}::text[],
                ${runs.map((r) => r.reason)}::text[]) AS x(shop_id, run_id, reason)
    WHERE m.shop_id = x.shop_id AND m.run_id = x.run_id AND m.status = 'queued'`.execute(db);
}
