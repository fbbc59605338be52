import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { ImportKind } from './import-records.ts';
import type { BatchOutcome, ImportBatch } from './import-batch.ts';
import { applyCustomerRows } from './apply-customer-rows.ts';
import { applyOrderRows } from './apply-order-rows.ts';
import { applyRefundRows } from './apply-refund-rows.ts';
import {
  applyPointRows,
  applyReferralCodeRows,
  applyTierRows,
} from './apply-customer-keyed-rows.ts';
import { applyCouponRows, applyGiftCardRows } from './apply-code-rows.ts';

const APPLY: Record<ImportKind, (batch: ImportBatch) => Promise<BatchOutcome>> = {
  customers: applyCustomerRows,
  orders: applyOrderRows,
  refunds: applyRefundRows,
  points: applyPointRows,
  tiers: applyTierRows,
  'referral-codes': applyReferralCodeRows,
  coupons: applyCouponRows,
  'gift-cards': applyGiftCardRows,
};

export const DEFAULT_BATCH_ROWS = 50_000;
/**
 * An orders import of at least this many rows leaves the analytics rollups to one rebuild of the
 * shop's when it finishes (migration 0057) instead of the insert trigger's maintenance per batch.
 */
export const DEFER_ROLLUPS_FROM = 20_000;

/** The tables each kind writes: analysed as they grow, so the planner does not take them for empty. */
const WRITES: Record<ImportKind, string[]> = {
  customers: [
    'customers',
    'consent_events',
    'consents',
    'point_accounts',
    'point_entries',
    'point_lots',
  ],
  orders: ['orders', 'order_lines', 'customer_order_days', 'customer_rollups'],
  refunds: ['refunds', 'orders'],
  points: ['point_accounts', 'point_entries', 'point_lots'],
  tiers: ['customer_tiers'],
  'referral-codes': ['referral_codes'],
  coupons: ['coupons'],
  'gift-cards': ['gift_cards'],
};
/** A runner that has not committed a batch for this long is taken to have died. */
export const STALE_AFTER_MS = 2 * 60_000;

export interface RunOptions {
  batchRows?: number;
  /** Hears the progress after each committed batch (the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Tests: fail after this many batches have committed, as a crash would. */
  crashAfterBatches?: number;
  /** Run an import again that stopped on an error (after the cause is fixed). */
  retryFailed?: boolean;
  /** Tests: the size from which an orders import defers the rollups (DEFER_ROLLUPS_FROM). */
  deferRollupsFrom?: number;
}

export class ImportCrash extends Error {}

/**
 * Applies a read import batch by batch. Each batch is one transaction that applies its rows
 * (the kind's set-based writes through the features' use cases), marks the rows it refused,
 * and moves the checkpoint: a crash loses at most the batch in flight, and running the import
 * again goes on after the last committed batch, so every row is applied exactly once. A dry
 * run does the same inside a savepoint that it rolls back, keeping only the report. Only one
 * runner holds an import at a time (its token is checked on every commit).
 */
export async function runImport(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  importId: string,
  options: RunOptions = {},
): Promise<void> {
  const runner = randomUUID();
  const staleBefore = new Date(clock.now().getTime() - STALE_AFTER_MS);
  const claimed = await sql<{
    kind: ImportKind;
    format: string;
    dry_run: boolean;
    checkpoint_line: string;
  }>`
    UPDATE imports SET status = 'running', runner = ${runner}, heartbeat_at = ${clock.now()},
      updated_at = ${clock.now()}
    WHERE shop_id = ${shop.id} AND id = ${importId} AND (status = 'ready'
      OR (${options.retryFailed === true} AND status = 'failed' AND content_hash IS NOT NULL)
      OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ${staleBefore})))
    RETURNING kind, format, dry_run, checkpoint_line::text`.execute(db);
  const job = claimed.rows[0];
  if (!job) return;
  try {
    await applyBatches(db, clock, shop, importId, runner, job, options);
  } catch (error) {
    // A crash leaves the import running, to be taken up again; an error that is no crash
    // (a bug, a constraint) would only repeat: the import stops with it, as "failed".
    if (!(error instanceof ImportCrash)) {
      // The batches committed before the error are in the orders: the rollups follow them.
      if (!job.dry_run && defersRollups(job, await rowCount(db, shop.id, importId), options)) {
        await rebuildRollups(db, shop.id).catch(() => undefined);
      }
      await db
        .updateTable('imports')
        .set({
          status: 'failed',
          error: (error as Error).message,
          runner: null,
          updated_at: clock.now(),
        })
        .where('shop_id', '=', shop.id)
        .where('id', '=', importId)
        .where('runner', '=', runner)
        .execute();
    }
    throw error;
  }
}

async function applyBatches(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  importId: string,
  runner: string,
  job: { kind: ImportKind; format: string; dry_run: boolean; checkpoint_line: string },
  options: RunOptions,
): Promise<void> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const total = await rowCount(db, shop.id, importId);
  const defer = defersRollups(job, total, options);
  let from = Number(job.checkpoint_line);
  let batches = 0;
  let analyseAt = from === 0 ? 1 : 2 * from;
  for (;;) {
    const to = await batchEnd(db, shop.id, importId, from, batchRows);
    if (to === null) break;
    const done = await db.transaction().execute(async (tx) => {
      const batch: ImportBatch = {
        tx,
        shop,
        importId,
        from,
        to,
        now: clock.now(),
        actor: `import:${importId}`,
        label: `import ${importId} (${job.format})`,
      };
      if (defer) await sql`SELECT set_config('lojal.defer_order_rollups', 'on', true)`.execute(tx);
      if (job.dry_run) await sql`SAVEPOINT dry_run`.execute(tx);
      const outcome = await APPLY[job.kind](batch);
      if (job.dry_run) await sql`ROLLBACK TO SAVEPOINT dry_run`.execute(tx);
      return commitBatch(tx, batch, runner, outcome);
    });
    from = to;
    batches++;
    options.onProgress?.(done, total);
    // Statistics of tables that grew from nothing make the planner scan them per row (the
    // rollups' probes, the ledger's lookups): analysed after the first batch and as they double.
    if (!job.dry_run && done >= analyseAt) {
      await analyse(db, job.kind);
      analyseAt = 2 * done;
    }
    if (options.crashAfterBatches !== undefined && batches >= options.crashAfterBatches) {
      throw new ImportCrash(`stopped after ${batches} batches`);
    }
  }
  await db.transaction().execute(async (tx) => {
    const finished = await tx
      .updateTable('imports')
      .set({ status: 'done', finished_at: clock.now(), updated_at: clock.now(), runner: null })
      .where('shop_id', '=', shop.id)
      .where('id', '=', importId)
      .where('runner', '=', runner)
      .executeTakeFirst();
    // With the import's last step: a crash before it leaves the import running, to be resumed.
    if (defer && !job.dry_run && Number(finished.numUpdatedRows) > 0) {
      await rebuildRollups(tx, shop.id);
    }
  });
  if (!job.dry_run) await analyse(db, job.kind);
}

function defersRollups(job: { kind: ImportKind }, rows: number, options: RunOptions): boolean {
  return job.kind === 'orders' && rows >= (options.deferRollupsFrom ?? DEFER_ROLLUPS_FROM);
}

/** The shop's analytics rollups from its orders, under its event processor's lock. */
async function rebuildRollups(db: Db | Tx, shopId: string): Promise<void> {
  await sql`SELECT analytics_rebuild_rollups(${shopId})`.execute(db);
}

async function analyse(db: Db, kind: ImportKind): Promise<void> {
  await sql`ANALYZE ${sql.join(WRITES[kind].map((t) => sql.table(t)))}`.execute(db);
}

/** The last line of the next batch: the line of its last unrefused row, or null when none is left. */
async function batchEnd(
  db: Db,
  shopId: string,
  importId: string,
  from: number,
  rows: number,
): Promise<number | null> {
  const result = await sql<{ line: string | null; last: string | null }>`
    SELECT (SELECT line FROM import_rows WHERE shop_id = ${shopId} AND import_id = ${importId}
              AND line > ${from} AND error IS NULL ORDER BY line OFFSET ${rows - 1} LIMIT 1)::text AS line,
           (SELECT max(line) FROM import_rows WHERE shop_id = ${shopId} AND import_id = ${importId}
              AND line > ${from} AND error IS NULL)::text AS last`.execute(db);
  const { line, last } = result.rows[0]!;
  if (last === null) return null;
  return Number(line ?? last);
}

async function rowCount(db: Db, shopId: string, importId: string): Promise<number> {
  const row = await db
    .selectFrom('imports')
    .select('rows_read')
    .where('shop_id', '=', shopId)
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
  return Number(row.rows_read);
}

/** Marks the refused rows and moves the checkpoint, in the batch's transaction. */
async function commitBatch(
  tx: Tx,
  batch: ImportBatch,
  runner: string,
  outcome: BatchOutcome,
): Promise<number> {
  const { shop, importId, from, to } = batch;
  const valid = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM import_rows
    WHERE shop_id = ${shop.id} AND import_id = ${importId} AND line > ${from} AND line <= ${to}
      AND error IS NULL`.execute(tx);
  const failed = new Map<number, string>();
  for (const f of outcome.failed) {
    failed.set(f.line, failed.has(f.line) ? `${failed.get(f.line)}; ${f.error}` : f.error);
  }
  if (failed.size > 0) {
    await sql`
      UPDATE import_rows r SET error = t.error
      FROM unnest(${[...failed.keys()]}::bigint[], ${[...failed.values()]}::text[]) AS t(line, error)
      WHERE r.shop_id = ${shop.id} AND r.import_id = ${importId} AND r.line = t.line`.execute(tx);
  }
  const updated = await sql<{ applied: string }>`
    UPDATE imports SET checkpoint_line = ${to}, batches = batches + 1,
      rows_applied = rows_applied + ${Number(valid.rows[0]!.n) - failed.size},
      rows_failed = rows_failed + ${failed.size},
      changes = (SELECT COALESCE(jsonb_object_agg(k, v), '{}') FROM (
        SELECT k, sum(v)::bigint AS v FROM (
          SELECT key AS k, value::bigint AS v FROM jsonb_each_text(imports.changes)
          UNION ALL
          SELECT key, value::bigint FROM jsonb_each_text(${JSON.stringify(outcome.changes)}::jsonb)
        ) a GROUP BY k) s),
      heartbeat_at = ${batch.now}, updated_at = ${batch.now}
    WHERE shop_id = ${shop.id} AND id = ${importId} AND runner = ${runner}
    RETURNING (rows_applied + rows_failed)::text AS applied`.execute(tx);
  if (updated.rows.length === 0) {
    throw new Error(`import ${importId} was taken over by another runner`);
  }
  return Number(updated.rows[0]!.applied);
}
