import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { placeFor } from '../../src/db/embedded.ts';
import {
  createCluster,
  startServer,
  type RunningServer,
  type ServerPaths,
} from '../../src/db/embedded-server.ts';
import { migrate } from '../../src/db/migrate.ts';
import { freePort } from '../support/server-process.ts';

/**
 * A PostgreSQL cluster of the test's own, in a temporary folder, on a port of its own (never
 * the machine's server on 5432): the fault tests stop, restart and reconfigure it at will.
 * Run with the same binaries and code as Lojal's embedded database (as the `postgres` user
 * when the tests run as root).
 */
export interface ThrowawayCluster {
  port: number;
  /** `postgres://…/<database>` on this cluster. */
  url(database?: string): string;
  /** A new empty database (migrated unless `migrated: false`); returns its URL. */
  createDatabase(options?: { migrated?: boolean }): Promise<string>;
  /** Runs one statement as the superuser on `database` (default `postgres`). */
  admin<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    database?: string,
  ): Promise<pg.QueryResult<R>>;
  /** "Fast" shutdown: open transactions roll back, clients are disconnected. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const quiet = { info: () => undefined, debug: () => undefined, warn: () => undefined };

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lojal-fault-pg-'));
  const password = randomBytes(12).toString('hex');
  const paths: ServerPaths = await placeFor(dataDir, quiet);
  await createCluster(paths, password);
  const port = await freePort();
  let server: RunningServer | undefined = await startServer(paths, port, quiet);
  const url = (database = 'postgres') =>
    `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  const admin = async <R extends pg.QueryResultRow>(text: string, database = 'postgres') => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query<R>(text);
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    admin,
    async createDatabase({ migrated = true } = {}) {
      const name = `fault_${randomBytes(5).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      if (migrated) {
        const pool = readerPool(url(name));
        try {
          await migrate(pool);
        } finally {
          await pool.end();
        }
      }
      return url(name);
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startServer(paths, port, quiet);
    },
    async destroy() {
      await server?.stop();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A database URL's pool for the test's own reads, which survives the cluster's restarts. */
export function readerPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return pool;
}
