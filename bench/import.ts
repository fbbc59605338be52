/**
 * npm run bench:import — moving a big shop in: BENCH_CUSTOMERS customers (default 100,000) and
 * BENCH_ORDERS orders (default 1,000,000) written as Lojal CSV files, then imported the way
 * `lojal import` does (read into import_rows, applied in checkpointed batches), each timed on
 * its own and printed as rows per second, beside PostgreSQL's own rate of single-row insert
 * transactions measured in the same run on the same server (bench/support/pg-baseline.ts).
 * The full size of issue 19 is BENCH_CUSTOMERS=1000000 BENCH_ORDERS=10000000.
 *
 *   BENCH_CUSTOMERS=100000 BENCH_ORDERS=1000000 BENCH_BATCH=50000
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_DIR=/tmp/lojal-bench-import-<customers>-<orders>  (the files are kept there and reused)
 *
 * Runs on a fresh database `lojal_bench_import` (dropped at the end). On a shared machine the
 * figures are noisy: the load average is printed with them.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { connect } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { readImportFile } from '../apps/server/src/imports/read-import-file.ts';
import { DEFAULT_BATCH_ROWS, runImport } from '../apps/server/src/imports/run-import.ts';
import { importView } from '../apps/server/src/imports/import-view.ts';
import type { ImportKind } from '../apps/server/src/imports/import-records.ts';
import { pgInsertBaseline } from './support/pg-baseline.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH_ROWS);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_DB ?? 'lojal_bench_import';

/** Writes lines to a file, waiting when the disk is slower than the generator. */
async function writeFile(file: string, header: string, rows: number, row: (i: number) => string) {
  const out = createWriteStream(file);
  out.write(header + '\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(row(i) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(2));
  const dir =
    process.env.BENCH_DIR ?? path.join(os.tmpdir(), `lojal-bench-import-${CUSTOMERS}-${ORDERS}`);
  mkdirSync(dir, { recursive: true });
  const customersFile = path.join(dir, 'customers.csv');
  const ordersFile = path.join(dir, 'orders.csv');
  const day = Date.parse('2024-01-01T00:00:00Z');
  let started = Date.now();
  // Generated once: a second run reuses the files (the .done marker says they are whole).
  const whole = path.join(dir, '.done');
  if (!existsSync(whole)) await generate();
  async function generate() {
    await writeFile(
      customersFile,
      'customer_id,email,first_name,accepts_email_marketing,consent_at,points',
      CUSTOMERS,
      (i) =>
        `c${i},klient${i}@example.com,Klient${i % 500},${i % 3 === 0},2024-0${1 + (i % 9)}-15,${i % 7 === 0 ? 0 : 50 + (i % 950)}`,
    );
    await writeFile(
      ordersFile,
      'order_id,customer_id,currency,total,placed_at,lines',
      ORDERS,
      (i) => {
        const at = new Date(day + ((i * 7919) % (700 * 86_400)) * 1000).toISOString();
        const price = 1000 + ((i * 31) % 20_000);
        return `o${i},c${(i * 7) % CUSTOMERS},PLN,${price * 2},${at},"[{""productId"":""p${i % 300}"",""quantity"":2,""price"":${price}}]"`;
      },
    );
    createWriteStream(whole).end();
  }
  console.log(
    `files of ${CUSTOMERS.toLocaleString('en')} customers and ${ORDERS.toLocaleString('en')} orders (CSV) ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`,
  );

  await recreateDatabase(serverUrl, DB);
  const { db, pool } = connect(withDatabase(serverUrl, DB), 4);
  try {
    await migrate(pool);
    const created = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 1)), {
      name: 'Import bench',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
      locale: 'pl',
    });
    const shop = await db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    const rates: Record<string, number> = {};
    for (const [kind, file, rows] of [
      ['customers', customersFile, CUSTOMERS],
      ['orders', ordersFile, ORDERS],
    ] as Array<[ImportKind, string, number]>) {
      started = Date.now();
      const id = await readImportFile(db, pool, systemClock, shop, {
        kind,
        format: 'lojal-csv',
        fileName: path.basename(file),
        dryRun: false,
        actor: 'bench',
        body: createReadStream(file, { highWaterMark: 1 << 20 }),
        maxBytes: Number.MAX_SAFE_INTEGER,
      });
      const read = (Date.now() - started) / 1000;
      console.log(`${kind}: read ${rows.toLocaleString('en')} rows in ${read.toFixed(1)} s`);
      const applyStarted = Date.now();
      await runImport(db, systemClock, shop, id, {
        batchRows: BATCH,
        // Elapsed time and rate with each batch: a run stopped before its end still says how far it got.
        onProgress: (done, total) => {
          const seconds = (Date.now() - applyStarted) / 1000;
          process.stderr.write(
            `\r${kind}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} applied in ${seconds.toFixed(0)} s (${Math.round(done / seconds).toLocaleString('en')} rows/s, load ${os.loadavg()[0]!.toFixed(1)})`,
          );
        },
      });
      process.stderr.write('\n');
      const applied = (Date.now() - applyStarted) / 1000;
      const view = await importView(db, shop.id, id, { errorsLimit: 3 });
      if (view.status !== 'done' || view.progress.rowsFailed > 0) {
        throw new Error(
          `${kind}: ${view.status}, ${JSON.stringify(view.errors)} ${view.error ?? ''}`,
        );
      }
      const total = read + applied;
      rates[kind] = rows / total;
      console.log(
        `${kind}: ${rows.toLocaleString('en')} rows in ${total.toFixed(1)} s (read ${read.toFixed(1)} s, apply ${applied.toFixed(1)} s) = ${Math.round(rows / total).toLocaleString('en')} rows/s; changes ${JSON.stringify(view.changes)}`,
      );
    }
    const baseline = pgInsertBaseline(withDatabase(serverUrl, DB), 4);
    console.log(
      `PostgreSQL baseline: ${Math.round(baseline.tps).toLocaleString('en')} single-row inserts/s (${baseline.how})`,
    );
    const all = CUSTOMERS + ORDERS;
    const seconds = CUSTOMERS / rates.customers! + ORDERS / rates.orders!;
    console.log(
      `import: ${all.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(all / seconds).toLocaleString('en')} rows/s, ` +
        `${(all / seconds / baseline.tps).toFixed(1)}× PostgreSQL's single-row insert rate; ` +
        `1,000,000 customers + 10,000,000 orders at this rate ≈ ${(11_000_000 / (all / seconds) / 60).toFixed(1)} min ` +
        `(load average at start ${load.join(' ')}, at the end ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}, ${os.cpus().length} CPUs: a shared machine, figures are noisy)`,
    );
  } finally {
    await db.destroy();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(DB)} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
