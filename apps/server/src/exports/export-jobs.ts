import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import { AUDIENCE_DESTINATIONS, type AudiencePlatform } from './audience-destinations.ts';
import { dropExportFile, ExportFileSink } from './export-file.ts';
import type { ShopExportFormat } from './export-kinds.ts';
import { writeAudience } from './write-audience.ts';
import { writeShopZip } from './write-shop-zip.ts';

/** How long a finished file can be downloaded. */
export const EXPORT_DAYS = 3;
export const EXPORT_TASK = 'export-run';

const ADD_JOB =
  'graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)';

export interface ExportView {
  id: string;
  kind: 'shop' | 'audience';
  format: string;
  segmentId: string | null;
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired';
  fileName: string;
  rows: number | null;
  bytes: number | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  /** Where the finished file is; null until it is done. */
  downloadUrl: string | null;
}

export function exportView(row: {
  id: string;
  kind: 'shop' | 'audience';
  format: string;
  segment_id: string | null;
  status: ExportView['status'];
  file_name: string;
  rows: number | null;
  bytes: number | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date;
}): ExportView {
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    segmentId: row.segment_id,
    status: row.status,
    fileName: row.file_name,
    rows: row.rows,
    bytes: row.bytes,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
    downloadUrl:
      row.status !== 'done'
        ? null
        : row.kind === 'shop'
          ? `/v1/exports/${row.id}/download`
          : `/v1/segments/${encodeURIComponent(row.segment_id!)}/audiences/${row.id}/download`,
  };
}

export type ExportRequest =
  | { kind: 'shop'; format: ShopExportFormat }
  | { kind: 'audience'; platform: AudiencePlatform; segmentId: string };

/**
 * Records an export and queues its job; the worker makes the file (`runExportJob`). An
 * audience needs a segment that exists (404 otherwise).
 */
export async function requestExport(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  request: ExportRequest,
  requestedBy: string | null,
): Promise<ExportView> {
  const now = clock.now();
  const day = now.toISOString().slice(0, 10);
  if (request.kind === 'audience') await findSegmentRules(db, shop, request.segmentId);
  // The same file already being made is that answer: repeated clicks start no second export.
  const format = request.kind === 'shop' ? request.format : request.platform;
  const inFlight = await db
    .selectFrom('exports')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .where('kind', '=', request.kind)
    .where('format', '=', format)
    .where(
      'segment_id',
      request.kind === 'audience' ? '=' : 'is',
      request.kind === 'audience' ? request.segmentId : null,
    )
    .where('status', 'in', ['queued', 'running'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (inFlight) return exportView(inFlight);
  const id = newId('exp');
  const file =
    request.kind === 'shop'
      ? { name: `lojal-${shop.slug}-${day}-${request.format}.zip`, type: 'application/zip' }
      : {
          name: `audience-${request.platform}-${request.segmentId}-${day}.csv`.replace(
            /[^\w.-]/g,
            '_',
          ),
          type: 'text/csv; charset=utf-8',
        };
  const row = await db
    .insertInto('exports')
    .values({
      shop_id: shop.id,
      id,
      kind: request.kind,
      format,
      segment_id: request.kind === 'audience' ? request.segmentId : null,
      requested_by: requestedBy,
      file_name: file.name,
      content_type: file.type,
      created_at: now,
      expires_at: new Date(now.getTime() + EXPORT_DAYS * 86_400_000),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{ ok: boolean }>`
    SELECT to_regprocedure(${ADD_JOB}) IS NOT NULL AS ok`.execute(db);
  if (rows[0]?.ok) {
    await sql`
      SELECT graphile_worker.add_job(
        ${EXPORT_TASK},
        json_build_object('shopId', ${shop.id}::text, 'exportId', ${id}::text),
        job_key := ${`${EXPORT_TASK}:${shop.id}:${id}`}::text,
        -- a failure is recorded by the job itself; a retry is for a worker that died mid-file
        max_attempts := 3)`.execute(db);
  }
  return exportView(row);
}

export async function findExport(db: Db, shopId: string, exportId: string) {
  const row = await db
    .selectFrom('exports')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', exportId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Export ${exportId}`);
  return row;
}

/**
 * Makes an export's file: the whole shop as a zip (COPY on a connection of `pool`), or a
 * segment's audience file. A failure leaves no half file: the export is marked failed with the
 * reason, and a new one can be asked for.
 */
export async function runExportJob(
  pool: pg.Pool,
  db: Db,
  clock: Clock,
  job: { shopId: string; exportId: string },
): Promise<void> {
  const row = await findExport(db, job.shopId, job.exportId);
  if (row.status !== 'queued' && row.status !== 'running') return;
  const shop = await db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', job.shopId)
    .executeTakeFirstOrThrow();
  await dropExportFile(db, shop.id, row.id);
  await db
    .updateTable('exports')
    .set({ status: 'running', started_at: clock.now() })
    .where('shop_id', '=', shop.id)
    .where('id', '=', row.id)
    .execute();
  const sink = new ExportFileSink(db, shop.id, row.id);
  try {
    let rows: number;
    if (row.kind === 'shop') {
      const summary = await writeShopZip(
        pool,
        shop,
        row.format as ShopExportFormat,
        sink,
        row.created_at,
      );
      rows = summary.rows;
    } else {
      const rules = await findSegmentRules(db, shop, row.segment_id!);
      const destination = AUDIENCE_DESTINATIONS[row.format as AudiencePlatform];
      ({ rows } = await writeAudience(db, shop, rules, destination, sink, clock.now()));
      sink.end();
      await finished(sink);
    }
    await db
      .updateTable('exports')
      .set({ status: 'done', rows, bytes: sink.bytes, finished_at: clock.now() })
      .where('shop_id', '=', shop.id)
      .where('id', '=', row.id)
      .execute();
  } catch (error) {
    sink.destroy();
    await dropExportFile(db, shop.id, row.id);
    await db
      .updateTable('exports')
      .set({
        status: 'failed',
        error: (error as Error).message.slice(0, 500),
        finished_at: clock.now(),
      })
      .where('shop_id', '=', shop.id)
      .where('id', '=', row.id)
      .execute();
  }
}

/** The sweep: files past their time are removed, their exports marked expired. */
export async function expireExports(db: Db, clock: Clock): Promise<number> {
  const expired = await db
    .updateTable('exports')
    .set({ status: 'expired' })
    .where('expires_at', '<=', clock.now())
    .where('status', '<>', 'expired')
    .returning(['shop_id', 'id'])
    .execute();
  for (const e of expired) await dropExportFile(db, e.shop_id, e.id);
  return expired.length;
}
