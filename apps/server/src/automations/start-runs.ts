import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { activeFlows } from './active-flows.ts';
import { startRunsInBulk, type TriggerRow } from './start-runs-in-bulk.ts';

/** Triggers older than this start nothing (an import of history must not mail old customers). */
export const STALE_TRIGGER_MS = 3 * 86_400_000;

/**
 * Consumes the trigger outbox in the order things happened: each trigger first ends the runs
 * it is an exit for, then starts the flows it matches — one run per customer per flow at a
 * time, within the flow's re-entry rule, never twice for one trigger. A batch is decided in
 * bulk (start-runs-in-bulk.ts); when that fails, the same decision runs one trigger at a time.
 * Returns the triggers consumed.
 */
export async function startRuns(db: Db, clock: Clock, limit = 500): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const triggers = (await tx
      .selectFrom('automation_triggers')
      .select(['shop_id', 'id', 'customer_id', 'type', 'data', 'occurred_at'])
      .where('processed_at', 'is', null)
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()) as TriggerRow[];
    if (triggers.length === 0) return 0;
    const now = clock.now();
    const flows = await activeFlows(tx, [...new Set(triggers.map((t) => t.shop_id))]);
    const failed: Array<{ shopId: string; id: string; error: string }> = [];
    await sql`SAVEPOINT triggers_in_bulk`.execute(tx);
    try {
      await startRunsInBulk(tx, triggers, flows, now, STALE_TRIGGER_MS);
      await sql`RELEASE SAVEPOINT triggers_in_bulk`.execute(tx);
    } catch {
      // Something in the batch breaks (a broken flow): again one trigger at a time, each on its
      // own savepoint, so the failing one is parked with its error and the rest go on.
      await sql`ROLLBACK TO SAVEPOINT triggers_in_bulk`.execute(tx);
      for (const trigger of triggers) {
        await sql`SAVEPOINT trigger_start`.execute(tx);
        try {
          await startRunsInBulk(tx, [trigger], flows, now, STALE_TRIGGER_MS);
          await sql`RELEASE SAVEPOINT trigger_start`.execute(tx);
        } catch (error) {
          await sql`ROLLBACK TO SAVEPOINT trigger_start`.execute(tx);
          failed.push({
            shopId: trigger.shop_id,
            id: trigger.id,
            error: String((error as Error).message ?? error).slice(0, 500),
          });
        }
      }
    }
    for (const f of failed)
      await tx
        .updateTable('automation_triggers')
        .set({ error: f.error })
        .where('shop_id', '=', f.shopId)
        .where('id', '=', f.id)
        .execute();
    await tx
      .updateTable('automation_triggers')
      .set({ processed_at: now })
      .where(
        sql<boolean>`(shop_id, id) IN (SELECT * FROM unnest(${triggers.map((t) => t.shop_id)}::text[], ${triggers.map((t) => t.id)}::text[]))`,
      )
      .execute();
    return triggers.length;
  });
}
