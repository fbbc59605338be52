import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './app.ts';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = path.resolve(serverDir, '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Lojal as a real process (node + tsx, as `npm start` runs it) on the given database. */
export async function startServerProcess(
  databaseUrl: string,
  port?: number,
  env: Record<string, string> = {},
  startTimeoutMs = 120_000,
): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(listenPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOJAL_DEMO: 'false',
      LOJAL_ADMIN_TOKEN: ADMIN_TOKEN,
      LOJAL_SECRET_KEY: 'b'.repeat(64),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${listenPort}`;
  // Two minutes by default: under load (two cores shared by parallel test files, or several
  // nodes of one test starting at once) a start can take 30 s and more.
  for (const until = Date.now() + startTimeoutMs; Date.now() < until;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child, output: () => log, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy:\n${log}`);
}

export async function createShopOver(url: string) {
  const res = await fetch(`${url}/v1/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sklep Procesowy', currency: 'PLN' }),
  });
  if (res.status !== 201)
    throw new Error(`shop creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; apiKey: string; webhookSecret: string };
}

export interface NpmStart {
  url: string;
  /** The `npm start` process, leader of its own process group (as a terminal's foreground job). */
  npm: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * `npm start` as a person runs it in a terminal: from the repository's root, in a process group
 * of its own, on the embedded PostgreSQL in `dataDir`. Resolves once Lojal logs "started".
 */
export async function startWithNpm(dataDir: string): Promise<NpmStart> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // What vitest's own npm run put there, and a database that would replace the embedded one.
    if (!name.startsWith('npm_') && name !== 'INIT_CWD' && name !== 'DATABASE_URL')
      env[name] = value;
  }
  const npm = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    env: {
      ...env,
      LOJAL_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOJAL_DEMO: 'false',
      LOJAL_ADMIN_TOKEN: ADMIN_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  npm.stdout?.on('data', (chunk) => (log += chunk));
  npm.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 600; i++) {
    if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
    if (log.includes('"msg":"started"'))
      return { url: `http://127.0.0.1:${port}`, npm, output: () => log, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(-npm.pid!, 'SIGKILL');
  throw new Error(`npm start did not start:\n${log}`);
}

/** Lojal run directly until it exits by itself (a start that fails), with its output apart. */
export async function runUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: '', PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
