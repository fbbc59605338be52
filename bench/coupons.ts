/**
 * npm run bench:coupons — coupon validation speed, and bulk code generation.
 *
 *   1. Generation: 100,000 unique codes for one campaign through the API (one call), timed;
 *      then checked: all unique, all matching the pattern. Then VACUUM and CHECKPOINT, so the
 *      validation figures do not include the write-back of the bulk load.
 *   2. Validation, closed loop: POST /v1/coupons/validate at concurrency 32 with autocannon for
 *      BENCH_SECONDS over random generated codes, a cart with lines and a customer: requests per
 *      second and latency p50/p99.
 *   3. Validation, open loop: the same requests evenly paced at BENCH_RATE per second (goal:
 *      p99 < 10 ms at 1,000/s), latency counted from each request's due time.
 *
 * Runs Lojal as its own process on a fresh database `lojal_bench_coupons` (dropped at the end).
 *   BENCH_CODES=100000 BENCH_CONCURRENCY=32 BENCH_SECONDS=15 BENCH_RATE=1000
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
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
import { BENCH_COUPON_CAMPAIGN } from './support/bench-programme.ts';

const CODES = size('BENCH_CODES', 100_000, 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = size('BENCH_SECONDS', 15, 5);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_coupons';
const PORT = 3800 + Math.floor(Math.random() * 90);
const ADMIN = 'bench-operator-token';
const base = `http://127.0.0.1:${PORT}`;

async function api(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
}

function validateBody(code: string, i: number): string {
  return JSON.stringify({
    code,
    customerId: `bench-c${i % 1000}`,
    cart: {
      currency: 'PLN',
      total: 18700,
      lines: [
        { productId: 'kawa-etiopia-250', categoryIds: ['kawa'], quantity: 2, price: 4900 },
        { productId: 'drip-v60', categoryIds: ['akcesoria'], quantity: 1, price: 8900 },
      ],
    },
  });
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(2));
  await recreateDatabase(serverUrl, DB);
  const server = await startBenchServer({
    databaseUrl: withDatabase(serverUrl, DB),
    port: PORT,
    adminToken: ADMIN,
    processor: false,
  });
  let ok = true;
  try {
    const created = await fetch(`${base}/v1/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Coupons bench',
        currency: 'PLN',
        timezone: 'Europe/Warsaw',
        locale: 'pl',
      }),
    });
    const shop = (await created.json()) as { apiKey: string };
    const campaign = (await api(
      shop.apiKey,
      'POST',
      '/v1/coupon-campaigns',
      BENCH_COUPON_CAMPAIGN,
    )) as { id: string };

    console.log(`[1] generating ${CODES} codes…`);
    const started = performance.now();
    await api(shop.apiKey, 'POST', `/v1/coupon-campaigns/${campaign.id}/codes`, {
      count: CODES,
      pattern: { prefix: 'JESIEN', length: 13 },
    });
    const generateSeconds = (performance.now() - started) / 1000;
    const csv = (await api(
      shop.apiKey,
      'GET',
      `/v1/coupon-campaigns/${campaign.id}/codes.csv`,
    )) as string;
    const codes = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    const unique = new Set(codes).size === codes.length && codes.length === CODES;
    const pattern = codes.every((c) => /^JESIEN(-[3-9ACDEFGHJKMNPQRTUVWXY]{1,4}){4}$/.test(c));

    // Let the bulk load settle (write-back, visibility map) so the figures are those of
    // checkouts, not of the aftermath of writing 100,000 rows.
    const settle = new pg.Client({ connectionString: withDatabase(serverUrl, DB) });
    await settle.connect();
    await settle.query('VACUUM (ANALYZE) coupons');
    await settle.query('CHECKPOINT');
    await settle.end();

    console.log(`[2] validating at concurrency ${CONCURRENCY} for ${SECONDS} s…`);
    let next = 0;
    const latencies: number[] = [];
    const closed = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base,
          connections: CONCURRENCY,
          duration: SECONDS,
          requests: [
            {
              method: 'POST',
              path: '/v1/coupons/validate',
              headers: {
                authorization: `Bearer ${shop.apiKey}`,
                'content-type': 'application/json',
              },
              setupRequest: (req: autocannon.Request) => {
                const i = next++;
                return { ...req, body: validateBody(codes[i % codes.length]!, i) };
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      (instance as unknown as { on(e: string, f: (...a: number[]) => void): void }).on(
        'response',
        (_client, _status, _bytes, responseTime) => latencies.push(responseTime!),
      );
    });
    latencies.sort((a, b) => a - b);

    console.log(`[3] validating evenly paced at ${RATE}/s for ${SECONDS} s…`);
    const metricsBefore = await (await fetch(`${base}/metrics`)).text();
    const vsHealth = await pacedAgainstHealth({
      port: PORT,
      rate: RATE,
      seconds: SECONDS,
      request: (i) => ({
        method: 'POST',
        path: '/v1/coupons/validate',
        headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
        body: validateBody(codes[(i * 7919) % codes.length]!, i),
      }),
    });
    const paced = vsHealth.target;
    reportFigure({
      figure: `coupon validation p99 at ${RATE}/s`,
      value: paced.latencyP99ms,
      unit: 'ms',
      baselineName: '/health p99',
      baseline: vsHealth.healthP99,
      compare: 'difference',
      goal: 5,
      better: 'lower',
    });
    const serverP99 = histogramBucket(
      await (await fetch(`${base}/metrics`)).text(),
      'lojal_http_request_duration_seconds',
      0.99,
      { route: '/v1/coupons/validate' },
      metricsBefore,
    );
    const answer = (await api(
      shop.apiKey,
      'POST',
      '/v1/coupons/validate',
      JSON.parse(validateBody(codes[0]!, 0)),
    )) as {
      valid: boolean;
      discount?: { amount: number };
    };

    const figures = {
      codes: codes.length,
      generateSeconds: ms(generateSeconds),
      codesPerSecond: Math.round(CODES / generateSeconds),
      closedRequestsPerSecond: Math.round(closed.requests.total / SECONDS),
      closedP50ms: ms(percentile(latencies, 50)),
      closedP99ms: ms(percentile(latencies, 99)),
      closedNon2xx: closed.non2xx,
      paced,
      pacedServerP99: serverP99,
    };
    console.log(`
== bench:coupons — ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load average before ${load.join(' ')} ==
Generation: ${figures.codes} unique codes in ${figures.generateSeconds} s (${figures.codesPerSecond} codes/s)
Validation at concurrency ${CONCURRENCY}: ${figures.closedRequestsPerSecond} /s, p50 ${figures.closedP50ms} ms, p99 ${figures.closedP99ms} ms, non-2xx ${figures.closedNon2xx}
Validation evenly paced at ${RATE}/s: p50 / p90 / p99 / max ${paced.latencyP50ms} / ${paced.latencyP90ms} / ${paced.latencyP99ms} / ${paced.latencyMaxms} ms, failed ${paced.failed}
  GET /health paced the same way, before / after: p99 ${vsHealth.before.latencyP99ms} / ${vsHealth.after.latencyP99ms} ms; validation p99 − /health p99 = ${vsHealth.overHealthP99} ms (goal ≤ 5 ms)
  of which inside the server (lojal_http_request_duration_seconds): p99 in ${serverP99}
Checks:`);
    for (const [name, passed] of Object.entries({
      'codes all unique': unique,
      'codes match the pattern': pattern,
      'validation answers valid with 15% of the coffee (2 × 49 zł → 14.70 zł)':
        answer.valid && answer.discount?.amount === 1470,
      'no failed requests': closed.non2xx === 0 && closed.errors === 0 && paced.failed === 0,
    })) {
      console.log(`  ${passed ? 'ok  ' : 'FAIL'} ${name}`);
      if (!passed) ok = false;
    }
    console.log(JSON.stringify(figures));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
    await admin.end();
  }
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
