import { existsSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { connect, type Db } from '../db/connect.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { SecretBox } from '../shared/secrets.ts';
import { isProcessAlive } from '../shared/process-alive.ts';
import { StartupError } from '../shared/startup-error.ts';

export interface Runtime {
  db: Db;
  pool: pg.Pool;
  box: SecretBox;
  databaseUrl: string;
  embedded: boolean;
  close(): Promise<void>;
}

interface Log {
  info(msg: string): void;
  debug(msg: string): void;
  warn(msg: string): void;
}

/**
 * Opens what both the server and the CLI need: the database (DATABASE_URL, or the embedded
 * PostgreSQL in the data folder), migrated, and the key that encrypts stored secrets.
 */
export async function openRuntime(
  config: Config,
  log: Log,
  { cli = false } = {},
): Promise<Runtime> {
  let embedded: EmbeddedPostgres | undefined;
  let releaseDataDir = async () => undefined as void;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    if (!cli) releaseDataDir = await claimDataDir(config.dataDir);
    try {
      embedded = await startEmbeddedPostgres(config.dataDir, log, { reuseRunning: cli });
    } catch (error) {
      await releaseDataDir();
      throw error;
    }
    databaseUrl = embedded.url;
  }
  if (
    config.databaseUrl &&
    !config.secretKey &&
    cli &&
    !existsSync(path.join(config.dataDir, 'secret.key'))
  ) {
    // A key made here would encrypt secrets no server can read.
    throw new StartupError(
      'Set LOJAL_SECRET_KEY to the key the server uses (or run from the folder whose .lojal/secret.key it uses).',
    );
  }
  if (config.databaseUrl && !config.secretKey && !cli) {
    log.warn(
      `LOJAL_SECRET_KEY is not set: stored secrets are encrypted with ${path.join(config.dataDir, 'secret.key')}. ` +
        'Every process on this database needs the same key: set LOJAL_SECRET_KEY.',
    );
  }
  const { db, pool } = connect(databaseUrl, cli ? 2 : config.dbPoolSize);
  try {
    const { applied } = await migrate(pool);
    if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    await releaseDataDir();
    throw error;
  }
  return {
    db,
    pool,
    box: await loadSecretBox(config),
    databaseUrl,
    embedded: embedded !== undefined,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
      await releaseDataDir();
    },
  };
}

/**
 * One server per data folder: a second one would take the embedded PostgreSQL for an orphan of
 * a crash and stop it under the first. The pid file of a process that is gone is taken over.
 */
async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'lojal.pid');
  await mkdir(dataDir, { recursive: true }).catch(cannotWrite(dataDir));
  if (existsSync(file)) {
    const pid = Number((await readFile(file, 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
      throw new StartupError(
        `Lojal is already running on ${dataDir} (pid ${pid}); stop it or set LOJAL_DATA_DIR.`,
      );
    }
  }
  await writeFile(file, `${process.pid}\n`).catch(cannotWrite(dataDir));
  return async () => {
    await unlink(file).catch(() => undefined);
  };
}

function cannotWrite(dataDir: string) {
  return (error: NodeJS.ErrnoException): never => {
    throw new StartupError(
      `Lojal cannot write its data folder ${dataDir} (${error.code ?? error.message}). ` +
        'Run it as a user who may write there, or set LOJAL_DATA_DIR to a folder it may write.',
    );
  };
}

/**
 * LOJAL_SECRET_KEY when set (64 hex characters or base64 of 32 bytes); otherwise a key kept in
 * the data folder, created on first use. Losing the key makes stored webhook secrets unreadable.
 */
async function loadSecretBox(config: Config): Promise<SecretBox> {
  if (config.secretKey) return SecretBox.fromString(config.secretKey);
  const file = path.join(config.dataDir, 'secret.key');
  if (existsSync(file)) return SecretBox.fromString((await readFile(file, 'utf8')).trim());
  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  await writeFile(file, key + '\n', { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // another process created it first: use theirs
    },
  );
  return SecretBox.fromString((await readFile(file, 'utf8')).trim());
}
