import type pg from 'pg';

export interface DatabaseColumn {
  /** information_schema's udt_name: int8, timestamptz, _text for text[], … */
  type: string;
  nullable: boolean;
  /** A DEFAULT or an identity: an insert may leave it out. */
  hasDefault: boolean;
  /** GENERATED ALWAYS (a stored expression or an identity): an insert may not set it. */
  generated: boolean;
  /** The values a CHECK (column IN (…)) constraint allows, when there is one. */
  allowed?: string[];
}

export type DatabaseTables = Map<string, Map<string, DatabaseColumn>>;

/**
 * The tables of one schema and their columns, as the migrated database has them. Views are left
 * out: PostgreSQL reports every view column as nullable, so they would need rules of their own.
 */
export async function readDatabaseColumns(pool: pg.Pool, schema: string): Promise<DatabaseTables> {
  const { rows } = await pool.query<{
    table_name: string;
    column_name: string | null;
    udt_name: string;
    nullable: boolean;
    has_default: boolean;
    generated: boolean;
  }>(
    `SELECT t.table_name, c.column_name, c.udt_name, c.is_nullable = 'YES' AS nullable,
            (c.column_default IS NOT NULL OR c.is_identity = 'YES') AS has_default,
            (c.is_generated = 'ALWAYS' OR c.identity_generation = 'ALWAYS') AS generated
     FROM information_schema.tables t
     LEFT JOIN information_schema.columns c USING (table_schema, table_name)
     WHERE t.table_schema = $1 AND t.table_type = 'BASE TABLE'
     ORDER BY t.table_name, c.ordinal_position`,
    [schema],
  );
  const allowed = await readAllowedValues(pool, schema);
  const tables: DatabaseTables = new Map();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Map<string, DatabaseColumn>();
    tables.set(row.table_name, columns);
    if (row.column_name === null) continue;
    columns.set(row.column_name, {
      type: row.udt_name,
      nullable: row.nullable,
      hasDefault: row.has_default,
      generated: row.generated,
      allowed: allowed.get(`${row.table_name}.${row.column_name}`),
    });
  }
  return tables;
}

// How PostgreSQL prints CHECK (status IN ('a', 'b')) and CHECK (status = 'a') back.
const IN_LIST =
  /^CHECK \(\(\(?(\w+)\)?(?:::text)? = ANY \(\(?ARRAY\[(.*)\]\)?(?:::text\[\])?\)\)\)$/;
const EQUALS = /^CHECK \(\(\(?(\w+)\)?(?:::text)? = ('(?:[^']|'')*'::[\w ]+)\)\)$/;
const LITERAL = /'((?:[^']|'')*)'::/g;

/** `table.column` → the values its one-column CHECK (… IN (…)) constraint lists. */
async function readAllowedValues(pool: pg.Pool, schema: string): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string; definition: string }>(
    `SELECT rel.relname AS table_name, pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con
     JOIN pg_class rel ON rel.oid = con.conrelid
     JOIN pg_namespace ns ON ns.oid = rel.relnamespace
     WHERE con.contype = 'c' AND ns.nspname = $1 AND cardinality(con.conkey) = 1`,
    [schema],
  );
  const allowed = new Map<string, string[]>();
  for (const { table_name, definition } of rows) {
    const match = IN_LIST.exec(definition) ?? EQUALS.exec(definition);
    if (!match?.[1] || !match[2]) continue;
    const values = [...match[2].matchAll(LITERAL)].map((m) => (m[1] ?? '').replaceAll("''", "'"));
    allowed.set(`${table_name}.${match[1]}`, values.sort());
  }
  return allowed;
}
