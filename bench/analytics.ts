/**
 * Analytics at scale (npm run bench:analytics): a shop with BENCH_CUSTOMERS customers (default
 * 1,000,000) and BENCH_ORDERS orders (default 10,000,000) over two years, generated inside the
 * local PostgreSQL, then the analytics rollups are rebuilt from the orders (as the migration does
 * for an existing shop; timed on its own), and the cohort matrix, the summary, the RFM-based
 * segment counts and the CLV fit are timed, each printed as it finishes.
 *
 *   BENCH_CUSTOMERS=1000000 BENCH_ORDERS=10000000 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_REUSE=1           keep the database of an earlier run (migrated), skip the generation
 *   BENCH_GENERATE_ONLY=1   stop after the generation and the rollups' rebuild
 */
import type pg from 'pg';
import { connect, type Db } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { buildCohorts } from '../apps/server/src/analytics/build-cohorts.ts';
import { summarizeOrders } from '../apps/server/src/analytics/summarize-orders.ts';
import { fitClv } from '../apps/server/src/analytics/fit-clv.ts';
import { rebuildAnalyticsRollups } from '../apps/server/src/analytics/rebuild-analytics-rollups.ts';
import { listSegments } from '../apps/server/src/segments/manage-segments.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000_000);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_analytics';

function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round((100 * done) / total)}%`,
  );
  if (done >= total) process.stderr.write('\n');
}

async function time<T>(
  label: string,
  run: () => Promise<T>,
): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s`);
  return { seconds, result };
}

async function generate(db: Db, pool: pg.Pool): Promise<{ id: string }> {
  const shop = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 1)), {
    name: 'Analytics bench',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  const generation = performance.now();
  // One connection for the whole load: as a superuser it switches off every trigger for its
  // session (the rollup triggers and the foreign keys' checks, which would probe customers once
  // per order), and the orders' secondary indexes are dropped first and built once at the end (a
  // sort each instead of 10M random inserts into each).
  const client = await pool.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET maintenance_work_mem = '1GB'`);
    const indexes = (
      await client.query<{ name: string; definition: string }>(
        `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
         WHERE i.tablename IN ('orders', 'customers') AND i.schemaname = current_schema()
           AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conname = i.indexname)`,
      )
    ).rows;
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    const chunk = 500_000;
    for (let from = 1; from <= CUSTOMERS; from += chunk) {
      const to = Math.min(CUSTOMERS, from + chunk - 1);
      await client.query(
        `INSERT INTO customers (shop_id, id, external_id, accepts_email_marketing)
         SELECT $1, 'cus_' || lpad(i::text, 26, '0'), 'c' || i, random() < 0.6 FROM generate_series($2::int, $3::int) i`,
        [shop.id, from, to],
      );
      progress('customers', to, CUSTOMERS);
    }
    // Orders: a few customers buy a lot (skewed choice of customer); each customer is active in
    // a window of their own (a start and a lifetime derived from their number), so customers
    // arrive over time and drop out, as the BG/NBD model assumes.
    for (let from = 1; from <= ORDERS; from += chunk) {
      const to = Math.min(ORDERS, from + chunk - 1);
      await client.query(
        `INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at, cancelled_at)
         SELECT $1, 'ord_' || lpad(i::text, 26, '0'), 'o' || i, 'cus_' || lpad(c::text, 26, '0'),
                'PLN', (1500 + random() * 30000)::int, t, t, CASE WHEN random() < 0.02 THEN t END
         FROM generate_series($2::int, $3::int) i,
              LATERAL (SELECT 1 + floor($4::int * power(random() + 0 * i, 2))::int AS c) pick,
              LATERAL (SELECT (c::bigint * 7919) % 600 AS start_day, 20 + (c::bigint * 104729) % 700 AS life_days) w,
              LATERAL (SELECT timestamptz '2025-01-01'
                              + (start_day + (random() + 0 * i) * least(life_days, 729 - start_day)) * interval '1 day' AS t) d`,
        [shop.id, from, to, CUSTOMERS],
      );
      progress('orders   ', to, ORDERS);
    }
    const loaded = performance.now();
    for (const index of indexes) await client.query(index.definition);
    console.log(
      `indexes rebuilt in ${((performance.now() - loaded) / 1000).toFixed(0)} s: ${indexes.map((i) => i.name).join(', ')}`,
    );
    await client.query('RESET session_replication_role');
  } finally {
    client.release();
  }
  await pool.query('ANALYZE');
  console.log(
    `generated ${CUSTOMERS} customers and ${ORDERS} orders in ${((performance.now() - generation) / 1000).toFixed(0)} s`,
  );
  return shop;
}

async function main() {
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) await recreateDatabase(serverUrl, DB);
  const { db, pool } = connect(withDatabase(serverUrl, DB), 4);
  // a reused database from before the rollups gets them here, from the migration's backfill
  await migrate(pool);
  const shop = reuse
    ? await db.selectFrom('shops').select('id').executeTakeFirstOrThrow()
    : await generate(db, pool);
  if (process.env.BENCH_GENERATE_ONLY === '1') {
    // the database complete for bench:analytics-routes: the rollups in one set-based pass
    if (!reuse) {
      await time('analytics rollups rebuilt from all orders', () =>
        rebuildAnalyticsRollups(db, shop.id),
      );
      await pool.query('VACUUM ANALYZE');
    }
    return db.destroy();
  }
  const counts = await pool.query<{ customers: number; orders: number }>(
    `SELECT (SELECT count(*) FROM customers WHERE shop_id = $1)::int AS customers,
            (SELECT count(*) FROM orders WHERE shop_id = $1)::int AS orders`,
    [shop.id],
  );
  const figures: Record<string, number> = {};
  figures.rollupRebuildSeconds = (
    await time('analytics rollups rebuilt from all orders', () =>
      rebuildAnalyticsRollups(db, shop.id),
    )
  ).seconds;
  await pool.query('ANALYZE');

  const shopRow = await db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', shop.id)
    .executeTakeFirstOrThrow();
  figures.cohortMatrixSeconds = (
    await time('cohort matrix, 24 months', () =>
      buildCohorts(db, shopRow, '2025-01-01', '2027-01-01'),
    )
  ).seconds;
  // a `to` inside a month: that month's column is counted from the purchase days
  figures.cohortMatrixMidMonthSeconds = (
    await time('cohort matrix, 24 months, to mid-month', () =>
      buildCohorts(db, shopRow, '2025-01-01', '2026-12-15'),
    )
  ).seconds;
  figures.summarySeconds = (
    await time('summary, one year', () => summarizeOrders(db, shopRow, '2025-01-01', '2026-01-01'))
  ).seconds;
  const segments = await time('RFM scoring + six built-in segment counts', () =>
    listSegments(db, systemClock, shopRow),
  );
  figures.segmentsSeconds = segments.seconds;
  console.log(`  ${segments.result.map((s) => `${s.id}=${s.customers}`).join(' ')}`);
  const fit = await time('CLV fit (BG/NBD + Gamma-Gamma)', () => fitClv(db, shopRow, '2026-06-30'));
  figures.clvFitSeconds = fit.seconds;
  console.log(`  ${JSON.stringify(fit.result)}`);
  console.log(JSON.stringify({ ...counts.rows[0], ...figures }));
  await db.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
