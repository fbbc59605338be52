import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  CUSTOMER_COLUMNS,
  PERSONAL_COLUMNS,
  isListedNotPersonal,
} from '../../src/db/personal-data.ts';
import { exportedTables } from '../../src/customers/export-customer-data.ts';

// The register (src/db/personal-data.ts) against the migrated schema: a text, JSON, binary or
// array column that is neither personal nor listed as not personal fails here, so a new column
// cannot slip past the customer's export and erasure.
let t: TestDatabase;
let columns: Array<{ table_name: string; column_name: string; data_type: string }>;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ rows: columns } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public'
      AND table_name NOT IN (SELECT table_name FROM information_schema.views WHERE table_schema = 'public')
    ORDER BY table_name, ordinal_position`.execute(t.db));
});
afterAll(() => t.drop());

const TEXT_LIKE = new Set([
  'text',
  'character varying',
  'character',
  'json',
  'jsonb',
  'bytea',
  'ARRAY',
  'inet',
  'USER-DEFINED',
]);

describe('the personal-data register', () => {
  it('classifies every text, JSON, binary and array column of the schema', () => {
    const personal = new Set(PERSONAL_COLUMNS.map((p) => `${p.table}.${p.column}`));
    const unclassified = columns
      .filter((c) => TEXT_LIKE.has(c.data_type) && c.column_name !== 'shop_id')
      .map((c) => `${c.table_name}.${c.column_name}`)
      .filter((key) => {
        const [table, column] = key.split('.') as [string, string];
        return !personal.has(key) && !isListedNotPersonal(table, column);
      });
    expect(unclassified, 'add these to src/db/personal-data.ts and docs/privacy.md').toEqual([]);
    expect(columns.length).toBeGreaterThan(500);
  });

  it('names only columns that exist, each once, none both personal and not personal', () => {
    const existing = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    const keys = PERSONAL_COLUMNS.map((p) => `${p.table}.${p.column}`);
    expect(keys.filter((k) => !existing.has(k))).toEqual([]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(
      PERSONAL_COLUMNS.filter((p) => isListedNotPersonal(p.table, p.column)).map(
        (p) => `${p.table}.${p.column}`,
      ),
    ).toEqual([]);
  });

  it("has the export read every table holding a customer's personal column", () => {
    const exported = new Set(exportedTables());
    const missing = CUSTOMER_COLUMNS.filter((p) => p.export !== 'none')
      .map((p) => p.table)
      .filter((table) => !exported.has(table));
    expect([...new Set(missing)]).toEqual([]);
  });
});
