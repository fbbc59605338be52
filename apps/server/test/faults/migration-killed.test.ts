import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startServerProcess } from '../support/server-process.ts';
import { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const migrationFiles = readdirSync(path.join(here, '../../src/db/migrations')).filter((f) =>
  /^\d{4}_.+\.sql$/.test(f),
);
// The migration in whose middle the process dies.
const STALL_AT = Math.ceil(migrationFiles.length / 2);

let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

/**
 * Plants a stall in the database: after any DDL of the STALL_AT-th migration, in a session that
 * asks for it (`lojal.fault_stall`), the migration sleeps, so the test can kill its process
 * there. An event trigger, so no migration file is touched.
 */
async function plantStall(database: string): Promise<void> {
  await cluster.admin(
    `CREATE FUNCTION fault_stall() RETURNS event_trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF current_setting('lojal.fault_stall', true) = 'on'
          AND to_regclass('public.schema_migrations') IS NOT NULL THEN
         IF (SELECT count(*) FROM public.schema_migrations) >= ${STALL_AT} THEN
           PERFORM pg_sleep(600);
         END IF;
       END IF;
     END $$;
     CREATE EVENT TRIGGER fault_stall ON ddl_command_end EXECUTE FUNCTION fault_stall();`,
    database,
  );
}

/** What a schema is made of, as information_schema (and pg_indexes) tell it. */
async function schemaOf(database: string): Promise<Record<string, string[]>> {
  const queries: Record<string, string> = {
    columns: `SELECT table_schema, table_name, column_name, ordinal_position, data_type, udt_name,
                     is_nullable, column_default
              FROM information_schema.columns WHERE table_schema IN ('public', 'graphile_worker')`,
    constraints: `SELECT tc.table_schema, tc.table_name, tc.constraint_name, tc.constraint_type,
                         cc.check_clause
                  FROM information_schema.table_constraints tc
                  LEFT JOIN information_schema.check_constraints cc USING (constraint_schema, constraint_name)
                  WHERE tc.table_schema IN ('public', 'graphile_worker')
                    -- NOT NULL shows as a CHECK named by OIDs; columns.is_nullable covers it
                    AND tc.constraint_name !~ '^[0-9]+_[0-9]+_[0-9]+_not_null$'`,
    keys: `SELECT table_schema, table_name, constraint_name, column_name, ordinal_position
           FROM information_schema.key_column_usage WHERE table_schema IN ('public', 'graphile_worker')`,
    routines: `SELECT routine_schema, routine_name, routine_type, data_type, routine_definition
               FROM information_schema.routines WHERE routine_schema IN ('public', 'graphile_worker')`,
    triggers: `SELECT trigger_schema, trigger_name, event_object_table, event_manipulation, action_statement
               FROM information_schema.triggers WHERE trigger_schema IN ('public', 'graphile_worker')`,
    views: `SELECT table_schema, table_name, view_definition
            FROM information_schema.views WHERE table_schema IN ('public', 'graphile_worker')`,
    indexes: `SELECT schemaname, tablename, indexname, indexdef
              FROM pg_indexes WHERE schemaname IN ('public', 'graphile_worker')`,
    migrations: `SELECT name FROM public.schema_migrations`,
  };
  const schema: Record<string, string[]> = {};
  for (const [part, text] of Object.entries(queries)) {
    const { rows } = await cluster.admin(text, database);
    schema[part] = rows.map((r) => JSON.stringify(Object.values(r))).sort();
  }
  return schema;
}

describe('the process killed during a migration', () => {
  it('resumes cleanly: the next run completes, the schema equals a clean one, the app starts', async () => {
    const url = await cluster.createDatabase({ migrated: false });
    const database = new URL(url).pathname.slice(1);
    await plantStall(database);
    const stalled = new URL(url);
    // The backend notices its client is gone within 100 ms, as it would on a network drop.
    stalled.searchParams.set(
      'options',
      '-c lojal.fault_stall=on -c client_connection_check_interval=100',
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'migrate-child.ts'), stalled.href],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
    // Wait until the migration sleeps in its transaction, then kill the process.
    for (let i = 0; ; i++) {
      const { rows } = await cluster.admin<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = '${database}' AND wait_event = 'PgSleep'`,
      );
      if (rows[0]!.n > 0) break;
      if (child.exitCode !== null || i > 600) throw new Error(`no stall:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The migrations before it are committed; the one cut is not, and its lock is gone.
    const { rows: applied } = await cluster.admin<{ n: number }>(
      'SELECT count(*)::int AS n FROM schema_migrations',
      database,
    );
    expect(applied[0]!.n).toBe(STALL_AT - 1);
    console.info(
      `killed in migration ${migrationFiles.sort()[STALL_AT - 1]}: ${STALL_AT - 1} of ${migrationFiles.length} applied`,
    );

    // The next run (here without the stall) completes.
    const { db, pool } = connect(url, 2);
    try {
      const { applied: second } = await migrate(pool);
      expect(second).toEqual(migrationFiles.sort().slice(STALL_AT - 1));
    } finally {
      await db.destroy();
    }
    await cluster.admin('DROP EVENT TRIGGER fault_stall; DROP FUNCTION fault_stall()', database);

    const clean = await cluster.createDatabase();
    const [resumed, reference] = await Promise.all([
      schemaOf(database),
      schemaOf(new URL(clean).pathname.slice(1)),
    ]);
    expect(resumed.columns!.length).toBeGreaterThan(100);
    expect(resumed).toEqual(reference);

    // And the app starts on it.
    const server = await startServerProcess(url);
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 150_000);
});
