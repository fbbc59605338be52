import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Starts Lojal as its own process, as deployed, on the given database, and waits for /health.
 * The rate limits are lifted: one shop takes all of a benchmark's load, and the limits are not
 * what is measured.
 */
export async function startBenchServer(options: {
  databaseUrl: string;
  port: number;
  adminToken: string;
  processor?: boolean;
  env?: Record<string, string>;
}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      path.join(root, 'apps/server/src/main.ts'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        LOJAL_DEMO: 'false',
        LOJAL_ADMIN_TOKEN: options.adminToken,
        LOJAL_SECRET_KEY: 'a'.repeat(64),
        LOJAL_PROCESSOR: String(options.processor ?? true),
        LOJAL_INGEST_RATE_LIMIT: '1000000',
        LOJAL_API_RATE_LIMIT: '1000000',
        LOJAL_COUPON_RATE_LIMIT: '1000000',
        LOJAL_COUPON_RATE_LIMIT_PER_ADDRESS: '1000000',
        ...options.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await waitUntilUp(child, options.port, 'the server');
  return child;
}

/** Waits (up to a minute) until a server started as `child` answers GET /health on `port`. */
export async function waitUntilUp(child: ChildProcess, port: number, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start`);
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (x: number) => Number(x.toFixed(2));

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Requests sent evenly: one every 1/rate seconds whatever the answers do (an open loop), each
 * latency counted from the moment it was due, so a slow answer cannot hide the queue it causes.
 * This is what "p99 at N requests per second" means; autocannon's rate sends each connection's
 * share of a second back to back and measures bursts instead.
 */
export async function pacedRequests(options: {
  port: number;
  rate: number;
  seconds: number;
  request: (i: number) => PacedRequest;
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = options.rate * options.seconds;
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = options.request(i);
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: options.port,
            method: r.method,
            path: r.path,
            agent,
            headers: r.headers,
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - due);
              if (res.statusCode !== 200) failed++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          failed++;
          resolve();
        });
        req.end(r.body);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    failed,
    latencyP50ms: ms(percentile(latencies, 50)),
    latencyP90ms: ms(percentile(latencies, 90)),
    latencyP99ms: ms(percentile(latencies, 99)),
    latencyMaxms: ms(latencies.at(-1) ?? NaN),
  };
}

/**
 * The bucket of a Prometheus histogram (from /metrics text) that holds its q-quantile, over the
 * observations since `before` (another /metrics text) when given.
 */
export function histogramBucket(
  metrics: string,
  name: string,
  q: number,
  labels: Record<string, string> = {},
  before = '',
): string {
  const count = (text: string) => {
    const counts = new Map<number, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}_bucket{`)) continue;
      const set = Object.fromEntries(
        [...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      if (Object.entries(labels).some(([k, v]) => set[k] !== v)) continue;
      const le = set.le === '+Inf' ? Infinity : Number(set.le);
      counts.set(le, (counts.get(le) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    return counts;
  };
  const earlier = count(before);
  const buckets = [...count(metrics)]
    .map(([le, n]) => [le, n - (earlier.get(le) ?? 0)] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return '–';
  let lower = 0;
  for (const [le, n] of buckets) {
    if (n >= q * total) return `(${lower}, ${le}] s`;
    lower = le;
  }
  return '–';
}

/**
 * `request` evenly paced at `rate` for `seconds`, between two runs of `GET /health` paced the
 * same way (its own database round trip: the floor of the framework and the database), so a
 * drift of the machine during the run shows. The baseline is the higher of the two /health p99s.
 */
export async function pacedAgainstHealth(options: {
  port: number;
  rate: number;
  seconds: number;
  request: (i: number) => PacedRequest;
}) {
  const health = () =>
    pacedRequests({
      ...options,
      request: () => ({ method: 'GET', path: '/health', headers: {} }),
    });
  const before = await health();
  const target = await pacedRequests(options);
  const after = await health();
  const healthP99 = Math.max(before.latencyP99ms, after.latencyP99ms);
  return { before, target, after, healthP99, overHealthP99: ms(target.latencyP99ms - healthP99) };
}
