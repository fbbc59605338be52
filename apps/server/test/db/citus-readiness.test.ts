import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { api, seedShop } from '../http/isolation-seed.ts';
import { dailyTasks, sweeps } from '../../src/app/periodic-tasks.ts';
import { loadParser, shopGroups, type Catalog } from './shop-joins.ts';

/*
 * Lojal grows past one database server as PostgreSQL + Citus distributed by shop_id
 * (DESIGN.md; docs/operations.md, "Deployment at 10× and 100×"). Citus cannot run here, so this
 * proves the schema and the queries ready for it:
 * - every table has shop_id, every primary key and unique index begins with it, and every
 *   foreign key carries it to the same column of the table it references (colocated joins);
 * - no statement the app runs puts two shops' rows side by side: the SQL of a short scenario
 *   (a shop seeded through the API, its events processed, every periodic task once, every list
 *   read) is captured at the driver and parsed by PostgreSQL's own parser (shop-joins.ts).
 */

/** Tables that are not a shop's, each with what it becomes under Citus and why. */
const GLOBAL_TABLES: Record<string, string> = {
  shops: 'the tenants themselves, keyed by id: a reference table (copied to every node)',
  users:
    "a person's login, which may belong to several shops (memberships): a reference table",
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

let t: TestApp;
let catalog: Catalog;
const captured = new Set<string>();
const originalQuery = pg.Client.prototype.query;
const counted = { lists: 0, answered: 0 };

beforeAll(async () => {
  // Every statement any client of this process sends (the app, the processor, the tasks).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (text) captured.add(text);
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
  await seedShop(t, shop, 'c');
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
    const inward = rows.filter((fk) => fk.table in GLOBAL_TABLES && !(fk.references in GLOBAL_TABLES));
    expect(inward.map((fk) => `${fk.table} → ${fk.references}`)).toEqual([]);
  });
});

describe("Citus readiness: no statement joins two shops' rows", () => {
  it('keeps every shop-scoped relation of every statement the scenario ran on one shop', () => {
    const findings: string[] = [];
    const unparsed: string[] = [];
    let joins = 0;
    for (const text of captured) {
      let groups: string[][];
      try {
        groups = shopGroups(text, catalog);
      } catch (error) {
        unparsed.push(`${(error as Error).message}: ${text.slice(0, 200)}`);
        continue;
      }
      if (groups.flat().length > 1) joins++;
      if (groups.length > 1) {
        findings.push(
          `${groups.map((g) => `[${g.join(', ')}]`).join(' apart from ')}\n  ${oneLine(text).slice(0, 400)}`,
        );
      }
    }
    // LOJAL_SQL_LOG=<file> keeps the statements, one per line, to read or analyse again.
    if (process.env.LOJAL_SQL_LOG) {
      writeFileSync(process.env.LOJAL_SQL_LOG, [...captured].map(oneLine).join('\n') + '\n');
    }
    console.info(
      `citus readiness: ${captured.size} distinct statements, ${joins} over two or more shop ` +
        `relations, ${counted.answered}/${counted.lists} list routes answered`,
    );
    expect(unparsed).toEqual([]);
    expect(findings).toEqual([]);
    // The scenario is the real one: it ran the app's statements, not a handful.
    expect(captured.size).toBeGreaterThan(200);
    expect(joins).toBeGreaterThan(30);
    expect(counted.answered).toBeGreaterThan(30);
  });
});

function oneLine(text: string) {
  return text.replace(/\s+/g, ' ');
}
