import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * Recomputes a shop's analytics rollups (customer_order_days, customer_rollups, cohort_activity)
 * from its orders, in one transaction. The rollups are otherwise kept up to date by the orders
 * table's triggers (migration 0019); a rebuild is for shops whose orders were bulk-loaded with
 * the triggers disabled, after a change of the shop's time zone, or to check the incremental
 * maintenance. The shop's event processing waits for it (same advisory lock).
 */
export async function rebuildAnalyticsRollups(db: Db, shopId: string): Promise<void> {
  await sql`SELECT analytics_rebuild_rollups(${shopId})`.execute(db);
}
