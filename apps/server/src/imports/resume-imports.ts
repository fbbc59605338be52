import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { runImport, STALE_AFTER_MS } from './run-import.ts';

/**
 * Imports whose runner died (a crash, a restart) go on from their last committed batch: a
 * sweep finds those read but not started, or running without a commit for a while, and runs
 * them. Returns how many it took up.
 */
export async function resumeImports(
  db: Db,
  clock: Clock,
  onShopError: (shopId: string, error: unknown) => void = () => undefined,
): Promise<number> {
  const staleBefore = new Date(clock.now().getTime() - STALE_AFTER_MS);
  await failStalledReads(db, clock, staleBefore);
  const due = await sql<{ shop_id: string; id: string }>`
    SELECT shop_id, id FROM imports
    WHERE (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ${staleBefore}))
       OR (status = 'ready' AND updated_at < ${staleBefore})
    ORDER BY created_at LIMIT 10`.execute(db);
  for (const job of due.rows) {
    const shop = await db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', job.shop_id)
      .executeTakeFirst();
    if (!shop) continue;
    try {
      await runImport(db, clock, shop, job.id);
    } catch (error) {
      onShopError(job.shop_id, error);
    }
  }
  return due.rows.length;
}

/**
 * A file whose reading stopped (the process died, the upload was lost) cannot be read on: its
 * bytes are gone, and its one COPY left no row behind. The import fails, saying so; the same
 * file imported again is a new import (the stopped one has no content hash to be a duplicate of).
 */
async function failStalledReads(db: Db, clock: Clock, staleBefore: Date): Promise<void> {
  await sql`
    UPDATE imports SET status = 'failed', updated_at = ${clock.now()}, finished_at = ${clock.now()},
      error = 'the file stopped being read (a crash or a lost upload): import it again'
    WHERE status = 'reading' AND COALESCE(heartbeat_at, updated_at) < ${staleBefore}`.execute(db);
}
