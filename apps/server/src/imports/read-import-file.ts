import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { phoneRegionOf, toE164 } from '../shared/phone.ts';
import { readCsv } from '../shared/read-csv.ts';
import type { ShopRow } from '../shops/shop.ts';
import { mapHeader, recordFromJson, recordFromRow, type ImportFormat } from './import-formats.ts';
import { checkRecord, type ImportKind } from './import-records.ts';
import { StagedRows } from './stage-rows.ts';

export interface ReadImportInput {
  kind: ImportKind;
  format: ImportFormat;
  fileName: string | null;
  dryRun: boolean;
  actor: string;
  idempotencyKey?: string;
  /** The file's bytes as they arrive (an upload, a file on disk). */
  body: AsyncIterable<Buffer | string>;
  /** The most bytes read; more is refused (413) and the import fails. */
  maxBytes: number;
}

/** While a file streams in, the import's heartbeat is renewed this often (the sweep's sign of life). */
const HEARTBEAT_MS = 30_000;

/**
 * Reads a file into import_rows as it streams in (never whole in memory): every record is
 * checked on its own, and kept with its line and, when refused, every problem found in it.
 * Then: a key that is on two lines refuses the later ones; the file's SHA-256 decides whether
 * it was imported already (then nothing more happens: status "duplicate"). Returns the import's id.
 */
export async function readImportFile(
  db: Db,
  pool: pg.Pool,
  clock: Clock,
  shop: ShopRow,
  input: ReadImportInput,
): Promise<string> {
  if (input.idempotencyKey) {
    const earlier = await earlierImport(db, shop.id, input);
    if (earlier) return earlier;
  }
  const id = newId('imp');
  const now = clock.now();
  await db
    .insertInto('imports')
    .values({
      shop_id: shop.id,
      id,
      kind: input.kind,
      format: input.format,
      file_name: input.fileName,
      dry_run: input.dryRun,
      status: 'reading',
      heartbeat_at: now,
      idempotency_key: input.idempotencyKey ?? null,
      actor: input.actor,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const hash = createHash('sha256');
  let bytes = 0;
  async function* counted() {
    for await (const chunk of input.body) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > input.maxBytes) throw problems.payloadTooLarge(input.maxBytes);
      hash.update(chunk);
      yield chunk;
    }
  }
  let rows: StagedRows | null = null;
  // The sweep takes an import reading without a heartbeat for a while for one whose reader died.
  const beat = setInterval(
    () => void heartbeat(db, clock, shop.id, id).catch(() => undefined),
    HEARTBEAT_MS,
  );
  try {
    rows = await StagedRows.open(pool, shop.id, id);
    const region = phoneRegionOf(shop);
    for await (const raw of records(input, counted())) {
      if ('error' in raw) {
        await rows.add(raw.line, null, null, raw.error);
        continue;
      }
      const checked = checkRecord(input.kind, raw.record, {
        customerByEmail: input.format === 'smile' || input.format === 'loyaltylion',
      });
      if ('errors' in checked) {
        await rows.add(raw.line, null, null, checked.errors.join('; '));
        continue;
      }
      const record = checked.record;
      if (typeof record.phone === 'string') {
        const phone = toE164(record.phone, region);
        if (phone === null) {
          await rows.add(raw.line, null, null, `phone: "${record.phone}" is not a phone number`);
          continue;
        }
        record.phone = phone;
      }
      if (input.kind === 'customers') record.lojalId = newId('cus');
      if (input.kind === 'orders') record.lojalId = newId('ord');
      await rows.add(raw.line, checked.key, record, null);
    }
    await rows.finish();
  } catch (error) {
    // The COPY is abandoned whole: no row of the file stays.
    await rows?.abort(error as Error);
    await finishReading(db, clock, shop.id, id, {
      status: 'failed',
      error: (error as Error).message,
    });
    throw error;
  } finally {
    clearInterval(beat);
  }
  // Fresh statistics: the batches' joins of a big file's rows are planned on them (taken for a
  // few rows, a batch's 50,000 were joined to each customer by a nested loop).
  await sql`ANALYZE import_rows`.execute(db);
  await refuseRepeatedKeys(db, shop.id, id, input.kind);
  return finishReading(db, clock, shop.id, id, {
    status: rows.headerError ? 'failed' : 'ready',
    error: rows.headerError,
    contentHash: hash.digest('hex'),
  });
}

type RawRecord =
  { line: number; record: Record<string, unknown> } | { line: number; error: string };

/** The file's records with their lines, in the format's own way. */
async function* records(
  input: ReadImportInput,
  body: AsyncIterable<Buffer | string>,
): AsyncGenerator<RawRecord> {
  if (input.format === 'lojal-json') {
    for await (const { line, text } of jsonLines(body)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { line, error: 'is not valid JSON' };
        continue;
      }
      const record = recordFromJson(input.kind, value);
      yield 'error' in record ? { line, error: String(record.error) } : { line, record };
    }
    return;
  }
  let header: ReturnType<typeof mapHeader> | null = null;
  for await (const row of readCsv(body)) {
    if (header === null) {
      header = mapHeader(input.format, input.kind, row.fields);
      if (header.errors.length > 0) {
        yield { line: row.line, error: `header: ${header.errors.join('; ')}` };
        return;
      }
      continue;
    }
    if (row.error) {
      yield { line: row.line, error: row.error };
      continue;
    }
    const record = recordFromRow(input.format, header, row.fields);
    yield 'error' in record
      ? { line: row.line, error: String(record.error) }
      : { line: row.line, record };
  }
}

async function* jsonLines(body: AsyncIterable<Buffer | string>) {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let line = 0;
  for await (const chunk of body) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      line++;
      const text = rest.slice(0, at).trim();
      rest = rest.slice(at + 1);
      if (text !== '') yield { line, text };
    }
  }
  line++;
  if (rest.trim() !== '') yield { line, text: rest.trim() };
}

/** A key on several lines: the first is imported, the others are refused naming it. */
async function refuseRepeatedKeys(
  db: Db,
  shopId: string,
  importId: string,
  kind: ImportKind,
): Promise<void> {
  // The repeats first (usually none), so the update touches only them.
  await sql`
    WITH repeats AS MATERIALIZED (
      SELECT line, first FROM (
        SELECT line, first_value(line) OVER (PARTITION BY key ORDER BY line) AS first
        FROM import_rows
        WHERE shop_id = ${shopId} AND import_id = ${importId} AND error IS NULL
      ) x WHERE first <> line
    )
    UPDATE import_rows r SET error = ${`the same ${REPEATED[kind]} is on line `} || d.first
    FROM repeats d
    WHERE r.shop_id = ${shopId} AND r.import_id = ${importId} AND r.line = d.line`.execute(db);
}

const REPEATED: Record<ImportKind, string> = {
  customers: 'customer',
  orders: 'order',
  refunds: 'refund',
  points: 'customer and lot',
  tiers: 'customer',
  'referral-codes': 'customer',
  coupons: 'code',
  'gift-cards': 'code',
};

async function finishReading(
  db: Db,
  clock: Clock,
  shopId: string,
  id: string,
  end: { status: 'ready' | 'failed'; error: string | null; contentHash?: string },
): Promise<string> {
  const counts = sql`
    rows_read = (SELECT count(*) FROM import_rows WHERE shop_id = ${shopId} AND import_id = ${id}),
    rows_failed = (SELECT count(*) FROM import_rows WHERE shop_id = ${shopId} AND import_id = ${id} AND error IS NOT NULL)`;
  const now = clock.now();
  try {
    await sql`
      UPDATE imports SET status = ${end.status}, error = ${end.error}, content_hash = ${end.contentHash ?? null},
        ${counts}, updated_at = ${now}, finished_at = ${end.status === 'failed' ? now : null},
        duplicate_of = (SELECT d.id FROM imports d, imports me
                        WHERE me.shop_id = ${shopId} AND me.id = ${id} AND d.shop_id = ${shopId}
                          AND d.id <> ${id} AND NOT d.dry_run AND d.status IN ('ready', 'running', 'done')
                          AND d.kind = me.kind AND d.format = me.format AND d.content_hash = ${end.contentHash ?? null}
                        ORDER BY d.created_at LIMIT 1)
      WHERE shop_id = ${shopId} AND id = ${id}`.execute(db);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    // The same file was imported before: nothing of it is applied again.
    await db
      .deleteFrom('import_rows')
      .where('shop_id', '=', shopId)
      .where('import_id', '=', id)
      .execute();
    await sql`
      UPDATE imports me SET status = 'duplicate', content_hash = ${end.contentHash ?? null},
        updated_at = ${now}, finished_at = ${now},
        duplicate_of = (SELECT d.id FROM imports d WHERE d.shop_id = ${shopId} AND NOT d.dry_run
                          AND d.status IN ('ready', 'running', 'done') AND d.kind = me.kind
                          AND d.format = me.format AND d.content_hash = ${end.contentHash ?? null})
      WHERE shop_id = ${shopId} AND id = ${id}`.execute(db);
  }
  return id;
}

/** The reader is alive: an import still reading without a heartbeat for a while has died. */
async function heartbeat(db: Db, clock: Clock, shopId: string, id: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({ heartbeat_at: clock.now() })
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .execute();
}

/** The import an Idempotency-Key made before; the same key with another file is a conflict. */
async function earlierImport(
  db: Db,
  shopId: string,
  input: ReadImportInput,
): Promise<string | null> {
  const earlier = await db
    .selectFrom('imports')
    .select(['id', 'content_hash', 'kind', 'format'])
    .where('shop_id', '=', shopId)
    .where('idempotency_key', '=', input.idempotencyKey!)
    .executeTakeFirst();
  if (!earlier) return null;
  const hash = createHash('sha256');
  for await (const chunk of input.body) hash.update(chunk);
  if (
    earlier.content_hash !== hash.digest('hex') ||
    earlier.kind !== input.kind ||
    earlier.format !== input.format
  ) {
    throw problems.conflict('This Idempotency-Key was used for another file.');
  }
  return earlier.id;
}
