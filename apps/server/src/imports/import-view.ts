import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';

export const ERRORS_PER_PAGE = 1000;

/**
 * An import as its report shows it: status, progress (rows read, applied, refused), what it
 * changed (or, in a dry run, would change), and the refused rows with their lines and reasons,
 * a page at a time (`errorsAfter`: the last line of the previous page).
 */
export async function importView(
  db: Db,
  shopId: string,
  importId: string,
  options: { errorsAfter?: number; errorsLimit?: number } = {},
) {
  const row = await db
    .selectFrom('imports')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Import ${importId}`);
  const limit = options.errorsLimit ?? ERRORS_PER_PAGE;
  const errors = await db
    .selectFrom('import_rows')
    .select(['line', 'error'])
    .where('shop_id', '=', shopId)
    .where('import_id', '=', importId)
    .where('error', 'is not', null)
    .where('line', '>', options.errorsAfter ?? 0)
    .orderBy('line')
    .limit(limit + 1)
    .execute();
  const page = errors.slice(0, limit);
  const handled = Number(row.rows_applied) + Number(row.rows_failed);
  const read = Number(row.rows_read);
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    fileName: row.file_name,
    dryRun: row.dry_run,
    status: row.status,
    duplicateOf: row.duplicate_of,
    contentHash: row.content_hash,
    progress: {
      rowsRead: read,
      rowsApplied: Number(row.rows_applied),
      rowsFailed: Number(row.rows_failed),
      percent: row.status === 'done' ? 100 : read === 0 ? 0 : Math.floor((handled / read) * 100),
      batches: row.batches,
    },
    changes: row.changes,
    errors: page.map((e) => ({ line: Number(e.line), message: e.error! })),
    nextErrorsAfter: errors.length > limit ? Number(page[page.length - 1]!.line) : null,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export type ImportView = Awaited<ReturnType<typeof importView>>;

/** The shop's latest imports, newest first, without their errors. */
export async function listImports(db: Db, shopId: string) {
  const rows = await db
    .selectFrom('imports')
    .select('id')
    .where('shop_id', '=', shopId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  const views = [];
  for (const row of rows) {
    const {
      errors: _errors,
      nextErrorsAfter: _next,
      ...view
    } = await importView(db, shopId, row.id, {
      errorsLimit: 1,
    });
    views.push(view);
  }
  return views;
}
