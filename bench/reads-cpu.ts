/**
 * npx tsx bench/reads-cpu.ts — the server's CPU per request of the hot reads, measured in
 * process so that a busy machine matters less than in the paced benchmarks: Lojal's app
 * (`buildApp`, no processor thread) on a fresh database, driven with `inject` (no sockets, no
 * HTTP parsing), 8 requests in flight. For each route: 3,000 requests to warm up, then
 * BENCH_REQUESTS measured, three rounds; the figure is this process's CPU time (user + system,
 * all its threads: GC helpers and the libuv pool included) per request. PostgreSQL's own time
 * is not in it.
 *
 *   GET /health · GET /storefront/v1/shops/{id}/me · GET /v1/customers/{id} ·
 *   POST /v1/coupons/validate
 *
 *   BENCH_CUSTOMERS=2000 BENCH_REQUESTS=3000 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import os from 'node:os';
import { SignJWT } from 'jose';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app/build-app.ts';
import { reactions } from '../apps/server/src/app/reactions.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { connect } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { EventProcessor, observeInto } from '../apps/server/src/ingest/event-processor.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { createMetrics } from '../apps/server/src/shared/metrics.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { BENCH_COUPON_CAMPAIGN, BENCH_TIERS } from './support/bench-programme.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const IN_FLIGHT = 8;
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_reads_cpu';
const ADMIN = 'bench-operator-token';

interface Call {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

async function main() {
  await recreateDatabase(serverUrl, DB);
  const url = withDatabase(serverUrl, DB);
  const { db, pool } = connect(url, 20);
  await migrate(pool);
  const metrics = createMetrics();
  const config = {
    ...loadConfig({ LOJAL_ADMIN_TOKEN: ADMIN, DATABASE_URL: url }),
    storefrontRateLimit: 1e9,
    storefrontCustomerRateLimit: 1e9,
    apiRateLimit: 1e9,
    couponRateLimit: 1e9,
    couponRateLimitPerAddress: 1e9,
  };
  const box = new SecretBox(Buffer.alloc(32, 7));
  const app = await buildApp({ db, pool, clock: systemClock, config, box, metrics });
  const processor = new EventProcessor(db, systemClock, app.log, {
    reactions,
    observe: observeInto(metrics),
  });
  const call = async (c: Call) => {
    const res = await app.inject(c);
    if (res.statusCode >= 300)
      throw new Error(`${c.method} ${c.url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const json = (key: string, method: Call['method'], path: string, body?: unknown) =>
    call({
      method,
      url: path,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    }).then((res) => res.json() as Record<string, unknown>);
  try {
    const shop = (await json(ADMIN, 'POST', '/v1/shops', {
      name: 'Reads bench',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
      locale: 'pl',
    })) as { id: string; apiKey: string };
    await json(shop.apiKey, 'PUT', '/v1/tiers', BENCH_TIERS);
    const { secret } = (await json(shop.apiKey, 'POST', '/v1/storefront/secret', {})) as {
      secret: string;
    };
    const campaign = (await json(
      shop.apiKey,
      'POST',
      '/v1/coupon-campaigns',
      BENCH_COUPON_CAMPAIGN,
    )) as { id: string };
    await json(shop.apiKey, 'POST', `/v1/coupon-campaigns/${campaign.id}/codes`, {
      count: 2000,
      pattern: { prefix: 'JESIEN', length: 13 },
    });
    const csv = (
      await app.inject({
        method: 'GET',
        url: `/v1/coupon-campaigns/${campaign.id}/codes.csv`,
        headers: { authorization: `Bearer ${shop.apiKey}` },
      })
    ).body;
    const codes = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);

    const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
    for (let i = 0; i < CUSTOMERS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CUSTOMERS - i) }, (_, k) => i + k).flatMap((c) =>
          [1, 2].map((n) =>
            json(shop.apiKey, 'POST', '/v1/events', {
              type: 'order.paid',
              id: `o-${c}-${n}`,
              occurredAt: at,
              data: {
                id: `o-${c}-${n}`,
                customer: { id: `c-${c}`, firstName: 'Ania', email: `c${c}@example.com` },
                currency: 'PLN',
                total: 12_900 + (c % 50) * 1000,
                createdAt: at,
                lines: [{ productId: 'kawa', quantity: 1, price: 12_900 + (c % 50) * 1000 }],
              },
            }),
          ),
        ),
      );
    }
    while ((await processor.drain()) > 0);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('VACUUM (ANALYZE)');
    await admin.end();

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
    const api = { authorization: `Bearer ${shop.apiKey}` };
    const routes: Array<[string, (i: number) => Call]> = [
      ['GET /health', () => ({ method: 'GET', url: '/health', headers: {} })],
      [
        'GET storefront me',
        (i) => ({
          method: 'GET',
          url: `/storefront/v1/shops/${shop.id}/me`,
          headers: { authorization: `Bearer ${tokens[(i * 7919) % CUSTOMERS]!}` },
        }),
      ],
      [
        'GET /v1/customers/{id}',
        (i) => ({ method: 'GET', url: `/v1/customers/c-${(i * 7919) % CUSTOMERS}`, headers: api }),
      ],
      [
        'POST /v1/coupons/validate',
        (i) => ({
          method: 'POST',
          url: '/v1/coupons/validate',
          headers: { ...api, 'content-type': 'application/json' },
          payload: JSON.stringify({
            code: codes[(i * 7919) % codes.length],
            customerId: `c-${i % CUSTOMERS}`,
            cart: {
              currency: 'PLN',
              total: 18700,
              lines: [
                { productId: 'kawa-etiopia-250', categoryIds: ['kawa'], quantity: 2, price: 4900 },
                { productId: 'drip-v60', categoryIds: ['akcesoria'], quantity: 1, price: 8900 },
              ],
            },
          }),
        }),
      ],
    ];
    // BENCH_ROUTE=me (a word of the name): one route only, e.g. for a --cpu-prof of it
    const only = process.env.BENCH_ROUTE;
    if (only) {
      routes.splice(0, routes.length, ...routes.filter(([name]) => name.split(' ').includes(only)));
    }
    const drive = async (make: (i: number) => Call, n: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < n) await call(make(next++));
        }),
      );
    };
    console.log(
      `CPU per request in process (inject, ${IN_FLIGHT} in flight, ${REQUESTS} requests after 3,000 warm-up, ${CUSTOMERS} customers), load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    for (const [, make] of routes) await drive(make, 3000);
    for (let round = 1; round <= 3; round++) {
      const line: string[] = [];
      for (const [name, make] of routes) {
        const cpu = process.cpuUsage();
        const wall = performance.now();
        await drive(make, REQUESTS);
        const used = process.cpuUsage(cpu);
        const perRequest = (used.user + used.system) / 1000 / REQUESTS;
        line.push(
          `${name} ${perRequest.toFixed(3)} ms CPU (${((performance.now() - wall) / REQUESTS).toFixed(3)} ms wall)`,
        );
      }
      console.log(`round ${round}: ${line.join(' · ')}`);
    }
  } finally {
    await app.close();
    await db.destroy();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
