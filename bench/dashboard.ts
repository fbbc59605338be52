/**
 * The dashboard on a large shop (npm run bench:dashboard): BENCH_CUSTOMERS customers (default
 * 1,000,000) with names, e-mails and phones, BENCH_ORDERS orders over two years (default
 * 3,000,000) and their points, generated inside the local PostgreSQL; then Lojal runs as its
 * own process on it and this prints, beside the baseline of the same run (/health's latency):
 *
 * - the dashboard's first load: the JS and CSS the sign-in page and Home load, gzip bytes;
 * - the time from navigating to /admin (signed in) to Home's chart drawn, in Debian's
 *   Chromium (median and worst of BENCH_LOADS loads, default 7);
 * - customer search: p50/p95 of GET /v1/customers?q=… over e-mail prefixes, names, phones
 *   and ids (BENCH_SEARCHES, default 400, one at a time);
 * - the customer page: p50/p95 of the page's API calls for one customer (its 360 and the
 *   shop's tiers), made together as the page makes them (BENCH_PAGES, default 200 customers).
 *
 * Goals (issue 14): initial JS ≤ 250 KB gzip, Home's charts < 1.5 s, search p95 < 200 ms,
 * customer page p95 < 300 ms.
 *
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_REUSE=1           keep the database of an earlier run, skip the generation
 *   BENCH_GENERATE_ONLY=1   stop after the generation
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import { chromium } from 'playwright-core';
import { connect, type Db } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { createUserInShop } from '../apps/server/src/accounts/create-user.ts';
import { rebuildAnalyticsRollups } from '../apps/server/src/analytics/rebuild-analytics-rollups.ts';
import { DASHBOARD_DIST, ensureDashboardBuilt } from '../apps/server/src/app/dashboard-build.ts';
import { ms, percentile, startBenchServer } from './support/server.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 3_000_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 400);
const PAGES = Number(process.env.BENCH_PAGES ?? 200);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_dashboard';
const PORT = 3917;
const BASE = `http://127.0.0.1:${PORT}`;
const EMAIL = 'wlasciciel@bench.lojal.test';
const PASSWORD = 'bench password 2026';
const CHROMIUM = '/usr/bin/chromium';

const FIRST = [
  'Anna',
  'Maria',
  'Katarzyna',
  'Małgorzata',
  'Agnieszka',
  'Piotr',
  'Krzysztof',
  'Andrzej',
  'Tomasz',
  'Paweł',
  'Zofia',
  'Łucja',
  'Jan',
  'Michał',
  'Ewa',
  'Żaneta',
];
const LAST = [
  'Nowak',
  'Kowalska',
  'Wiśniewski',
  'Wójcik',
  'Kowalczyk',
  'Kamińska',
  'Lewandowski',
  'Zielińska',
  'Szymański',
  'Woźniak',
  'Dąbrowska',
  'Kozłowski',
  'Jankowska',
  'Mazur',
  'Kwiatkowski',
  'Krawczyk',
];

async function time<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function generate(db: Db, pool: pg.Pool): Promise<string> {
  const shop = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 1)), {
    name: 'Dashboard bench',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  const chunk = 250_000;
  await time(`${CUSTOMERS} customers`, async () => {
    for (let from = 1; from <= CUSTOMERS; from += chunk) {
      const to = Math.min(CUSTOMERS, from + chunk - 1);
      await pool.query(
        `INSERT INTO customers (shop_id, id, external_id, email, phone, first_name, last_name,
                                accepts_email_marketing, created_at)
         SELECT $1, 'cus_' || lpad(i::text, 26, '0'), 'c' || i,
                lower(translate(f, 'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ', 'acelnoszzACELNOSZZ')) || '.' ||
                  lower(translate(l, 'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ', 'acelnoszzACELNOSZZ')) || i || '@example.pl',
                '+48' || (500000000 + i)::text, f, l, random() < 0.6,
                timestamptz '2025-01-01' + (i % 700) * interval '1 day'
         FROM generate_series($2::int, $3::int) i,
              LATERAL (SELECT ($4::text[])[1 + i % 16] AS f, ($5::text[])[1 + (i / 16) % 16] AS l) n`,
        [shop.id, from, to, FIRST, LAST],
      );
      await pool.query(
        `INSERT INTO point_accounts (shop_id, customer_id)
         SELECT $1, 'cus_' || lpad(i::text, 26, '0') FROM generate_series($2::int, $3::int) i`,
        [shop.id, from, to],
      );
    }
  });
  await pool.query('ALTER TABLE orders DISABLE TRIGGER USER');
  await time(`${ORDERS} orders with their points`, async () => {
    for (let from = 1; from <= ORDERS; from += chunk) {
      const to = Math.min(ORDERS, from + chunk - 1);
      await pool.query(
        `WITH o AS (
           SELECT 'ord_' || lpad(i::text, 26, '0') AS id, i,
                  'cus_' || lpad((1 + floor($4::int * power(random() + 0 * i, 2)))::int::text, 26, '0') AS customer_id,
                  (1500 + random() * 30000)::int AS total,
                  timestamptz '2025-01-01' + random() * interval '700 days' AS t
           FROM generate_series($2::int, $3::int) i
         ), inserted AS (
           INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
           SELECT $1, id, 'o' || i, customer_id, 'PLN', total, t, t FROM o
         )
         INSERT INTO point_entries (shop_id, id, customer_id, points, kind, cause, idempotency_key,
                                    balance_after, order_id, effective_at, available_at)
         SELECT $1, 'pte_' || lpad(i::text, 26, '0'), customer_id, total / 100, 'earn', 'order',
                'order:' || id, 0, id, t, t + interval '14 days'
         FROM o`,
        [shop.id, from, to, CUSTOMERS],
      );
    }
  });
  await pool.query('ALTER TABLE orders ENABLE TRIGGER USER');
  await time('point accounts and lots', async () => {
    await pool.query(
      `INSERT INTO point_lots (shop_id, entry_id, customer_id, points, remaining, available_at, expires_at)
       SELECT shop_id, id, customer_id, points, points, available_at, available_at + interval '365 days'
       FROM point_entries WHERE shop_id = $1 AND points > 0`,
      [shop.id],
    );
    await pool.query(
      `UPDATE point_accounts a SET balance = s.points, lifetime_earned = s.points
       FROM (SELECT customer_id, sum(points) AS points FROM point_entries
             WHERE shop_id = $1 GROUP BY customer_id) s
       WHERE a.shop_id = $1 AND a.customer_id = s.customer_id`,
      [shop.id],
    );
  });
  await time('analytics rollups', () => rebuildAnalyticsRollups(db, shop.id));
  await createUserInShop(db, systemClock, {
    email: EMAIL,
    name: 'Bench Owner',
    password: PASSWORD,
    shopId: shop.id,
    role: 'owner',
  });
  await pool.query('ANALYZE');
  return shop.id;
}

/** The JS and CSS a first visit loads: index.html's scripts, styles and module preloads. */
async function initialBytes(): Promise<{ files: string[]; gzip: number; raw: number }> {
  const html = await readFile(path.join(DASHBOARD_DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  );
  let gzip = 0;
  let raw = 0;
  for (const file of files) {
    const bytes = await readFile(path.join(DASHBOARD_DIST, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, gzip, raw };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50ms: ms(percentile(sorted, 50)), p95ms: ms(percentile(sorted, 95)), n: sorted.length };
}

async function main() {
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) await recreateDatabase(serverUrl, DB);
  const databaseUrl = withDatabase(serverUrl, DB);
  const { db, pool } = connect(databaseUrl, 4);
  await migrate(pool);
  const shopId = reuse
    ? (await db.selectFrom('shops').select('id').executeTakeFirstOrThrow()).id
    : await generate(db, pool);
  await db.destroy();
  if (process.env.BENCH_GENERATE_ONLY === '1') return;

  await ensureDashboardBuilt({ info: (m: string) => console.log(m) });
  const bytes = await initialBytes();
  console.log(
    `initial JS+CSS: ${(bytes.gzip / 1024).toFixed(1)} KB gzip (${(bytes.raw / 1024).toFixed(0)} KB raw) in ${bytes.files.join(', ')}`,
  );

  const server = await startBenchServer({
    databaseUrl,
    port: PORT,
    adminToken: 'b'.repeat(40),
    // The dashboard's origin: cookie writes (the sign-in) must come from it.
    env: { LOJAL_PUBLIC_URL: BASE },
  });
  try {
    const login = await fetch(`${BASE}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const headers = { cookie, 'lojal-shop': shopId, accept: 'application/json' };
    const get = async (url: string) => {
      const res = await fetch(`${BASE}${url}`, { headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };

    // Baseline: /health, one at a time.
    const health: number[] = [];
    for (let i = 0; i < 200; i++) health.push(await timed(() => fetch(`${BASE}/health`)));
    console.log(`baseline /health: ${JSON.stringify(summary(health))}`);

    // Customer search, one at a time, over the kinds of query a person types.
    const queries = Array.from({ length: SEARCHES }, (_, i) => {
      const n = 1 + ((i * 7919) % CUSTOMERS);
      switch (i % 5) {
        case 0:
          return `anna.now`; // an e-mail prefix many share
        case 1:
          return `${FIRST[n % 16]!.toLowerCase().slice(0, 4)}`; // a first name, typed in part
        case 2:
          return LAST[(n >> 4) % 16]!; // a surname with Polish letters
        case 3:
          return `+48${500000000 + n}`; // a phone
        default:
          return `c${n}`; // the shop's own id
      }
    });
    const searches: number[] = [];
    for (const q of queries) {
      searches.push(await timed(() => get(`/v1/customers?q=${encodeURIComponent(q)}&limit=25`)));
    }
    console.log(`customer search: ${JSON.stringify(summary(searches))}`);

    // The customer page's calls, together, for customers with orders.
    const pages: number[] = [];
    for (let i = 0; i < PAGES; i++) {
      const id = `c${1 + ((i * 104729) % Math.min(CUSTOMERS, 50_000))}`;
      pages.push(
        await timed(() =>
          Promise.all([
            get(`/v1/customers/${id}/360`),
            get('/v1/tiers').catch(() => undefined), // 404 without a tier programme
          ]),
        ),
      );
    }
    console.log(
      `customer page (the 360 and the tiers, as the page asks): ${JSON.stringify(summary(pages))}`,
    );

    // Home in Chromium: signed in, from navigation to the chart drawn.
    const loads: number[] = [];
    if (existsSync(CHROMIUM)) {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
      const context = await browser.newContext({ locale: 'pl-PL' });
      await context.addCookies([
        { name: 'lojal_session', value: cookie.split('=')[1]!, url: BASE },
      ]);
      const page = await context.newPage();
      for (let i = 0; i < LOADS; i++) {
        const started = performance.now();
        await page.goto(`${BASE}/admin/`);
        await page
          .locator('[data-testid="trend-chart"][data-ready="true"]')
          .waitFor({ timeout: 60_000 });
        loads.push(performance.now() - started);
        // Let the page's other reads (the figures) finish, so they do not run into the next load.
        await page.waitForLoadState('networkidle', { timeout: 120_000 });
      }
      await browser.close();
      const sorted = [...loads].sort((a, b) => a - b);
      console.log(
        `Home, navigation to chart: median ${ms(percentile(sorted, 50))} ms, worst ${ms(sorted.at(-1)!)} ms over ${LOADS} loads (the first: ${ms(loads[0]!)} ms)`,
      );
    } else {
      console.log('Home in the browser: skipped, no /usr/bin/chromium');
    }
    console.log(
      JSON.stringify({
        customers: CUSTOMERS,
        orders: ORDERS,
        initialGzipKB: Number((bytes.gzip / 1024).toFixed(1)),
        homeChartMedianMs: loads.length
          ? ms(
              percentile(
                [...loads].sort((a, b) => a - b),
                50,
              ),
            )
          : null,
        searchP95Ms: summary(searches).p95ms,
        customerPageP95Ms: summary(pages).p95ms,
        healthP95Ms: summary(health).p95ms,
      }),
    );
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
