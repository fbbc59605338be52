import { Writable } from 'node:stream';
import type { Db } from '../db/connect.ts';

/** The size of one stored piece of an export file. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A writable that stores what it is given as an export's file, in numbered pieces of about
 * 1 MiB in `export_chunks`: memory holds one piece at a time, and each write waits for its
 * INSERT (backpressure up to the zip and the COPY).
 */
export class ExportFileSink extends Writable {
  bytes = 0;
  private seq = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly db: Db,
    private readonly shopId: string,
    private readonly exportId: string,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.bytes += chunk.length;
    if (this.pendingBytes < CHUNK_BYTES) return done();
    this.flush().then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush().then(() => done(), done);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.db
      .insertInto('export_chunks')
      .values({ shop_id: this.shopId, export_id: this.exportId, seq: this.seq++, data })
      .execute();
  }
}

/** The stored file's pieces in order, read one at a time. */
export async function* readExportFile(
  db: Db,
  shopId: string,
  exportId: string,
): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const row = await db
      .selectFrom('export_chunks')
      .select('data')
      .where('shop_id', '=', shopId)
      .where('export_id', '=', exportId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) return;
    yield row.data;
  }
}

/** Forgets a file's pieces (a retried job starts over; an expired file is removed). */
export async function dropExportFile(db: Db, shopId: string, exportId: string): Promise<void> {
  await db
    .deleteFrom('export_chunks')
    .where('shop_id', '=', shopId)
    .where('export_id', '=', exportId)
    .execute();
}
