/**
 * npm run bench:storefront — the storefront API's `me` (what the widget asks on every page of a
 * signed-in shopper) against GET /health, both evenly paced at the same rate in the same run.
 *
 *   1. A shop with BENCH_CUSTOMERS customers, each with two paid orders (points, a tier
 *      programme, a referral code), through the API; processed; VACUUM ANALYZE and CHECKPOINT.
 *   2. GET /health evenly paced at BENCH_RATE per second for BENCH_SECONDS (its own database
 *      round trip: the floor of the framework and the database).
 *   3. GET /storefront/v1/shops/{shop}/me with a customer token (HS256, a different customer each
 *      request) evenly paced the same way; latency from each request's due time.
 *   4. /health again, so a drift of the machine during the run shows.
 * Prints the p50/p90/p99 of each and `me` p99 − /health p99 (goal: within 5 ms).
 *
 * Runs Lojal as its own process on a fresh database `lojal_bench_storefront` (dropped at the end).
 *   BENCH_CUSTOMERS=2000 BENCH_RATE=1000 BENCH_SECONDS=15
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import os from 'node:os';
import { SignJWT } from 'jose';
import pg from 'pg';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { ms, pacedAgainstHealth, pacedRequests, startBenchServer } from './support/server.ts';
import { reportFigure, size } from './support/figures.ts';
import { BENCH_TIERS } from './support/bench-programme.ts';

const CUSTOMERS = size('BENCH_CUSTOMERS', 2000, 1000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = size('BENCH_SECONDS', 15, 5);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_storefront';
const PORT = 3900 + Math.floor(Math.random() * 90);
const ADMIN = 'bench-operator-token';
const base = `http://127.0.0.1:${PORT}`;

async function api(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** Runs `work` over 0..n-1 with at most `width` at once. */
async function inParallel(n: number, width: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(2));
  await recreateDatabase(serverUrl, DB);
  const server = await startBenchServer({
    databaseUrl: withDatabase(serverUrl, DB),
    port: PORT,
    adminToken: ADMIN,
    env: {
      LOJAL_STOREFRONT_RATE_LIMIT: '100000000',
      LOJAL_STOREFRONT_CUSTOMER_RATE_LIMIT: '100000000',
    },
  });
  try {
    const shop = (await api(ADMIN, 'POST', '/v1/shops', {
      name: 'Storefront bench',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
      locale: 'pl',
    })) as { id: string; apiKey: string };
    await api(shop.apiKey, 'PUT', '/v1/tiers', BENCH_TIERS).catch((error: unknown) =>
      console.warn(`(no tier programme: ${String(error)})`),
    );
    const { secret } = (await api(shop.apiKey, 'POST', '/v1/storefront/secret', {})) as {
      secret: string;
    };

    console.log(`[1] ${CUSTOMERS} customers with two orders each…`);
    const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await inParallel(CUSTOMERS, 16, async (i) => {
      for (const n of [1, 2]) {
        await api(shop.apiKey, 'POST', '/v1/events', {
          type: 'order.paid',
          id: `o-${i}-${n}`,
          occurredAt: at,
          data: {
            id: `o-${i}-${n}`,
            customer: { id: `c-${i}`, firstName: 'Ania', email: `c${i}@example.com` },
            currency: 'PLN',
            total: 12_900 + (i % 50) * 1000,
            createdAt: at,
            lines: [{ productId: 'kawa', quantity: 1, price: 12_900 + (i % 50) * 1000 }],
          },
        });
      }
    });
    for (;;) {
      const db = new pg.Client({ connectionString: withDatabase(serverUrl, DB) });
      await db.connect();
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM inbound_events WHERE status = 'pending'",
      );
      if (rows[0].n === 0) {
        await db.query('VACUUM (ANALYZE)');
        await db.query('CHECKPOINT');
        await db.end();
        break;
      }
      await db.end();
      await new Promise((r) => setTimeout(r, 500));
    }
    const key = new TextEncoder().encode(secret);
    const iat = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all(
      Array.from({ length: CUSTOMERS }, (_, i) =>
        new SignJWT({ firstName: 'Ania' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(`c-${i}`)
          .setIssuedAt(iat)
          .setExpirationTime(iat + 3600)
          .sign(key),
      ),
    );
    const sample = await fetch(`${base}/storefront/v1/shops/${shop.id}/me`, {
      headers: { authorization: `Bearer ${tokens[0]}` },
    });
    const body = (await sample.json()) as { points: { available: number; pending: number } };
    console.log(`    a customer: ${JSON.stringify(body.points)}`);
    // Warm up: the first requests compile the routes' serializers and fill the pool.
    await pacedRequests({
      port: PORT,
      rate: RATE / 2,
      seconds: 3,
      request: (i) => ({
        method: 'GET',
        path: `/storefront/v1/shops/${shop.id}/me`,
        headers: { authorization: `Bearer ${tokens[i % CUSTOMERS]!}` },
      }),
    });

    console.log(
      `[2–4] GET /health, then me, then /health again, evenly paced at ${RATE}/s for ${SECONDS} s each…`,
    );
    const {
      before,
      target: me,
      after,
      healthP99,
    } = await pacedAgainstHealth({
      port: PORT,
      rate: RATE,
      seconds: SECONDS,
      request: (i) => ({
        method: 'GET',
        path: `/storefront/v1/shops/${shop.id}/me`,
        headers: { authorization: `Bearer ${tokens[(i * 7919) % CUSTOMERS]!}` },
      }),
    });
    reportFigure({
      figure: `storefront me p99 at ${RATE}/s`,
      value: me.latencyP99ms,
      unit: 'ms',
      baselineName: '/health p99',
      baseline: healthP99,
      compare: 'difference',
      goal: 5,
      better: 'lower',
    });
    const line = (name: string, r: typeof me) =>
      `${name.padEnd(16)} p50 ${r.latencyP50ms} / p90 ${r.latencyP90ms} / p99 ${r.latencyP99ms} / max ${r.latencyMaxms} ms, failed ${r.failed} of ${r.requests}`;
    console.log(`
Storefront bench: ${CUSTOMERS} customers, evenly paced at ${RATE}/s for ${SECONDS} s each, ${os.cpus().length} cores, load before ${load.join(' ')}
${line('/health (before)', before)}
${line('me', me)}
${line('/health (after)', after)}
me p99 − /health p99 (the higher of the two): ${ms(me.latencyP99ms - healthP99)} ms (goal ≤ 5 ms)`);
    if (me.failed > 0) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
