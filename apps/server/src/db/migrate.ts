import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { Logger as GraphileLogger, runMigrations } from 'graphile-worker';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant unique to Lojal; holds off a second process until the first has migrated.
const MIGRATION_LOCK = 4_171_940_211;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies migrations/NNNN_name.sql in order, each in its own transaction. A session-level
 * advisory lock makes two processes starting at once take turns; the second finds nothing
 * left to do.
 */
export async function migrate(pool: pg.Pool): Promise<MigrationResult> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
        (r) => r.name,
      ),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await client.query('BEGIN');
      try {
        // Recorded first so a concurrent migrator without the lock would fail on the key.
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query(sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  // graphile-worker keeps its jobs in its own schema and migrates it itself.
  await runMigrations({ pgPool: pool, logger: new GraphileLogger(() => () => undefined) });
  return { applied };
}
