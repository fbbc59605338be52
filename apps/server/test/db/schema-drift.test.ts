import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { readDatabaseColumns, type DatabaseColumn } from './database-columns.ts';
import { findSchemaDrift } from './schema-drift.ts';
import { readSchemaTypes } from './schema-types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA_FILE = path.join(here, '../../src/db/schema.ts');
// migrate.ts's own bookkeeping, read with raw SQL rather than through Kysely's types.
const NOT_IN_SCHEMA_TS = new Set(['schema_migrations']);

describe('schema.ts against the migrated database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  // The 60 s timeout: type-checking schema.ts with kysely and @types/node takes seconds.
  it('has every public table and column, with matching types, nullability and defaults', async () => {
    // graphile-worker keeps its tables in its own schema; ours are all in public.
    const tables = await readDatabaseColumns(database.pool, 'public');
    const schema = readSchemaTypes(SCHEMA_FILE);
    expect(tables.size).toBeGreaterThan(50);

    const drift = findSchemaDrift(schema, tables, NOT_IN_SCHEMA_TS);
    expect(drift.join('\n'), 'schema.ts has drifted from the migrations').toBe('');
  }, 60_000);
});

// A schema file that is never written to disk: the checker reads it from this text.
const SAMPLE_FILE = path.join(here, 'drift-sample.ts');
const SAMPLE = `
import type { ColumnType, Generated } from 'kysely';
type Timestamp = ColumnType<Date, Date | string, Date | string>;
interface GoodTable {
  id: string;
  status: Generated<'pending' | 'done'>;
  points: number;
  at: Timestamp;
  note: string | null;
  data: ColumnType<Record<string, unknown>, string, string>;
  tags: Generated<string[]>;
}
export interface Database {
  good: GoodTable;
  copy: Omit<GoodTable, 'note'> & { memo: string | null };
  bad: {
    missing_null: string;
    extra_null: string | null;
    short_union: 'a' | 'b';
    bigint_as_string: string;
    generated_without_default: Generated<number>;
    json_array: ColumnType<string[], string[], string[]>;
    computed: string;
    vector: string;
    only_in_schema_ts: string;
  };
  only_in_schema_ts: { id: string };
}`;

const column = (type: string, facts: Partial<DatabaseColumn> = {}): DatabaseColumn => ({
  type,
  nullable: false,
  hasDefault: false,
  generated: false,
  ...facts,
});
const goodColumns = (): [string, DatabaseColumn][] => [
  ['id', column('text')],
  ['status', column('text', { hasDefault: true, allowed: ['done', 'pending'] })],
  ['points', column('int8')],
  ['at', column('timestamptz')],
  ['data', column('jsonb')],
  ['tags', column('_text', { hasDefault: true })],
];

describe('the drift check', () => {
  let problems: string[] = [];
  beforeAll(() => {
    problems = findSchemaDrift(
      readSchemaTypes(SAMPLE_FILE, SAMPLE),
      new Map([
        ['good', new Map([...goodColumns(), ['note', column('text', { nullable: true })]])],
        ['copy', new Map([...goodColumns(), ['memo', column('text', { nullable: true })]])],
        [
          'bad',
          new Map([
            ['missing_null', column('text', { nullable: true })],
            ['extra_null', column('text')],
            ['short_union', column('text', { allowed: ['a', 'b', 'c'] })],
            ['bigint_as_string', column('int8')],
            ['generated_without_default', column('int4')],
            ['json_array', column('jsonb')],
            ['computed', column('text', { generated: true })],
            ['vector', column('tsvector')],
            ['only_in_database', column('text')],
          ]),
        ],
        ['only_in_database', new Map([['id', column('text')]])],
      ]),
    );
  });
  const reported = (start: string) => problems.filter((p) => p.startsWith(start));

  it('passes literal unions, aliases, ColumnType and Omit<…> & {…} that match the database', () => {
    expect([...reported('good'), ...reported('copy')]).toEqual([]);
  });

  it('names a nullable column typed without | null, and null on a NOT NULL one', () => {
    expect(
      reported('bad.missing_null: the column is nullable, but the select type string lacks | null'),
    ).toHaveLength(1);
    expect(
      reported(
        'bad.extra_null: the column is NOT NULL, but the select type string | null includes null',
      ),
    ).toHaveLength(1);
  });

  it('names a literal union that lacks a value its CHECK allows', () => {
    expect(
      reported('bad.short_union: its CHECK allows \'c\', which the union "a" | "b" lacks'),
    ).toHaveLength(1);
  });

  it('names a type pg does not produce, and an array written to jsonb', () => {
    expect(
      reported('bad.bigint_as_string: the select type is string, but pg reads int8 as number'),
    ).toHaveLength(1);
    expect(
      reported('bad.json_array: the insert type is string[], but pg writes jsonb from'),
    ).toHaveLength(1);
  });

  it('names Generated<…> without a default, and a generated column an insert may set', () => {
    expect(reported('bad.generated_without_default: an insert may leave it out')).toHaveLength(1);
    expect(reported('bad.computed: the database generates it')).toHaveLength(1);
  });

  it('names a PostgreSQL type it has no rule for', () => {
    expect(reported('bad.vector: no rule for PostgreSQL type tsvector')).toHaveLength(1);
  });

  it('names tables and columns found on one side only', () => {
    expect(problems).toEqual(
      expect.arrayContaining([
        "only_in_database: table in the database, missing from schema.ts's Database",
        "only_in_schema_ts: in schema.ts's Database, but the database has no such table",
        'bad.only_in_database: column in the database (text NOT NULL), missing from schema.ts',
        'bad.only_in_schema_ts: in schema.ts, but the database has no such column',
      ]),
    );
  });
});
