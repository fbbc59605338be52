import type { Db } from '../db/connect.ts';

export interface ReplaySelection {
  shopId: string;
  eventIds?: string[];
  /** Replay every event of the shop in this status (typically 'failed'). */
  status?: 'failed' | 'ignored' | 'waiting';
}

/**
 * Puts events back in the queue. Processing is idempotent, so replaying an event that already
 * took effect changes nothing; replaying a failed one after a fix applies it.
 */
export async function replayEvents(db: Db, selection: ReplaySelection): Promise<string[]> {
  let query = db
    .updateTable('inbound_events')
    .set({ status: 'pending', waiting_for: null })
    .where('shop_id', '=', selection.shopId)
    .where('status', '!=', 'pending');
  if (selection.eventIds)
    query = query.where('id', 'in', selection.eventIds.length ? selection.eventIds : ['']);
  if (selection.status) query = query.where('status', '=', selection.status);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}
