import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Text handed to the COPY stream at a time (rows are joined into chunks of about this size). */
const CHUNK_CHARS = 1 << 20;

/**
 * A file's records streamed into import_rows by one `COPY … FROM STDIN` on a connection of its
 * own: one statement for the whole file, so a file is staged whole or not at all (a crash, a
 * refused upload, an error in the middle leave no rows behind), and PostgreSQL parses the rows
 * as they stream instead of one statement per few thousand rows.
 */
export class StagedRows {
  /** The first refused header, as the import's error. */
  headerError: string | null = null;
  rows = 0;
  private chunk: string[] = [];
  private chars = 0;
  private failed: Error | null = null;
  private released = false;
  private readonly prefix: string;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly stream: ReturnType<typeof copyFrom>,
    shopId: string,
    importId: string,
  ) {
    this.prefix = `${escapeCopy(shopId)}\t${escapeCopy(importId)}\t`;
    stream.on('error', (error: Error) => {
      this.failed ??= error;
    });
  }

  static async open(pool: pg.Pool, shopId: string, importId: string): Promise<StagedRows> {
    const client = await pool.connect();
    try {
      const stream = client.query(
        copyFrom('COPY import_rows (shop_id, import_id, line, key, data, error) FROM STDIN'),
      );
      return new StagedRows(client, stream, shopId, importId);
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  async add(line: number, key: string | null, record: unknown, error: string | null) {
    if (this.failed) throw this.failed;
    if (error?.startsWith('header: ')) this.headerError = `line ${line}: ${error}`;
    const text =
      this.prefix +
      `${line}\t${copyField(key)}\t${record === null ? '\\N' : escapeCopy(JSON.stringify(record))}\t${copyField(error)}\n`;
    this.chunk.push(text);
    this.chars += text.length;
    this.rows++;
    if (this.chars >= CHUNK_CHARS) await this.send();
  }

  /** Ends the COPY: every row added is in import_rows once this resolves. */
  async finish(): Promise<void> {
    try {
      await this.send();
      if (!this.stream.closed) {
        const ended = finished(this.stream);
        this.stream.end();
        await ended;
      }
      if (this.failed) throw this.failed;
      this.release();
    } catch (error) {
      this.release(error as Error);
      throw error;
    }
  }

  /** Abandons the COPY (PostgreSQL rolls it back: none of its rows stay). */
  async abort(reason: Error): Promise<void> {
    if (this.released) return;
    if (!this.stream.closed) {
      // PostgreSQL answers the CopyFail with an error, then the stream closes.
      const closed = finished(this.stream).catch(() => undefined);
      this.stream.destroy(reason);
      await closed;
    }
    // The connection is dropped rather than trusted again.
    this.release(reason);
  }

  private release(error?: Error): void {
    if (this.released) return;
    this.released = true;
    this.client.release(error);
  }

  private async send(): Promise<void> {
    if (this.chunk.length === 0) return;
    const text = this.chunk.join('');
    this.chunk = [];
    this.chars = 0;
    if (!this.stream.write(text)) {
      // The listener that did not fire is removed (a big file waits here thousands of times).
      const waited = new AbortController();
      const { signal } = waited;
      try {
        await Promise.race([
          once(this.stream, 'drain', { signal }),
          once(this.stream, 'close', { signal }),
        ]);
      } finally {
        waited.abort();
      }
    }
    if (this.failed) throw this.failed;
  }
}

function finished(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.once('close', () => resolve());
  });
}

function copyField(value: string | null): string {
  return value === null ? '\\N' : escapeCopy(value);
}

/** A value in COPY's text format: backslash, tab and line breaks escaped. */
export function escapeCopy(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c as '\\' | '\t' | '\n' | '\r'])
    : value;
}

const COPY_ESCAPES = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
