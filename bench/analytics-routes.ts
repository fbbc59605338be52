/**
 * The analytics pages' data over HTTP at scale (npm run bench:analytics-routes): on the analytics
 * bench database (`BENCH_GENERATE_ONLY=1 npm run bench:analytics` generates it once: 1,000,000
 * customers, 10,000,000 orders; kept between runs), Lojal runs as its own process, as
 * deployed, and this times, one request at a time as a page makes them, authenticated as the
 * shop with an API key:
 *
 * - every `GET /v1/analytics/*` route the running app registers (read from its OpenAPI
 *   document, which the route table feeds, so routes added later are covered without editing
 *   this file), each with a query built from its parameters: `from`/`to` over varied periods
 *   (a week, a month, a quarter, a year, two years, arbitrary ranges, mid-month edges), a
 *   `step` that fits the period, the first value of other required enums;
 * - the points routes the dashboard's points page uses (liability, activity);
 * - the segments page: the list with its counts, and the live count (`POST /v1/segments/preview`)
 *   for a few realistic rule sets;
 * - the CLV fit (`POST /v1/analytics/clv/fit`: fit, save, queue the scoring of every customer;
 *   the bench's server runs no worker), then that scoring job once, timed on its own (a
 *   database without predictions gets a model and its scores first, untimed, so the CLV page's
 *   route reads 1M of them);
 * - `GET /health` (a database round trip), the baseline, interleaved with the others.
 *
 * Prints a table (n, p50, p95, max, errors per route) with the machine's load, and a JSON line.
 *
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_REQUESTS=20          requests per route (the CLV fit: BENCH_FITS, default 3)
 *   BENCH_ROUTE_BUDGET=180     seconds per route: a slower route stops early (n says how many)
 *   BENCH_ONLY=<regex>         only the routes whose label matches
 */
import { loadavg } from 'node:os';
import { connect } from '../apps/server/src/db/connect.ts';
import { withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { rebuildAnalyticsRollups } from '../apps/server/src/analytics/rebuild-analytics-rollups.ts';
import { issueApiKey } from '../apps/server/src/shops/issue-api-key.ts';
import { runCustomerScoring } from '../apps/server/src/analytics/queue-customer-scoring.ts';
import { fitClv, saveClvModel } from '../apps/server/src/analytics/fit-clv.ts';
import { scoreCustomers } from '../apps/server/src/analytics/score-customers.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { ms, percentile, startBenchServer } from './support/server.ts';

const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_analytics';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const FITS = Number(process.env.BENCH_FITS ?? 3);
const BUDGET_MS = 1000 * Number(process.env.BENCH_ROUTE_BUDGET ?? 180);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const PORT = 3927;
const BASE = `http://127.0.0.1:${PORT}`;
/** The bench's orders span 2025-01-01 to 2026-12-31. */
const DATA_FROM = Date.UTC(2025, 0, 1);
const DATA_DAYS = 730;

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The i-th period of the run: fixed shapes first, then seeded arbitrary ranges. */
function period(i: number): { from: string; to: string; days: number } {
  const shapes: Array<[number, number]> = [
    [365, 365], // 2026
    [0, 365], // 2025
    [0, 730], // both years
    [699, 30], // the last 30 days of the data
    [639, 90], // a quarter
    [700, 7], // a week
    [425, 31], // a month, mid-month to mid-month
    [181, 184], // a half year
  ];
  if (i < shapes.length) {
    const [start, days] = shapes[i]!;
    return {
      from: dayOf(DATA_FROM + start * 86_400_000),
      to: dayOf(DATA_FROM + (start + days) * 86_400_000),
      days,
    };
  }
  // a small LCG: the same arbitrary periods every run
  let seed = 7919 * (i + 1);
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const days = 1 + Math.floor(next() * 400);
  const start = Math.floor(next() * (DATA_DAYS - Math.min(days, DATA_DAYS - 1)));
  return {
    from: dayOf(DATA_FROM + start * 86_400_000),
    to: dayOf(DATA_FROM + (start + days) * 86_400_000),
    days,
  };
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { enum?: string[]; type?: string; format?: string };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
}

/** The query for the i-th request of a GET route from its parameters; null when it cannot. */
function queryFor(parameters: Parameter[], i: number): string | null {
  const p = period(i);
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    if (parameter.in === 'path') return null;
    if (parameter.in !== 'query') continue;
    if (parameter.name === 'from') query.set('from', p.from);
    else if (parameter.name === 'to') query.set('to', p.to);
    else if (parameter.name === 'step') {
      const steps = parameter.schema?.enum ?? ['day', 'week', 'month'];
      const step = p.days > 2 * 365 ? 'month' : p.days > 120 ? 'week' : 'day';
      query.set('step', steps.includes(step) ? step : steps[0]!);
    } else if (parameter.required) {
      const values = parameter.schema?.enum;
      if (values?.length) query.set(parameter.name, values[i % values.length]!);
      else if (parameter.schema?.format === 'date') query.set(parameter.name, p.to);
      else return null;
    }
  }
  return query.toString();
}

interface Target {
  label: string;
  method: 'GET' | 'POST';
  /** The path and query (and body) of the i-th request. */
  request: (i: number) => { path: string; body?: unknown };
  count: number;
}

const SEGMENT_RULES: Array<[string, unknown]> = [
  [
    'spent > 500 zł, no order in 90 days',
    {
      all: [
        { fact: 'total_spent', op: 'gt', value: 50_000 },
        { fact: 'days_since_last_order', op: 'gt', value: 90 },
      ],
    },
  ],
  [
    'RFM champions (R ≥ 4, F ≥ 4, M ≥ 4)',
    {
      all: [
        { fact: 'rfm_recency', op: 'gte', value: 4 },
        { fact: 'rfm_frequency', op: 'gte', value: 4 },
        { fact: 'rfm_monetary', op: 'gte', value: 4 },
      ],
    },
  ],
  [
    'one order, 30–180 days ago, e-mail consent',
    {
      all: [
        { fact: 'orders_count', op: 'eq', value: 1 },
        { fact: 'days_since_last_order', op: 'between', value: [30, 180] },
        { fact: 'accepts_email_marketing', op: 'is', value: true },
      ],
    },
  ],
  [
    'AOV over 200 zł or 5+ orders',
    {
      any: [
        { fact: 'average_order_value', op: 'gt', value: 20_000 },
        { fact: 'orders_count', op: 'gte', value: 5 },
      ],
    },
  ],
];

async function main() {
  const { db, pool } = connect(withDatabase(serverUrl, DB), 2);
  const exists = await pool
    .query(`SELECT to_regclass('orders') IS NOT NULL AS ok`)
    .then((r) => r.rows[0].ok as boolean)
    .catch(() => false);
  if (!exists) {
    console.error(`no ${DB}: run npm run bench:analytics first (BENCH_GENERATE_ONLY=1)`);
    process.exit(1);
  }
  await migrate(pool);
  const shop = await db.selectFrom('shops').select('id').executeTakeFirstOrThrow();
  const counts = await pool.query<{ customers: number; orders: number }>(
    `SELECT (SELECT count(*) FROM customers WHERE shop_id = $1)::int AS customers,
            (SELECT count(*) FROM orders WHERE shop_id = $1)::int AS orders`,
    [shop.id],
  );
  // a database fresh from BENCH_GENERATE_ONLY has no rollups yet (the bulk load skips them)
  const empty = async (table: string) =>
    (
      await pool.query<{ empty: boolean }>(
        `SELECT to_regclass($2) IS NOT NULL
                AND NOT EXISTS (SELECT FROM ${table} WHERE shop_id = $1) AS empty`,
        [shop.id, table],
      )
    ).rows[0]!.empty;
  const hasTable = async (table: string) =>
    (await pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table])).rows[0].ok as boolean;
  if (
    (await empty('customer_rollups')) ||
    ((await hasTable('shop_order_days')) && (await empty('shop_order_days')))
  ) {
    const started = performance.now();
    await rebuildAnalyticsRollups(db, shop.id);
    await pool.query('ANALYZE');
    console.log(`rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  // the CLV page reads the customers' predictions: score them once (untimed) if none are there
  const scored = await pool.query(
    `SELECT EXISTS (SELECT FROM customer_predictions WHERE shop_id = $1) AS ok`,
    [shop.id],
  );
  if (!scored.rows[0].ok) {
    const started = performance.now();
    const shopRow = await db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow();
    await saveClvModel(db, shop.id, await fitClv(db, shopRow, '2026-06-30'), new Date());
    const customers = await scoreCustomers(db, shopRow, new Date());
    await pool.query('VACUUM ANALYZE customer_predictions');
    console.log(
      `CLV model fitted and ${customers} customers scored in ${((performance.now() - started) / 1000).toFixed(0)} s (untimed)`,
    );
  }
  const { apiKey } = await issueApiKey(db, shop.id, 'bench:analytics-routes');

  const server = await startBenchServer({
    databaseUrl: withDatabase(serverUrl, DB),
    port: PORT,
    adminToken: 'r'.repeat(40),
    processor: false,
  });
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const health: number[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status };
  };
  const healthProbe = async () => {
    const started = performance.now();
    const res = await fetch(`${BASE}/health`);
    await res.arrayBuffer();
    if (res.ok) health.push(performance.now() - started);
  };

  try {
    const openapi = (await fetch(`${BASE}/openapi.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const targets: Target[] = [];
    const skipped: string[] = [];
    for (const [path, operations] of Object.entries(openapi.paths).sort()) {
      if (!path.startsWith('/v1/analytics/') || !operations.get) continue;
      const parameters = operations.get.parameters ?? [];
      if (queryFor(parameters, 0) === null) {
        skipped.push(`GET ${path} (needs a value this bench cannot choose)`);
        continue;
      }
      targets.push({
        label: `GET ${path}`,
        method: 'GET',
        request: (i) => ({ path: `${path}?${queryFor(parameters, i)}` }),
        count: REQUESTS,
      });
    }
    targets.push(
      {
        label: 'GET /v1/points/liability',
        method: 'GET',
        request: () => ({ path: '/v1/points/liability' }),
        count: REQUESTS,
      },
      {
        label: 'GET /v1/points/activity',
        method: 'GET',
        request: (i) => {
          const p = period(i);
          return { path: `/v1/points/activity?from=${p.from}&to=${p.to}` };
        },
        count: REQUESTS,
      },
      {
        label: 'GET /v1/segments (list, counts)',
        method: 'GET',
        request: () => ({ path: '/v1/segments' }),
        count: REQUESTS,
      },
      ...SEGMENT_RULES.map(([name, rules]): Target => ({
        label: `POST /v1/segments/preview: ${name}`,
        method: 'POST',
        request: () => ({ path: '/v1/segments/preview', body: { rules } }),
        count: REQUESTS,
      })),
      {
        label: 'POST /v1/analytics/clv/fit (fit, save, queue the scoring)',
        method: 'POST',
        request: (i) => ({
          path: '/v1/analytics/clv/fit',
          body: { calibrationEnd: i % 2 === 0 ? '2026-06-30' : '2026-09-30' },
        }),
        count: FITS,
      },
    );

    const load = () =>
      loadavg()
        .map((x) => x.toFixed(2))
        .join(' ');
    const loadBefore = load();
    console.log(
      `${counts.rows[0]!.customers} customers, ${counts.rows[0]!.orders} orders; load average ${loadBefore}`,
    );
    for (let i = 0; i < 5; i++) await healthProbe(); // warm-up
    health.length = 0;

    const rows: Array<{
      route: string;
      n: number;
      p50: number;
      p95: number;
      max: number;
      errors: string;
    }> = [];
    for (const target of targets) {
      if (ONLY && !ONLY.test(target.label)) continue;
      const latencies: number[] = [];
      const errors = new Map<number, number>();
      const started = performance.now();
      for (let i = 0; i < target.count; i++) {
        const { path, body } = target.request(i);
        const answer = await call(target.method, path, body);
        if (answer.status >= 400) errors.set(answer.status, (errors.get(answer.status) ?? 0) + 1);
        latencies.push(answer.ms);
        await healthProbe();
        if (performance.now() - started > BUDGET_MS) break;
      }
      latencies.sort((a, b) => a - b);
      const row = {
        route: target.label,
        n: latencies.length,
        p50: ms(percentile(latencies, 50)),
        p95: ms(percentile(latencies, 95)),
        max: ms(latencies.at(-1) ?? NaN),
        errors: [...errors].map(([status, n]) => `${n}×${status}`).join(' '),
      };
      rows.push(row);
      console.log(
        `  ${row.route}: n ${row.n}, p50 ${row.p50} ms, p95 ${row.p95} ms${row.errors ? `, errors ${row.errors}` : ''}`,
      );
    }
    if (!ONLY || ONLY.test('job: score every customer')) {
      // the job the fits queued, once (the queue's worker does not run in this bench)
      const started = performance.now();
      const scored = await runCustomerScoring(db, systemClock, { shopId: shop.id });
      const took = ms(performance.now() - started);
      await pool.query(`SELECT graphile_worker.remove_job('score-customers:' || $1)`, [shop.id]);
      rows.push({
        route: `job: score every customer (${scored})`,
        n: 1,
        p50: took,
        p95: took,
        max: took,
        errors: '',
      });
      console.log(`  scoring job: ${scored} customers in ${took} ms`);
    }
    health.sort((a, b) => a - b);
    rows.push({
      route: 'GET /health (baseline, interleaved)',
      n: health.length,
      p50: ms(percentile(health, 50)),
      p95: ms(percentile(health, 95)),
      max: ms(health.at(-1) ?? NaN),
      errors: '',
    });
    const loadAfter = load();

    const width = Math.max(...rows.map((r) => r.route.length));
    const cell = (x: number) => String(x).padStart(10);
    console.log(`\n${'route'.padEnd(width)} |    n |    p50 ms |    p95 ms |    max ms | errors`);
    console.log(`${'-'.repeat(width)}-|------|-----------|-----------|-----------|-------`);
    for (const r of rows) {
      console.log(
        `${r.route.padEnd(width)} | ${String(r.n).padStart(4)} |${cell(r.p50)} |${cell(r.p95)} |${cell(r.max)} | ${r.errors}`,
      );
    }
    for (const s of skipped) console.log(`skipped: ${s}`);
    console.log(`load average (1, 5, 15 min): before ${loadBefore}, after ${loadAfter}`);
    console.log(JSON.stringify({ ...counts.rows[0], loadBefore, loadAfter, rows }));
  } finally {
    server.kill('SIGTERM');
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
