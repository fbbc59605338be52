/**
 * Points benchmark (npm run bench:points). Starts Lojal as its own process on a fresh database on
 * the local PostgreSQL, as deployed (the processor runs in the server), with one shop on the
 * default programme (1 point per full 1 zł of the order after discounts, without shipping).
 *
 *   Phase 1 — N distinct `order.paid` API events over ~BENCH_CUSTOMERS customers are POSTed to
 *   /v1/events at concurrency 32. Measured: acceptance rate and latency, and end to end the time
 *   from the first request until every event is processed and every order has its earn entry
 *   (customer, order, rules, ledger), i.e. orders fully processed per second, and the processing
 *   lag. Then the ledger is checked: Σ earn points = Σ floor(subtotal / 100), each customer's
 *   lifetime earned is what their orders earn, and every account's balance is the sum of its
 *   entries (and of its lots' remaining points less debt).
 *
 *   Phase 1b — right after the burst (nothing vacuumed, analysed or checkpointed by hand), the
 *   customer read evenly paced at BENCH_READ_RATE, between two runs of GET /health paced the
 *   same way: goal p99 within 5 ms of /health's.
 *
 *   Phase 2 — after VACUUM and CHECKPOINT, GET /v1/customers/{id} over random existing customers
 *   at a fixed overall rate for BENCH_READ_SECONDS, twice: with autocannon (overallRate: bursts
 *   per connection per second) and evenly paced against /health as in phase 1b.
 *
 * The database is dropped at the end (BENCH_KEEP_DB=true keeps it for inspection). Exits non-zero
 * when a correctness check fails.
 *
 *   BENCH_N=20000 BENCH_CUSTOMERS=5000 BENCH_CONCURRENCY=32 BENCH_READ_RATE=1000
 *   BENCH_READ_SECONDS=15 BENCH_READ_CONNECTIONS=10 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   (N may also be given as the first argument: npm run bench:points -- 5000)
 */
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import {
  histogramBucket,
  ms,
  pacedAgainstHealth,
  percentile,
  startBenchServer,
} from './support/server.ts';
import { reportFigure, size } from './support/figures.ts';

const N = Number(process.argv[2] ?? size('BENCH_N', 20_000, 5_000));
const CUSTOMERS = size('BENCH_CUSTOMERS', 5_000, 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const READ_RATE = Number(process.env.BENCH_READ_RATE ?? 1000);
const READ_SECONDS = size('BENCH_READ_SECONDS', 15, 5);
// autocannon's default. Its rate is a quota per connection per wall-clock second: each second
// starts with every connection sending back to back until its share is done, so the connection
// count is the concurrency of those bursts (32 → p99 several times higher at the same 500/s).
const READ_CONNECTIONS = Number(process.env.BENCH_READ_CONNECTIONS ?? 10);
const KEEP_DB = process.env.BENCH_KEEP_DB === 'true';
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_points';
const PORT = 3900 + Math.floor(Math.random() * 90);
const ADMIN = 'bench-operator-token';

/** A small seeded generator, so every run sends the same orders. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = ['Zofia', 'Jan', 'Maja', 'Piotr', 'Hanna', 'Jakub', 'Lena', 'Antoni', 'Ola'];
const CATEGORIES = ['coffee', 'tea', 'cups', 'grinders', 'gifts', 'sale', 'new'];

interface Order {
  body: string;
  customerId: string;
  expectedPoints: number;
}

/** N distinct order.paid events, made before the clock starts: the load generator shares the CPU. */
function makeOrders(): Order[] {
  const random = mulberry32(20261123);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const start = Date.now() - N * 1000; // one order a second up to now: recent, none expired
  return Array.from({ length: N }, (_, i) => {
    const c = int(1, CUSTOMERS);
    const customerId = `cust-${String(c).padStart(6, '0')}`;
    const lines = Array.from({ length: int(1, 4) }, () => {
      const productId = `prod-${int(1, 400)}`;
      return {
        productId,
        categoryIds: [CATEGORIES[int(0, CATEGORIES.length - 1)]!],
        quantity: int(1, 3),
        price: int(5, 400) * 100 - (random() < 0.5 ? 1 : 0), // 4.99 … 400.00 zł
      };
    });
    const linesTotal = lines.reduce((s, l) => s + l.price * l.quantity, 0);
    const discount = random() < 0.2 ? Math.floor(linesTotal * 0.1) : 0;
    const subtotal = linesTotal - discount; // after discounts, without shipping
    const shipping = subtotal >= 20_000 ? 0 : 1499;
    const createdAt = new Date(start + i * 1000).toISOString();
    const event = {
      type: 'order.paid',
      id: `evt-order-${i}`,
      occurredAt: createdAt,
      data: {
        id: `order-${i}`,
        customer: {
          id: customerId,
          email: `customer${c}@example.com`,
          firstName: FIRST_NAMES[c % FIRST_NAMES.length],
        },
        currency: 'PLN',
        total: subtotal + shipping,
        subtotal,
        shipping,
        ...(discount > 0 && { discount, discountCodes: ['WELCOME10'] }),
        lines,
        createdAt,
      },
    };
    return { body: JSON.stringify(event), customerId, expectedPoints: Math.floor(subtotal / 100) };
  });
}

function startServer() {
  return startBenchServer({
    databaseUrl: withDatabase(serverUrl, DB),
    port: PORT,
    adminToken: ADMIN,
  });
}

/** Runs autocannon and keeps every response's latency (ms, not rounded) and status. */
async function cannon(options: autocannon.Options) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    // emitted as (client, statusCode, bytes, responseTime), whatever @types/autocannon says
    (instance as NodeJS.EventEmitter).on('response', (...args: unknown[]) => {
      latencies.push(args[3] as number);
    });
  });
  latencies.sort((a, b) => a - b);
  return { result, latencies };
}

/**
 * The bucket of a Prometheus histogram (summed over the series that carry `labels`) that holds
 * its q-quantile, as "(lower, upper] s": the metrics are bucketed, so that is all they tell.
 */
/**
 * Waits until no event is pending or waiting and every order has its earn entry. The poll reads
 * only the partial indexes of open events, so it adds next to nothing to the load it measures;
 * earn entries are counted once nothing is open (they commit with their event).
 */
async function waitUntilProcessed(db: pg.Client, shopId: string, ordersWithCustomer: number) {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM inbound_events WHERE shop_id = $1 AND status = 'pending')
            + (SELECT count(*) FROM inbound_events WHERE shop_id = $1 AND status = 'waiting')
              AS open`,
      [shopId],
    );
    const open = Number(rows[0].open);
    let earned = 0;
    if (open === 0) {
      const counted = await db.query(
        `SELECT count(*)::int AS earned FROM point_entries
         WHERE shop_id = $1 AND kind = 'earn' AND order_id IS NOT NULL`,
        [shopId],
      );
      earned = counted.rows[0].earned as number;
      if (earned >= ordersWithCustomer) return;
    }
    if (open !== last) [last, lastChange] = [open, Date.now()];
    if (Date.now() - lastChange > (open === 0 ? 5_000 : 60_000)) {
      // the checks report what is missing
      console.error(
        `processing stalled: ${open} events pending or waiting, ${earned} earn entries`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function phase1(db: pg.Client, shop: { id: string; apiKey: string }) {
  const orders = makeOrders();
  const expectedByCustomer = new Map<string, number>();
  for (const o of orders) {
    expectedByCustomer.set(
      o.customerId,
      (expectedByCustomer.get(o.customerId) ?? 0) + o.expectedPoints,
    );
  }
  console.log(
    `[phase 1] sending ${N} order.paid events of ${expectedByCustomer.size} customers to /v1/events at concurrency ${CONCURRENCY}…`,
  );
  let next = 0;
  let duplicates = 0;
  const started = Date.now();
  const { result, latencies } = await cannon({
    url: `http://127.0.0.1:${PORT}/v1/events`,
    connections: CONCURRENCY,
    amount: N,
    method: 'POST',
    headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({ ...req, body: orders[next++ % N]!.body }),
        onResponse: (status: number, body: string) => {
          if (status === 202 && body.includes('"duplicate"')) duplicates++;
        },
      },
    ],
  });
  const loaded = Date.now();
  await waitUntilProcessed(db, shop.id, N);
  const finished = Date.now();
  const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();

  const q = async <T>(text: string) => (await db.query(text, [shop.id])).rows[0] as T;
  const events = await q<{ total: number; processed: number; failed: number; lagP99: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'processed')::int AS processed,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            percentile_cont(0.99) WITHIN GROUP (
              ORDER BY extract(epoch FROM processed_at - received_at))::float8 AS "lagP99"
     FROM inbound_events WHERE shop_id = $1`,
  );
  const stored = await q<{ orders: number; withCustomer: number; customers: number }>(
    `SELECT count(*)::int AS orders, count(customer_id)::int AS "withCustomer",
            (SELECT count(*)::int FROM customers WHERE shop_id = $1) AS customers
     FROM orders WHERE shop_id = $1`,
  );
  const ledger = await q<{ earnEntries: number; earnPoints: string; entryPoints: string }>(
    `SELECT count(*) FILTER (WHERE kind = 'earn' AND order_id IS NOT NULL)::int AS "earnEntries",
            COALESCE(sum(points) FILTER (WHERE kind = 'earn' AND order_id IS NOT NULL), 0)::text AS "earnPoints",
            COALESCE(sum(points), 0)::text AS "entryPoints"
     FROM point_entries WHERE shop_id = $1`,
  );
  const accounts = await q<{ balances: string; badBalance: number; badLots: number }>(
    `SELECT COALESCE(sum(a.balance), 0)::text AS balances,
            count(*) FILTER (WHERE a.balance <> COALESCE(e.points, 0))::int AS "badBalance",
            count(*) FILTER (WHERE a.balance <> COALESCE(l.remaining, 0) - a.debt)::int AS "badLots"
     FROM point_accounts a
     LEFT JOIN (SELECT customer_id, sum(points) AS points FROM point_entries WHERE shop_id = $1
                GROUP BY customer_id) e ON e.customer_id = a.customer_id
     LEFT JOIN (SELECT customer_id, sum(remaining) AS remaining FROM point_lots WHERE shop_id = $1
                GROUP BY customer_id) l ON l.customer_id = a.customer_id
     WHERE a.shop_id = $1`,
  );
  const lifetime = await db.query(
    `SELECT c.external_id, a.lifetime_earned::int AS earned FROM point_accounts a
     JOIN customers c ON c.shop_id = a.shop_id AND c.id = a.customer_id WHERE a.shop_id = $1`,
    [shop.id],
  );
  const expectedPoints = orders.reduce((s, o) => s + o.expectedPoints, 0);
  const wrongCustomers =
    lifetime.rows.filter(
      (r: { external_id: string; earned: number }) =>
        expectedByCustomer.get(r.external_id) !== r.earned,
    ).length + Math.max(0, expectedByCustomer.size - lifetime.rows.length);

  const seconds = (loaded - started) / 1000;
  const endToEnd = (finished - started) / 1000;
  const figures = {
    events: N,
    customers: expectedByCustomer.size,
    accepted202: result['2xx'] - duplicates,
    duplicates,
    non2xx: result.non2xx,
    errors: result.errors,
    acceptedPerSecond: Math.round(result['2xx'] / seconds),
    acceptLatencyP50ms: ms(percentile(latencies, 50)),
    acceptLatencyP99ms: ms(percentile(latencies, 99)),
    acceptLatencyMaxms: ms(latencies.at(-1) ?? NaN),
    burstSeconds: Number(seconds.toFixed(2)),
    endToEndSeconds: Number(endToEnd.toFixed(2)),
    backlogAfterBurstSeconds: Number(((finished - loaded) / 1000).toFixed(2)),
    ordersFullyProcessedPerSecond: Math.round(stored.withCustomer / endToEnd),
    processingLagP99s: Number(events.lagP99.toFixed(2)),
    processingLagP99MetricBucket: histogramBucket(metrics, 'lojal_inbound_event_lag_seconds', 0.99),
  };
  const checks = {
    'every event accepted once (202 accepted)': figures.accepted202 === N,
    'every event processed': events.total === N && events.processed === N && events.failed === 0,
    'one order per event, each with its customer': stored.orders === N && stored.withCustomer === N,
    'one customer per distinct customer id': stored.customers === expectedByCustomer.size,
    'one earn entry per order': ledger.earnEntries === stored.withCustomer,
    [`Σ earn points = Σ floor(subtotal / 100) = ${expectedPoints}`]:
      Number(ledger.earnPoints) === expectedPoints,
    'each customer’s lifetime earned = what their orders earn': wrongCustomers === 0,
    [`Σ balances (${accounts.balances}) = Σ entries (${ledger.entryPoints})`]:
      accounts.balances === ledger.entryPoints,
    'each account: balance = Σ its entries = Σ its lots remaining − debt':
      accounts.badBalance === 0 && accounts.badLots === 0,
  };
  return { figures, checks, customerIds: [...expectedByCustomer.keys()] };
}

async function phase2(apiKey: string, customerIds: string[]) {
  const random = mulberry32(7);
  const paths = Array.from(
    { length: 100_000 },
    () => `/v1/customers/${customerIds[Math.floor(random() * customerIds.length)]!}`,
  );
  let next = 0;
  console.log(
    `[phase 2] GET /v1/customers/{id} over ${customerIds.length} customers at ${READ_RATE} requests/s for ${READ_SECONDS} s (${READ_CONNECTIONS} connections)…`,
  );
  const { result, latencies } = await cannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: READ_CONNECTIONS,
    overallRate: READ_RATE,
    duration: READ_SECONDS,
    // autocannon's correction assumes a 1 ms interval at any rate and would add made-up samples
    ignoreCoordinatedOmission: true,
    headers: { authorization: `Bearer ${apiKey}` },
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          method: 'GET',
          path: paths[next++ % paths.length]!,
        }),
      },
    ],
  });
  const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  console.log(`[phase 2] the same reads evenly paced at ${READ_RATE}/s, between two /health runs…`);
  const vsHealth = await pacedCustomerReads(apiKey, customerIds, 'settled (VACUUM, CHECKPOINT)');
  return {
    paced: vsHealth.target,
    healthP99ms: vsHealth.healthP99,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / READ_SECONDS),
    connections: READ_CONNECTIONS,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50ms: ms(percentile(latencies, 50)),
    latencyP90ms: ms(percentile(latencies, 90)),
    latencyP99ms: ms(percentile(latencies, 99)),
    latencyMaxms: ms(latencies.at(-1) ?? NaN),
    serverP99Bucket: histogramBucket(metrics, 'lojal_http_request_duration_seconds', 0.99, {
      method: 'GET',
      route: '/v1/customers/:customerId',
    }),
  };
}

/** Customer reads evenly paced at READ_RATE between two /health runs, and their goal figure. */
async function pacedCustomerReads(apiKey: string, customerIds: string[], when: string) {
  const random = mulberry32(11);
  const vsHealth = await pacedAgainstHealth({
    port: PORT,
    rate: READ_RATE,
    seconds: READ_SECONDS,
    request: () => ({
      method: 'GET',
      path: `/v1/customers/${customerIds[Math.floor(random() * customerIds.length)]!}`,
      headers: { authorization: `Bearer ${apiKey}` },
    }),
  });
  reportFigure({
    figure: `customer read p99 at ${READ_RATE}/s, ${when}`,
    value: vsHealth.target.latencyP99ms,
    unit: 'ms',
    baselineName: '/health p99',
    baseline: vsHealth.healthP99,
    compare: 'difference',
    goal: 5,
    better: 'lower',
  });
  console.log(
    `  customer read ${when}: p50 / p90 / p99 ${vsHealth.target.latencyP50ms} / ${vsHealth.target.latencyP90ms} / ${vsHealth.target.latencyP99ms} ms, /health p99 ${vsHealth.before.latencyP99ms} / ${vsHealth.after.latencyP99ms} ms, over /health ${vsHealth.overHealthP99} ms (goal ≤ 5), failed ${vsHealth.target.failed}`,
  );
  return vsHealth;
}

async function dropDatabase() {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
  await admin.end();
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(2));
  await recreateDatabase(serverUrl, DB);
  const server = await startServer();
  let ok = false;
  try {
    const created = await fetch(`http://127.0.0.1:${PORT}/v1/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Points bench',
        currency: 'PLN',
        timezone: 'Europe/Warsaw',
        locale: 'pl',
      }),
    });
    if (!created.ok)
      throw new Error(`creating the shop: ${created.status} ${await created.text()}`);
    const shop = (await created.json()) as { id: string; apiKey: string };
    const db = new pg.Client({ connectionString: withDatabase(serverUrl, DB) });
    await db.connect();
    const one = await phase1(db, shop);
    // Right after the burst, before anything settles it: what a shopper sees on Black Friday.
    console.log(`[phase 1b] customer reads right after the burst at ${READ_RATE}/s…`);
    const afterBurst = await pacedCustomerReads(
      shop.apiKey,
      one.customerIds,
      'right after the burst',
    );
    // Let the burst's writes settle (write-back, visibility maps, statistics), so the read
    // figures are those of a shop at work, not of the aftermath of 20,000 orders in 10 s.
    await db.query('VACUUM (ANALYZE) customers, orders, point_accounts, point_lots');
    await db.query('CHECKPOINT');
    await db.end();
    const two = await phase2(shop.apiKey, one.customerIds);

    const f = one.figures;
    console.log(`
== bench:points — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load average before ${load.join(' ')} ==
Phase 1: ${f.events} order.paid events (${f.customers} customers) POSTed at concurrency ${CONCURRENCY}
  accepted (202)                       ${f.accepted202} (duplicates ${f.duplicates}, non-2xx ${f.non2xx}, errors ${f.errors})
  accepted per second                  ${f.acceptedPerSecond} /s  (burst ${f.burstSeconds} s)
  acceptance latency p50 / p99 / max   ${f.acceptLatencyP50ms} / ${f.acceptLatencyP99ms} / ${f.acceptLatencyMaxms} ms
  end to end (first request → last order's earn entry)  ${f.endToEndSeconds} s  (backlog after the burst ${f.backlogAfterBurstSeconds} s)
  orders fully processed per second    ${f.ordersFullyProcessedPerSecond} /s   (goal ≥ 1000 /s)
  processing lag p99                   ${f.processingLagP99s} s (received → processed, from inbound_events); lojal_inbound_event_lag_seconds p99 in ${f.processingLagP99MetricBucket}
Phase 2: GET /v1/customers/{id}, ${READ_RATE} requests/s for ${READ_SECONDS} s; autocannon with ${two.connections} connections
  requests                             ${two.requests} (${two.requestsPerSecond} /s), non-2xx ${two.non2xx}, errors ${two.errors}, timeouts ${two.timeouts}
  latency p50 / p90 / p99 / max        ${two.latencyP50ms} / ${two.latencyP90ms} / ${two.latencyP99ms} / ${two.latencyMaxms} ms   (goal p99 < 10 ms)
  in the server (lojal_http_request_duration_seconds) p99 in ${two.serverP99Bucket}
  evenly paced (open loop, from the due time)  p50 / p90 / p99 / max  ${two.paced.latencyP50ms} / ${two.paced.latencyP90ms} / ${two.paced.latencyP99ms} / ${two.paced.latencyMaxms} ms  (goal p99 < 10 ms), failed ${two.paced.failed}
Checks:`);
    ok =
      two.non2xx === 0 &&
      two.errors === 0 &&
      two.paced.failed === 0 &&
      afterBurst.target.failed === 0;
    for (const [name, passed] of Object.entries({
      ...one.checks,
      'customer reads all 2xx': ok,
    })) {
      console.log(`  ${passed ? 'ok  ' : 'FAIL'} ${name}`);
      if (!passed) ok = false;
    }
    console.log(JSON.stringify({ phase1: f, phase2: two, concurrency: CONCURRENCY }));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (!KEEP_DB) await dropDatabase();
  }
  if (!ok) {
    console.error('FAIL: a correctness check failed');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
