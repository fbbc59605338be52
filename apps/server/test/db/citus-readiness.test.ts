import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { api, seedShop } from '../http/isolation-seed.ts';
import { dailyTasks, sweeps } from '../../src/app/periodic-tasks.ts';
import { crossShopStatements, loadParser, shopGroups, type Catalog } from './shop-joins.ts';

/*
 * Lojal grows past one database server as PostgreSQL + Citus distributed by shop_id
 * (DESIGN.md; docs/operations.md, "Deployment at 10× and 100×"). Citus cannot run here, so this
 * proves the schema and the queries ready for it:
 * - every table has shop_id, every primary key and unique index begins with it, and every
 *   foreign key carries it to the same column of the table it references (colocated joins);
 * - no statement the app runs puts two shops' rows side by side: the SQL of a short scenario
 *   (a shop seeded through the API with an object of every kind, its events processed, its
 *   referral link followed, every periodic task once, every list read) is captured at the
 *   driver and parsed by PostgreSQL's own parser (shop-joins.ts).
 */

/** Tables that are not a shop's, each with what it becomes under Citus and why. */
const GLOBAL_TABLES: Record<string, string> = {
  shops: 'the tenants themselves, keyed by id: a reference table (copied to every node)',
  users: "a person's login, which may belong to several shops (memberships): a reference table",
  user_sessions: "a person's dashboard session, found by its token before any shop is chosen",
  password_resets: "a person's password-reset link: the person's, not a shop's",
  account_mail: 'invitation and reset e-mail to people, kept when no SMTP is set: no shop',
  schema_migrations: 'which migrations ran: one row per file, for the whole database',
};
/** Schemas that are not Lojal's tables. */
const GLOBAL_SCHEMAS: Record<string, string> = {
  graphile_worker:
    "the job queue's own schema (graphile-worker migrates it): stays on the coordinator",
};

/**
 * Statements that read several shops' rows on purpose, each with why that is no join of two
 * shops' rows and what it is under Citus.
 */
const CROSS_SHOP_STATEMENTS: Array<{ sql: RegExp; reason: string }> = [
  {
    sql: /^WITH RECURSIVE shops AS .*FROM inbound_events/,
    reason:
      "the event processor's list of shops with pending events (a loose index scan): shop ids " +
      'only, each shop then processed apart. Under Citus a recursive CTE over a distributed ' +
      'table does not run: it becomes SELECT DISTINCT shop_id over the pending partial index, ' +
      'a query to every shard (docs/operations.md)',
  },
];

let t: TestApp;
let catalog: Catalog;
/** Each statement's text, with the values of a few of its runs. */
const captured = new Map<string, unknown[][]>();
const RUNS_KEPT = 5;
const originalQuery = pg.Client.prototype.query;
const counted = { lists: 0, answered: 0 };

beforeAll(async () => {
  // Every statement any client of this process sends (the app, the processor, the tasks).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    const values = (typeof first === 'string' ? args[1] : first?.values) ?? [];
    const runs = text === undefined ? undefined : (captured.get(text) ?? []);
    if (text && runs && runs.length < RUNS_KEPT && Array.isArray(values)) {
      captured.set(text, [...runs, values.map((v) => (typeof v === 'string' ? v : null))]);
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  const routes: RouteOptions[] = [];
  t = await createTestApp({ onRoute: (r) => routes.push(r) });
  await t.app.ready();
  await loadParser();
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables USING (table_schema, table_name)
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.db);
  catalog = new Map();
  for (const r of rows) {
    catalog.set(r.table_name, (catalog.get(r.table_name) ?? new Set()).add(r.column_name));
  }

  // The scenario whose SQL is checked.
  const shop = await createTestShop(t, 'Sklep Citus');
  const seeded = await seedShop(t, shop, 'c');
  // A referral link with and without its shop: the code is looked up across shops.
  const referrer = await api(t, shop, 'GET', `/v1/customers/${seeded.customer}`);
  const code = String(referrer.json().referralCode);
  for (const url of [`/r/${code}`, `/r/${shop.id}/${code}`]) {
    await t.app.inject({ method: 'GET', url });
  }
  await t.processor.drain();
  const noop = () => undefined;
  for (const sweep of sweeps) await sweep.run(t.db, t.clock, noop);
  for (const task of dailyTasks) await task.run(t.db, t.clock, shop.id);
  const lists = routes.filter(
    (r) =>
      [r.method].flat().includes('GET') &&
      r.url.startsWith('/v1/') &&
      !r.url.includes(':') &&
      !r.url.startsWith('/v1/shops'),
  );
  for (const route of lists) {
    counted.lists++;
    const res = await api(t, shop, 'GET', route.url);
    if (res.statusCode < 300) counted.answered++;
  }
}, 120_000);

afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await t?.close();
});

/** Primary keys and unique indexes (a primary key is a unique index) of Lojal's tables. */
async function uniqueIndexes() {
  const { rows } = await sql<{ table: string; name: string; definition: string; first: string }>`
    SELECT ix.indrelid::regclass::text AS table, i.relname AS name,
           pg_get_indexdef(ix.indexrelid) AS definition,
           coalesce(a.attname, '(expression)') AS first
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class c ON c.oid = ix.indrelid
    LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[0]
    WHERE c.relnamespace = 'public'::regnamespace
      AND ix.indisunique`.execute(t.db);
  return rows;
}

describe('Citus readiness: the schema is distributable by shop_id', () => {
  it('gives every table a shop_id, or a reason it is global', async () => {
    const { rows } = await sql<{ schema: string; table: string }>`
      SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
      WHERE table_type = 'BASE TABLE'
        AND table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(t.db);
    const missing = rows
      .filter((r) => !(r.schema in GLOBAL_SCHEMAS))
      .filter((r) => r.schema !== 'public' || !(r.table in GLOBAL_TABLES))
      .filter((r) => r.schema !== 'public' || !catalog.get(r.table)?.has('shop_id'))
      .map((r) => `${r.schema}.${r.table}`);
    expect(missing, 'tables without shop_id: add it, or a reason to GLOBAL_TABLES').toEqual([]);
    // The list of exceptions is current: each names a real table.
    for (const table of Object.keys(GLOBAL_TABLES)) expect(catalog.has(table), table).toBe(true);
    const { rows: nullable } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'shop_id' AND is_nullable = 'YES'`.execute(
      t.db,
    );
    expect(nullable, 'a distribution column is never NULL').toEqual([]);
  });

  it('begins every primary key and unique index of a shop table with shop_id', async () => {
    const wrong = (await uniqueIndexes())
      .filter((k) => !(k.table in GLOBAL_TABLES) && k.first !== 'shop_id')
      .map((k) => k.definition);
    expect(wrong).toEqual([]);
    // Citus moves shards by logical replication: a table that rows are updated or deleted in
    // needs a primary key, or every column as its replica identity.
    const { rows } = await sql<{ table: string }>`
      SELECT c.relname AS table FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
        AND c.relreplident <> 'f'
        AND NOT EXISTS (SELECT 1 FROM pg_index ix WHERE ix.indrelid = c.oid AND ix.indisprimary)`.execute(
      t.db,
    );
    expect(rows.map((r) => r.table)).toEqual([]);
  });

  it("carries shop_id in every foreign key, to the referenced table's own shop key", async () => {
    const { rows } = await sql<{ table: string; references: string; pairs: string[] }>`
      SELECT con.conrelid::regclass::text AS table, con.confrelid::regclass::text AS references,
             array_agg(a.attname || '=' || f.attname ORDER BY k.i) AS pairs
      FROM pg_constraint con
      CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, fcol, i)
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
      JOIN pg_attribute f ON f.attrelid = con.confrelid AND f.attnum = k.fcol
      WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace
      GROUP BY con.oid, con.conrelid, con.confrelid`.execute(t.db);
    const wrong = rows.filter((fk) => {
      const shopKey = fk.references === 'shops' ? 'shop_id=id' : 'shop_id=shop_id';
      // A shop table may point at a global (reference) table: Citus allows that direction.
      if (fk.references in GLOBAL_TABLES && fk.references !== 'shops') return false;
      return !fk.pairs.includes(shopKey);
    });
    expect(wrong.map((fk) => `${fk.table} (${fk.pairs}) → ${fk.references}`)).toEqual([]);
    // Never the other way: a global table pointing into a shop's rows.
    const inward = rows.filter(
      (fk) => fk.table in GLOBAL_TABLES && !(fk.references in GLOBAL_TABLES),
    );
    expect(inward.map((fk) => `${fk.table} → ${fk.references}`)).toEqual([]);
  });
});

describe("Citus readiness: no statement joins two shops' rows", () => {
  it('tells a join kept on one shop from one that is not (the check itself)', async () => {
    await loadParser();
    const tables: Catalog = new Map([
      ['shops', new Set(['id'])],
      ['customers', new Set(['shop_id', 'id', 'email'])],
      ['orders', new Set(['shop_id', 'id', 'customer_id'])],
      ['users', new Set(['id', 'email'])],
    ]);
    const apart = (sql: string, values: unknown[] = []) =>
      shopGroups(sql, tables, values).length > 1;
    const kept = [
      'SELECT * FROM orders o JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id',
      'SELECT * FROM orders o JOIN customers c USING (shop_id) WHERE c.id = o.customer_id',
      'SELECT * FROM orders o, customers c WHERE o.shop_id = $1 AND c.shop_id = $1',
      'SELECT * FROM orders WHERE shop_id = $1 AND (shop_id, customer_id) IN (SELECT shop_id, id FROM customers)',
      'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.shop_id = o.shop_id)',
      'COPY (SELECT (SELECT c.email FROM customers c WHERE c.shop_id = o.shop_id AND c.id = o.customer_id) FROM orders o WHERE o.shop_id = $1) TO STDOUT',
      'WITH t AS (SELECT shop_id, customer_id FROM orders) SELECT * FROM t JOIN customers c ON c.shop_id = t.shop_id',
      'SELECT * FROM customers c JOIN shops s ON s.id = c.shop_id',
      'INSERT INTO orders (shop_id, id) SELECT shop_id, id FROM customers',
      'SELECT * FROM unnest($1::text[]) AS b(shop_id) JOIN orders o ON o.shop_id = b.shop_id JOIN customers c ON c.shop_id = b.shop_id',
      'SELECT * FROM customers c JOIN users u ON u.email = c.email',
      'UPDATE orders SET id = $2 WHERE customer_id = $1',
    ];
    const crossing = [
      'SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shop_id = $1',
      'SELECT * FROM orders o, customers c WHERE o.shop_id = $1 OR c.shop_id = o.shop_id',
      'SELECT * FROM orders o WHERE o.shop_id = $1 AND o.customer_id IN (SELECT id FROM customers WHERE email = $2)',
      'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)',
      'WITH t AS (SELECT customer_id FROM orders) SELECT * FROM t JOIN customers c ON c.id = t.customer_id',
      'UPDATE orders o SET id = c.id FROM customers c WHERE c.id = o.customer_id',
      'COPY (SELECT (SELECT c.email FROM customers c WHERE c.id = o.customer_id) FROM orders o WHERE o.shop_id = $1) TO STDOUT',
      'INSERT INTO orders (id, shop_id) SELECT id, $2 FROM customers WHERE shop_id = $1',
    ];
    expect(kept.filter((sql) => apart(sql))).toEqual([]);
    expect(crossing.filter((sql) => !apart(sql))).toEqual([]);
    // Two parameters that carried the same shop are one shop; two shops are two.
    const twice = 'SELECT * FROM orders o, customers c WHERE o.shop_id = $1 AND c.shop_id = $2';
    expect(apart(twice, ['shp_a', 'shp_a'])).toBe(false);
    expect(apart(twice, ['shp_a', 'shp_b'])).toBe(true);
  });

  it('keeps every shop-scoped relation of every statement the scenario ran on one shop', () => {
    // LOJAL_SQL_LOG=<file> keeps the statements (JSON lines: text, values of a few runs).
    if (process.env.LOJAL_SQL_LOG) {
      const lines = [...captured].map((entry) => JSON.stringify(entry));
      writeFileSync(process.env.LOJAL_SQL_LOG, lines.join('\n') + '\n');
    }
    const { findings, unparsed, joins } = crossShopStatements(captured, catalog);
    console.info(
      `citus readiness: ${captured.size} distinct statements, ${joins} over two or more shop ` +
        `relations, ${counted.answered}/${counted.lists} list routes answered`,
    );
    expect(unparsed).toEqual([]);
    const unexplained = findings
      .filter((f) => !CROSS_SHOP_STATEMENTS.some((e) => e.sql.test(oneLine(f.sql))))
      .map(
        (f) =>
          `${f.groups.map((g) => `[${g.join(', ')}]`).join(' apart from ')}: ${oneLine(f.sql).slice(0, 400)}`,
      );
    expect(unexplained).toEqual([]);
    // An exception no statement needs any more is said (not failed: another change may have
    // removed the statement it was for).
    for (const e of CROSS_SHOP_STATEMENTS) {
      if (![...captured.keys()].some((sql) => e.sql.test(oneLine(sql)))) {
        console.warn(`citus readiness: no statement needs the exception ${String(e.sql)}`);
      }
    }
    // The scenario is the real one: it ran the app's statements, not a handful.
    expect(captured.size).toBeGreaterThan(200);
    expect(joins).toBeGreaterThan(30);
    expect(counted.answered).toBeGreaterThan(30);
  });
});

function oneLine(text: string) {
  return text.replace(/\s+/g, ' ').trim();
}
