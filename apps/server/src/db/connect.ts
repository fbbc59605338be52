import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// int8 (bigint) and numeric arrive as strings by default; amounts and points fit in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Dates stay strings: a birthday has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function connect(connectionString: string, poolSize = 20): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
