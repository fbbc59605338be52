/**
 * What the analytics rollups' triggers cost a writer of orders (npm run bench:analytics-triggers):
 * a shop with BENCH_CUSTOMERS customers (default 20,000) and ten orders each on average over two
 * years (rollups rebuilt), then BENCH_BATCHES statements (default 100) each inserting 100 paid
 * orders of random existing customers, and as many each refunding 100 existing orders, timed one
 * statement (and transaction) at a time, with the orders triggers on and, as the baseline in the
 * same run, off. The difference is what keeping the rollups costs. Prints p50 / p95 per
 * statement and per order, and a JSON line. The database (lojal_bench_triggers) is dropped.
 *
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { connect } from '../apps/server/src/db/connect.ts';
import pg from 'pg';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { rebuildAnalyticsRollups } from '../apps/server/src/analytics/rebuild-analytics-rollups.ts';
import { ms, percentile } from './support/server.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
const BATCH = 100;
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_triggers';

async function main() {
  await recreateDatabase(serverUrl, DB);
  const { db, pool } = connect(withDatabase(serverUrl, DB), 2);
  try {
    await migrate(pool);
    const shop = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 1)), {
      name: 'Triggers bench',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
      locale: 'pl',
    });
    await pool.query(
      `INSERT INTO customers (shop_id, id, external_id)
       SELECT $1, 'cus_' || i, 'c' || i FROM generate_series(1, $2::int) i`,
      [shop.id, CUSTOMERS],
    );
    await pool.query('ALTER TABLE orders DISABLE TRIGGER USER');
    await pool.query(
      `INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
       SELECT $1, 'ord_' || i, 'o' || i, 'cus_' || (1 + floor($2::int * power(random(), 2)))::int,
              'PLN', (1500 + random() * 30000)::int, t, t
       FROM generate_series(1, $2::int * 10) i,
            LATERAL (SELECT timestamptz '2025-01-01' + (random() + 0 * i) * interval '700 days' AS t) d`,
      [shop.id, CUSTOMERS],
    );
    await pool.query('ALTER TABLE orders ENABLE TRIGGER USER');
    await pool.query('ANALYZE');
    await rebuildAnalyticsRollups(db, shop.id);
    await pool.query('VACUUM ANALYZE');

    let next = CUSTOMERS * 10;
    const timeBatches = async (triggers: boolean) => {
      if (!triggers) await pool.query('ALTER TABLE orders DISABLE TRIGGER USER');
      const inserts: number[] = [];
      const refunds: number[] = [];
      try {
        for (let b = 0; b < BATCHES; b++) {
          const first = next + 1;
          next += BATCH;
          let started = performance.now();
          // new orders of existing customers, in the last days of the history (as they arrive)
          await pool.query(
            `INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at, paid_at)
             SELECT $1, 'ord_' || i, 'o' || i, 'cus_' || (1 + floor($4::int * random() + 0 * i))::int,
                    'PLN', 2500, t, t
             FROM generate_series($2::int, $3::int) i,
                  LATERAL (SELECT timestamptz '2026-12-01' + (random() + 0 * i) * interval '20 days' AS t) d`,
            [shop.id, first, next, CUSTOMERS],
          );
          inserts.push(performance.now() - started);
          started = performance.now();
          await pool.query(
            `UPDATE orders SET refunded_amount = refunded_amount + 100
             WHERE shop_id = $1 AND id IN (
               SELECT 'ord_' || (1 + floor($2::int * 10 * random() + 0 * i))::int
               FROM generate_series(1, $3::int) i)`,
            [shop.id, CUSTOMERS, BATCH],
          );
          refunds.push(performance.now() - started);
        }
      } finally {
        if (!triggers) await pool.query('ALTER TABLE orders ENABLE TRIGGER USER');
      }
      const summary = (xs: number[]) => {
        xs.sort((a, b) => a - b);
        return { p50: ms(percentile(xs, 50)), p95: ms(percentile(xs, 95)) };
      };
      return { inserts: summary(inserts), refunds: summary(refunds) };
    };
    // warm-up, then the baseline and the triggers alternately (noise on a shared machine)
    await timeBatches(true);
    const off = await timeBatches(false);
    const on = await timeBatches(true);
    for (const [label, r] of [
      ['triggers off (baseline)', off],
      ['triggers on', on],
    ] as const) {
      console.log(
        `${label}: insert of ${BATCH} orders p50 ${r.inserts.p50} ms, p95 ${r.inserts.p95} ms; ` +
          `refund of ${BATCH} orders p50 ${r.refunds.p50} ms, p95 ${r.refunds.p95} ms`,
      );
    }
    const perOrder = (x: number, y: number) => ms((x - y) / BATCH);
    console.log(
      `the triggers' cost per order (p50): insert ${perOrder(on.inserts.p50, off.inserts.p50)} ms, ` +
        `refund ${perOrder(on.refunds.p50, off.refunds.p50)} ms`,
    );
    console.log(JSON.stringify({ customers: CUSTOMERS, batches: BATCHES, batch: BATCH, off, on }));
  } finally {
    await db.destroy();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
