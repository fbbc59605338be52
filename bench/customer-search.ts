/**
 * The dashboard's customer search at scale (run from apps/server: npx tsx ../../bench/customer-search.ts):
 * a shop with BENCH_CUSTOMERS customers (default 1,000,000) with Polish names, e-mails and
 * phones, a tenth of them in a tier, generated inside the local PostgreSQL; then each kind of
 * search GET /v1/customers offers is timed (p50/p95 of 30 runs) and its plan printed, so a
 * sequential scan shows.
 *
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *   BENCH_REUSE=1   keep the database of an earlier run, skip the generation
 */
import { sql } from 'kysely';
import { connect, type Db } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import {
  searchCustomers,
  type CustomerSearch,
} from '../apps/server/src/customers/search-customers.ts';
import type { ShopRow } from '../apps/server/src/shops/shop.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_customer_search';

const FIRST = [
  'Anna',
  'Łukasz',
  'Zofia',
  'Jan',
  'Małgorzata',
  'Piotr',
  'Ewa',
  'Świętosław',
  'Kasia',
  'Marek',
];
const LAST = [
  'Nowak',
  'Kowalska',
  'Wiśniewski',
  'Wójcik',
  'Łęcka',
  'Zieliński',
  'Szymańska',
  'Dąbrowski',
  'Kozłowska',
  'Jankowski',
];

async function generate(db: Db): Promise<void> {
  const shop = await provisionShop(db, systemClock, new SecretBox(Buffer.alloc(32, 1)), {
    name: 'Customer search bench',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  await sql`INSERT INTO tier_programmes (shop_id, programme) VALUES (${shop.id}, ${JSON.stringify({
    metric: 'spend',
    period: 'rolling_12_months',
    tiers: [
      {
        id: 'silver',
        name: { pl: 'Srebrny', en: 'Silver' },
        entryThreshold: 100000,
        retainThreshold: 80000,
      },
    ],
  })}::jsonb) ON CONFLICT (shop_id) DO UPDATE SET programme = EXCLUDED.programme`.execute(db);
  const started = performance.now();
  const chunk = 250_000;
  for (let from = 1; from <= CUSTOMERS; from += chunk) {
    const to = Math.min(CUSTOMERS, from + chunk - 1);
    // ids sort like real ones (time first); a random part makes names and numbers differ
    await sql`
      INSERT INTO customers (shop_id, id, external_id, email, phone, first_name, last_name, created_at)
      SELECT ${shop.id}, 'cus_' || lpad(to_hex(i), 12, '0') || 'x', 'ext-' || i,
             lower((${sql.val(FIRST)}::text[])[1 + i % 10]) || '.' || i || '@example' || (i % 97) || '.pl',
             '+48' || (500000000 + (i::bigint * 7919) % 400000000),
             (${sql.val(FIRST)}::text[])[1 + i % 10] || CASE WHEN i % 3 = 0 THEN '' ELSE chr(97 + i % 26) END,
             (${sql.val(LAST)}::text[])[1 + (i / 10) % 10] || chr(97 + (i / 7) % 26) || chr(97 + (i / 3) % 26),
             now() - (i || ' seconds')::interval
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
    process.stderr.write(`customers ${to}/${CUSTOMERS}\n`);
  }
  await sql`ANALYZE customers`.execute(db);
  await sql`ANALYZE customer_tiers`.execute(db);
  console.log(
    `generated ${CUSTOMERS} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function main() {
  const url = await withDatabase(serverUrl, DB);
  if (!process.env.BENCH_REUSE) await recreateDatabase(serverUrl, DB);
  const { db, pool } = connect(url, 4);
  try {
    if (!process.env.BENCH_REUSE) {
      await migrate(pool);
      await generate(db);
    }
    // a tenth of the customers in the tier (again on a reused database: nothing changes)
    await sql`
      INSERT INTO customer_tiers (shop_id, customer_id, tier_id, reached_at, review_at)
      SELECT c.shop_id, c.id, 'silver', now(), now() + interval '1 year'
      FROM customers c JOIN shops s ON s.id = c.shop_id
      WHERE s.name = 'Customer search bench' AND c.id LIKE '%1x'
      ON CONFLICT DO NOTHING`.execute(db);
    await sql`ANALYZE customer_tiers`.execute(db);
    const shop = (await db
      .selectFrom('shops')
      .selectAll()
      .where('name', '=', 'Customer search bench')
      .executeTakeFirstOrThrow()) as unknown as ShopRow;
    const now = new Date();
    const firstPage = await searchCustomers(db, shop, { limit: 50 }, now);
    const cases: Array<[string, CustomerSearch]> = [
      ['first page', { limit: 50 }],
      ['page 2 (after)', { limit: 50, after: firstPage.nextAfter! }],
      ['id exact', { q: 'ext-777777', limit: 50 }],
      ['e-mail prefix', { q: 'zofia.77', limit: 50 }],
      ['e-mail whole', { q: 'anna.500000@example62.pl', limit: 50 }],
      ['name prefix (common)', { q: 'Anna', limit: 50 }],
      ['name prefix, no diacritics', { q: 'swietoslawb', limit: 50 }],
      ['first last', { q: 'Łukasz Wójcikb', limit: 50 }],
      ['last name', { q: 'Kozłowskaz', limit: 50 }],
      ['phone whole', { q: '600 000 000', limit: 50 }],
      ['phone prefix', { q: '+48 7001', limit: 50 }],
      ['no match', { q: 'qqqqq', limit: 50 }],
      ['tier', { tier: 'silver', limit: 50 }],
      ['tier + name', { tier: 'silver', q: 'ewa', limit: 50 }],
      ['tier + name, rare', { tier: 'silver', q: 'zofia.161', limit: 50 }],
      ['segment (built-in, none)', { segment: 'vip', limit: 50 }],
    ];
    for (const [label, input] of cases) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < (input.segment ? 5 : 30); i++) {
        const started = performance.now();
        rows = (await searchCustomers(db, shop, input, now)).data.length;
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
      console.log(
        `${label.padEnd(28)} rows ${String(rows).padStart(3)}  p50 ${at(0.5).toFixed(1)} ms  p95 ${at(0.95).toFixed(1)} ms`,
      );
    }
    // the plan of a combined search, for the record
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT c.id FROM customers c
      WHERE c.shop_id = ${shop.id} AND (c.external_id = 'anna' OR lower(c.email) LIKE 'anna%'
        OR lojal_search_fold(c.first_name) LIKE 'anna%' OR lojal_search_fold(c.last_name) LIKE 'anna%')
      ORDER BY c.id DESC LIMIT 51`.execute(db);
    console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
  } finally {
    await db.destroy();
  }
}

await main();
