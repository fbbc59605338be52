/**
 * Export benchmark (npm run bench:export). A shop of C customers with 10 orders each (one line
 * per order, the points ledger of one entry per order) is written straight into a fresh
 * database, then exported whole (`writeShopZip`, as the export job and `lojal export` do) in
 * JSON Lines and in CSV into a sink that only counts bytes.
 * Measured: rows per second over every file of the zip, beside PostgreSQL's own pace at the
 * same job on the same database in the same run: a plain `COPY (SELECT * FROM …) TO STDOUT` of
 * the same tables, read and thrown away (no joins to external ids, no JSON, no zip).
 * The machine is shared: the figures are noisy; the ratio to COPY is the meaningful part.
 *
 *   BENCH_EXPORT_CUSTOMERS=20000 (default; 1000000 for 1M customers / 10M orders)
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import { connect } from '../apps/server/src/db/connect.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { writeShopZip } from '../apps/server/src/exports/write-shop-zip.ts';

const DB = 'lojal_bench_export';
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const customers = Number(process.env.BENCH_EXPORT_CUSTOMERS ?? 20_000);
const orders = customers * 10;

await recreateDatabase(serverUrl, DB);
const { db, pool } = connect(withDatabase(serverUrl, DB), 4);
try {
  await migrate(pool);
  const shop = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 7)), {
    name: 'Bench export',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });

  const seedStart = Date.now();
  // Straight into the tables, triggers off: what is measured is the export.
  await db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await sql`
      INSERT INTO customers (shop_id, id, external_id, email, phone, first_name, last_name,
                             accepts_email_marketing, tags)
      SELECT ${shop.id}, 'cus_b' || lpad(g::text, 9, '0'), 'c-' || g, 'c' || g || '@example.pl',
             '+48600' || lpad(g::text, 6, '0'), 'Imię', 'Nazwisko ' || g, g % 2 = 0, '{vip}'
      FROM generate_series(1, ${customers}) g`.execute(tx);
    await sql`
      INSERT INTO orders (shop_id, id, external_id, customer_id, email, currency, total, subtotal,
                          shipping, placed_at, paid_at, shipping_address)
      SELECT ${shop.id}, 'ord_b' || lpad(g::text, 10, '0'), 'o-' || g,
             'cus_b' || lpad((1 + g % ${customers})::text, 9, '0'), 'c@example.pl', 'PLN',
             5000 + g % 10000, 4500 + g % 10000, 500,
             '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 second',
             '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 second',
             jsonb_build_object('line1', 'ul. Długa ' || g, 'city', 'Kraków', 'postalCode', '30-001', 'country', 'PL')
      FROM generate_series(1, ${orders}) g`.execute(tx);
    await sql`
      INSERT INTO order_lines (shop_id, order_id, position, product_id, sku, title, category_ids,
                               quantity, unit_price)
      SELECT ${shop.id}, 'ord_b' || lpad(g::text, 10, '0'), 0, 'p-' || g % 500, 'SKU-' || g % 500,
             'Kawa ' || g % 500, '{kawa}', 1, 4500 + g % 10000
      FROM generate_series(1, ${orders}) g`.execute(tx);
    await sql`
      INSERT INTO point_entries (shop_id, id, customer_id, points, kind, cause, idempotency_key,
                                 balance_after, order_id, absorbed, already_expired, effective_at)
      SELECT ${shop.id}, 'led_b' || lpad(g::text, 10, '0'),
             'cus_b' || lpad((1 + g % ${customers})::text, 9, '0'), 50, 'earn', 'order', 'b' || g,
             50, 'ord_b' || lpad(g::text, 10, '0'), 0, 0,
             '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 second'
      FROM generate_series(1, ${orders}) g`.execute(tx);
  });
  await sql`VACUUM ANALYZE`.execute(db);
  const seedSeconds = (Date.now() - seedStart) / 1000;

  // PostgreSQL alone: the same tables' rows out of COPY, read and dropped.
  const baselineStart = Date.now();
  let baselineRows = 0;
  const client = await pool.connect();
  try {
    for (const table of ['customers', 'orders', 'order_lines', 'point_entries']) {
      const stream = client.query(
        copyTo(
          `COPY (SELECT * FROM ${table} WHERE shop_id = ${client.escapeLiteral(shop.id)}) TO STDOUT`,
        ),
      );
      stream.resume();
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      await client.query('SELECT 1');
      baselineRows += stream.rowCount;
    }
  } finally {
    client.release();
  }
  const baselineSeconds = (Date.now() - baselineStart) / 1000;

  const figures: Record<string, unknown> = {
    customers,
    orders,
    seedSeconds,
    baseline: {
      how: 'COPY (SELECT * FROM table) TO STDOUT of customers, orders, order_lines, point_entries',
      rows: baselineRows,
      seconds: baselineSeconds,
      rowsPerSecond: Math.round(baselineRows / baselineSeconds),
    },
  };
  for (const format of ['jsonl', 'csv'] as const) {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    const started = Date.now();
    const summary = await writeShopZip(pool, shop, format, sink, new Date());
    const seconds = (Date.now() - started) / 1000;
    figures[format] = {
      rows: summary.rows,
      seconds,
      rowsPerSecond: Math.round(summary.rows / seconds),
      zipBytes: bytes,
      ofCopyRate: Number((summary.rows / seconds / (baselineRows / baselineSeconds)).toFixed(2)),
    };
  }
  console.log(JSON.stringify(figures, null, 2));
  console.log(
    '(a shared machine: absolute figures are noisy; compare with the COPY line of the same run)',
  );
} finally {
  await db.destroy();
}
