/**
 * Ingestion benchmark (npm run bench:ingest). Starts Lojal as its own process on the local
 * PostgreSQL, sends N signed Shopify orders/paid deliveries at concurrency 32, waits until the
 * processor has drained them, checks that exactly N orders exist, and measures PostgreSQL's own
 * rate of single-row insert transactions at the same concurrency on the same database.
 *
 * Four scenarios, the first three each on a fresh database:
 *   together — the server as deployed: the processor runs in it while the burst arrives;
 *   apart    — the server only accepts (LOJAL_PROCESSOR=false); then a processor drains the
 *              backlog alone, which gives each side's own capacity;
 *   pull     — a history backfill of BENCH_PULL_N orders (default 100,000) pulled from a local
 *              BaseLinker fake (bench/pull.ts; BENCH_PULL=false skips it);
 *   floor    — the framework's own floor: the same deliveries to a plain Fastify route that
 *              checks the HMAC and parses the JSON, nothing else (bench/support/floor-server.ts),
 *              so the accept rate can be read against what Node and Fastify allow on this machine.
 *
 *   BENCH_PG_SAMPLE=1 prints where PostgreSQL's time went during the drain (bench/support/pg-sampler.ts)
 *   BENCH_N=20000 BENCH_CONCURRENCY=32 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { connect } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { EventProcessor } from '../apps/server/src/ingest/event-processor.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { silentLogger } from '../apps/server/src/shared/logger.ts';
import { reactions } from '../apps/server/src/app/reactions.ts';
import { pgInsertBaseline } from './support/pg-baseline.ts';
import { startPgSampler } from './support/pg-sampler.ts';
import { pullScenario } from './pull.ts';
import { startBenchServer, waitUntilUp } from './support/server.ts';
import { quick, reportFigure, size } from './support/figures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const N = size('BENCH_N', 20_000, 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench';
const PORT = 3900 + Math.floor(Math.random() * 90);
const ADMIN = 'bench-operator-token';
const PULL_N = size('BENCH_PULL_N', 100_000, 10_000);

function startServer(processor: boolean) {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server
  return startBenchServer({
    databaseUrl: withDatabase(serverUrl, DB),
    port: PORT,
    adminToken: ADMIN,
    processor,
  });
}

/** The Shopify sample order with its ids replaced, so every delivery is a distinct order. */
function orderTemplate() {
  const text = readFileSync(
    path.join(root, 'apps/server/test/fixtures/webhooks/shopify/orders-create.json'),
    'utf8',
  );
  const base = JSON.parse(text);
  base.financial_status = 'paid';
  base.cancelled_at = null;
  return (i: number) => {
    base.id = 900000000000000000 + i; // beyond 2^53 like real Shopify ids; gid carries the truth
    base.admin_graphql_api_id = `gid://shopify/Order/${900000000000000000n + BigInt(i)}`;
    base.customer.admin_graphql_api_id = `gid://shopify/Customer/${700000000000000000n + BigInt(i % Math.max(1, Math.floor(N / 3)))}`;
    base.updated_at = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    return JSON.stringify(base);
  };
}

async function load(shopId: string, secret: string, port = PORT) {
  // Bodies and signatures are made before the clock starts: the load generator shares the CPU.
  const makeBody = orderTemplate();
  const deliveries = Array.from({ length: N }, (_, i) => {
    const body = makeBody(i);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/paid',
        'x-shopify-webhook-id': `bench-${i}`,
        'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      },
    };
  });
  let next = 0;
  const started = Date.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/webhooks/shopify/${shopId}`,
    connections: CONCURRENCY,
    amount: N,
    method: 'POST',
    requests: [
      { setupRequest: (req: autocannon.Request) => ({ ...req, ...deliveries[next++ % N] }) },
    ],
  });
  // autocannon's own duration is rounded to whole seconds; measure the burst here
  return { result, started, seconds: (Date.now() - started) / 1000 };
}

async function waitForDrain(db: pg.Client, shopId: string) {
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'failed')::int AS failed FROM inbound_events WHERE shop_id = $1`,
      [shopId],
    );
    if (rows[0].pending === 0) return rows[0] as { pending: number; failed: number };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function scenario(name: 'together' | 'apart') {
  await recreateDatabase(serverUrl, DB);
  const server = await startServer(name === 'together');
  try {
    const created = await fetch(`http://127.0.0.1:${PORT}/v1/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench shop', currency: 'USD' }),
    });
    const shop = (await created.json()) as { id: string; webhookSecret: string };
    const db = new pg.Client({ connectionString: withDatabase(serverUrl, DB) });
    await db.connect();

    console.log(
      `[${name}] sending ${N} signed Shopify orders/paid deliveries at concurrency ${CONCURRENCY}…`,
    );
    const { result, started, seconds } = await load(shop.id, shop.webhookSecret);
    const loaded = Date.now();
    let drainSeconds: number | undefined;
    if (name === 'apart') {
      const { db: kysely } = connect(withDatabase(serverUrl, DB), 4);
      // BENCH_PG_SAMPLE=1 prints where PostgreSQL's time went during the drain
      const sampler =
        process.env.BENCH_PG_SAMPLE === '1'
          ? startPgSampler(withDatabase(serverUrl, DB), DB)
          : undefined;
      const t0 = Date.now();
      await new EventProcessor(kysely, systemClock, silentLogger, { reactions }).drain();
      drainSeconds = (Date.now() - t0) / 1000;
      if (sampler) console.log(`[apart] the drain, ${await sampler.stop(25)}`);
      await kysely.destroy();
    }
    const drained = await waitForDrain(db, shop.id);
    const finished = Date.now();
    const { rows } = await db.query(
      'SELECT count(*)::int AS orders FROM orders WHERE shop_id = $1',
      [shop.id],
    );
    await db.end();
    const orders = rows[0].orders as number;
    const accepted = result['2xx'];
    const figures = {
      scenario: name,
      deliveries: N,
      accepted2xx: accepted,
      non2xx: result.non2xx,
      errors: result.errors,
      acceptedPerSecond: Math.round(accepted / seconds),
      latencyP50ms: result.latency.p50,
      latencyP99ms: result.latency.p99,
      ordersStored: orders,
      failedEvents: drained.failed,
      ordersProcessedPerSecond:
        drainSeconds !== undefined
          ? Math.round(orders / drainSeconds)
          : Math.round(orders / ((finished - started) / 1000)),
      backlogAfterBurstSeconds: Number(((finished - loaded) / 1000).toFixed(1)),
    };
    if (orders !== N || accepted !== N) {
      console.error(`FAIL: expected exactly ${N} orders and ${N} accepted deliveries`);
      process.exitCode = 1;
    }
    return figures;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

/** The same deliveries to a plain Fastify route (HMAC check and JSON parse only). */
async function floor() {
  const port = PORT + 100;
  const secret = 'floor-secret';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'support/floor-server.ts')],
    { cwd: root, env: { ...process.env, PORT: String(port), SECRET: secret }, stdio: 'inherit' },
  );
  try {
    await waitUntilUp(child, port, 'the floor server');
    console.log(
      `[floor] sending ${N} deliveries to a plain Fastify route at concurrency ${CONCURRENCY}…`,
    );
    const { result, seconds } = await load('floor', secret, port);
    if (result['2xx'] !== N) {
      console.error(`FAIL: the floor route answered ${result['2xx']} of ${N} with 2xx`);
      process.exitCode = 1;
    }
    return {
      scenario: 'floor',
      acceptedPerSecond: Math.round(result['2xx'] / seconds),
      latencyP50ms: result.latency.p50,
      latencyP99ms: result.latency.p99,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main() {
  const together = await scenario('together');
  const apart = await scenario('apart');
  const framework = await floor();
  const pull =
    process.env.BENCH_PULL === 'false' || (quick && process.env.BENCH_PULL !== 'true')
      ? null
      : await pullScenario({ serverUrl, n: PULL_N });
  const baseline = pgInsertBaseline(withDatabase(serverUrl, DB), CONCURRENCY);
  console.table([together, apart]);
  console.log(
    `PostgreSQL single-row insert transactions: ${Math.round(baseline.tps)}/s (${baseline.how})`,
  );
  console.log(
    `Framework floor (plain Fastify route: HMAC check and JSON parse, no database): ${framework.acceptedPerSecond}/s, p50 ${framework.latencyP50ms} ms, p99 ${framework.latencyP99ms} ms = ${(framework.acceptedPerSecond / baseline.tps).toFixed(2)}× PostgreSQL insert tps`,
  );
  for (const f of [together, apart]) {
    console.log(
      `[${f.scenario}] accepted/s ÷ PostgreSQL insert tps = ${(f.acceptedPerSecond / baseline.tps).toFixed(2)}; ÷ framework floor = ${(f.acceptedPerSecond / framework.acceptedPerSecond).toFixed(2)}`,
    );
  }
  const vsPg = { baselineName: 'PG insert tps', baseline: Math.round(baseline.tps) } as const;
  reportFigure({
    figure: 'accepted/s, processing running',
    value: together.acceptedPerSecond,
    unit: '/s',
    ...vsPg,
    compare: 'ratio',
    goal: 0.35,
    better: 'higher',
  });
  reportFigure({
    figure: 'accept p99, processing running',
    value: together.latencyP99ms,
    unit: 'ms',
    compare: 'absolute',
    goal: 50,
    better: 'lower',
  });
  reportFigure({
    figure: 'accepted/s, accept only',
    value: apart.acceptedPerSecond,
    unit: '/s',
    ...vsPg,
    compare: 'ratio',
    goal: 0.6,
    better: 'higher',
  });
  reportFigure({
    figure: 'accepted/s, accept only, against the framework floor',
    value: apart.acceptedPerSecond,
    unit: '/s',
    baselineName: 'plain Fastify route /s',
    baseline: framework.acceptedPerSecond,
    compare: 'ratio',
    goal: 0.6 / 0.7, // the floor ran at 0.7× PostgreSQL; 0.6× PostgreSQL is 0.86× that floor
    better: 'higher',
  });
  reportFigure({
    figure: 'orders fully processed/s (drain)',
    value: apart.ordersProcessedPerSecond,
    unit: '/s',
    ...vsPg,
    compare: 'ratio',
    goal: 0.2,
    better: 'higher',
  });
  if (pull) {
    console.table([pull]);
    console.log(
      `[pull] ${pull.orders} BaseLinker orders backfilled: ${pull.ordersPerSecond} orders/s ÷ PostgreSQL insert tps = ${(pull.ordersPerSecond / baseline.tps).toFixed(2)}`,
    );
  }
  console.log(
    JSON.stringify({
      together,
      apart,
      floor: framework,
      pull,
      postgresInsertTps: Math.round(baseline.tps),
      concurrency: CONCURRENCY,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
