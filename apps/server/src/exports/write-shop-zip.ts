import { Readable, type Writable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import yazl from 'yazl';
import { camelCase, copyStatement, EXPORT_KINDS, type ShopExportFormat } from './export-kinds.ts';

export interface ShopZipSummary {
  /** Rows per file, without headers. */
  files: Record<string, number>;
  rows: number;
}

/**
 * Writes the whole shop as a zip to `out`, streamed: each kind is one PostgreSQL `COPY … TO
 * STDOUT` read into one zip entry as it comes, so memory stays flat however big the shop.
 * Every file is read in one REPEATABLE READ transaction: the files agree with each other (an
 * order's lines are all there, a ledger sums to the balances) even while the shop keeps working.
 * `manifest.json` comes last with the row counts. Resolves once `out` has finished.
 */
export async function writeShopZip(
  pool: pg.Pool,
  shop: { id: string; name: string; currency: string; timezone: string },
  format: ShopExportFormat,
  out: Writable,
  at: Date,
  /** `end: false` leaves `out` open (standard output): done once the zip is handed over. */
  { end = true }: { end?: boolean } = {},
): Promise<ShopZipSummary> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const shopLiteral = client.escapeLiteral(shop.id);
    const streams = new Map<string, { rowCount: number }>();
    const zip = new yazl.ZipFile();
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        broken = error;
        zip.outputStream.unpipe(out);
        reject(error);
      };
      zip.on('error', fail);
      zip.outputStream.on('error', fail);
      out.on('error', fail);
      if (end) out.on('finish', resolve);
      else zip.outputStream.on('end', resolve);
      zip.outputStream.pipe(out, { end });
      for (const kind of EXPORT_KINDS) {
        zip.addReadStreamLazy(`${kind.name}.${format}`, { mtime: at }, (cb) => {
          const stream = client.query(copyTo(copyStatement(kind, format, shopLiteral)));
          stream.on('error', fail);
          streams.set(kind.name, stream);
          cb(null, stream);
        });
      }
      zip.addReadStreamLazy('manifest.json', { mtime: at }, (cb) => {
        // A query behind the last COPY answers once that COPY has completed and reported its
        // row count.
        client.query('SELECT 1').then(() => {
          const manifest = {
            format,
            shop: {
              id: shop.id,
              name: shop.name,
              currency: shop.currency,
              timezone: shop.timezone,
            },
            exportedAt: at.toISOString(),
            files: EXPORT_KINDS.map((k) => ({
              name: `${k.name}.${format}`,
              rows: streams.get(k.name)?.rowCount ?? 0,
              columns: k.columns.map((c) => ({
                name: format === 'csv' ? c.name : camelCase(c.name),
                type: c.type,
              })),
            })),
            docs: 'docs/export.md in the Lojal repository describes every file and column',
          };
          cb(null, Readable.from([Buffer.from(JSON.stringify(manifest, null, 2) + '\n')]));
        }, fail);
      });
      zip.end();
    });
    await client.query('COMMIT');
    const files = Object.fromEntries(
      EXPORT_KINDS.map((k) => [k.name, streams.get(k.name)!.rowCount]),
    );
    return { files, rows: Object.values(files).reduce((a, b) => a + b, 0) };
  } catch (error) {
    broken ??= error as Error;
    throw error;
  } finally {
    // A connection left mid-COPY cannot be reused: the pool drops it.
    client.release(broken);
  }
}
