import { sql } from 'kysely';
import type { InboundSource } from '../db/schema.ts';
import { backoffMs } from './backoff.ts';
import { openConnection, type OpenConnection } from './connection-context.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { PlatformError, type Json, type PullPage } from './connector.ts';
import { recordConnectionError } from './record-connection-error.ts';
import { storePulledRecords } from './store-pulled-records.ts';

export interface PullRun {
  /** Records new to the raw log in this run. */
  stored: number;
  pages: number;
  /** Pages remain (the run's budget ended first): run again at once. */
  more: boolean;
  /** When the next run is due, or null when the connection does not run (paused, needs the merchant). */
  nextAt: Date | null;
}

/**
 * One run of a connection's pulls, as the `connection-pull` job does it: sync pages from the
 * stored cursor until the platform says done, then backfill pages of history, within a budget of
 * pages so one shop's long history never holds the queue. Each page's records are stored before
 * its cursor is saved. A failure keeps the cursor, records the error and waits (backoff, the
 * platform's Retry-After); refused credentials stop the connection until the merchant acts.
 */
export async function pullConnection(
  deps: ConnectionDeps,
  shopId: string,
  connectionId: string,
  budget: { pages: number } = { pages: 20 },
): Promise<PullRun> {
  const open = await openConnection(deps, shopId, connectionId);
  if (!open || open.row.paused_at || open.row.needs_attention) {
    return { stored: 0, pages: 0, more: false, nextAt: null };
  }
  const { row, connector } = open;
  const startedAt = deps.clock.now();
  let stored = 0;
  let pages = 0;
  let syncDone = false;
  try {
    let cursor = row.sync_cursor as Json;
    while (pages < budget.pages) {
      const page = await connector.pull(open.ctx, {
        cursor,
        mode: 'sync',
        since: row.sync_since,
        until: null,
      });
      pages++;
      stored += await store(deps, open, page, 'sync');
      cursor = page.cursor;
      await saveSync(deps, open, page);
      if (page.done) {
        syncDone = true;
        break;
      }
    }
    let backfillDone = row.backfill_from === null || row.backfill_done_at !== null;
    let backfillCursor = row.backfill_cursor as Json;
    while (syncDone && !backfillDone && pages < budget.pages) {
      const page = await connector.pull(open.ctx, {
        cursor: backfillCursor,
        mode: 'backfill',
        since: row.backfill_from!,
        until: row.backfill_until,
      });
      pages++;
      const n = await store(deps, open, page, 'backfill');
      stored += n;
      backfillCursor = page.cursor;
      backfillDone = page.done;
      await deps.db
        .updateTable('connections')
        .set({
          backfill_cursor: JSON.stringify(page.cursor),
          backfill_imported: sql`backfill_imported + ${page.records.length}`,
          ...(page.total !== undefined && { backfill_total: page.total }),
          ...(page.done && { backfill_done_at: deps.clock.now() }),
        })
        .where('shop_id', '=', shopId)
        .where('id', '=', connectionId)
        .execute();
    }
    const more = !syncDone || !backfillDone;
    const nextAt = more ? startedAt : new Date(startedAt.getTime() + connector.pullEveryMs);
    await deps.db
      .updateTable('connections')
      .set({
        last_pull_at: startedAt,
        last_pull_ok_at: startedAt,
        pull_failures: 0,
        next_pull_at: nextAt,
        records_pulled: sql`records_pulled + ${stored}`,
        updated_at: startedAt,
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', connectionId)
      .execute();
    return { stored, pages, more, nextAt };
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    const failures = row.pull_failures + 1;
    const stops = error.kind === 'auth' || error.kind === 'address';
    const nextAt = new Date(startedAt.getTime() + backoffMs(failures, error.details.retryAfterMs));
    await recordConnectionError(deps.db, {
      shopId,
      connectionId,
      at: startedAt,
      direction: 'pull',
      kind: error.kind,
      message: error.message,
    });
    await deps.db
      .updateTable('connections')
      .set({
        last_pull_at: startedAt,
        pull_failures: failures,
        next_pull_at: nextAt,
        records_pulled: sql`records_pulled + ${stored}`,
        ...(stops && { needs_attention: error.message }),
        updated_at: startedAt,
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', connectionId)
      .execute();
    return { stored, pages, more: false, nextAt: stops ? null : nextAt };
  }
}

async function store(
  deps: ConnectionDeps,
  open: OpenConnection,
  page: PullPage,
  mode: 'sync' | 'backfill',
): Promise<number> {
  const n = await storePulledRecords(deps.db, {
    shopId: open.row.shop_id,
    platform: open.row.platform as InboundSource,
    records: page.records,
    mode,
    history:
      (mode === 'backfill' && !open.row.backfill_earn_points) ||
      open.connector.earnsPoints?.(open.ctx.settings) === false,
    receivedAt: deps.clock.now(),
  });
  if (n > 0) deps.onRecordsStored?.();
  return n;
}

/** Saves the sync cursor and how far it reached: the clock when caught up, else the newest change. */
async function saveSync(deps: ConnectionDeps, open: OpenConnection, page: PullPage) {
  const reached = page.done ? deps.clock.now() : (page.reachedAt ?? null);
  await deps.db
    .updateTable('connections')
    .set({
      sync_cursor: JSON.stringify(page.cursor),
      ...(reached && { synced_to: sql<Date>`GREATEST(synced_to, ${reached}::timestamptz)` }),
    })
    .where('shop_id', '=', open.row.shop_id)
    .where('id', '=', open.row.id)
    .execute();
}
