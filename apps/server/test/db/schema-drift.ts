import type { DatabaseColumn, DatabaseTables } from './database-columns.ts';
import type { ColumnTypes, SchemaTables, TypeFacts } from './schema-types.ts';

/** The kinds a column's values take when pg reads them, and those pg can write to it. */
interface PgMapping {
  read: string[];
  write: string[];
}

const TEXT: PgMapping = { read: ['string'], write: ['string'] };
const NUMBER: PgMapping = { read: ['number'], write: ['number'] };
const TIMESTAMP: PgMapping = { read: ['Date'], write: ['Date', 'string'] };
// pg parses JSON when reading; when writing it stringifies an object but sends a JS array as a
// PostgreSQL array literal, which is not JSON: arrays go in as JSON text. '*[]' is any array.
const JSON_VALUE: PgMapping = {
  read: ['object', 'unknown', '*[]'],
  write: ['string', 'object', 'unknown'],
};

/**
 * PostgreSQL types as they reach JavaScript through pg, configured by src/db/connect.ts. A type
 * missing here fails the test with its name, so a new one gets a deliberate rule.
 */
const PG_TYPES: Record<string, PgMapping> = {
  text: TEXT,
  varchar: TEXT,
  bpchar: TEXT,
  uuid: TEXT,
  inet: TEXT,
  time: TEXT,
  // connect.ts keeps dates as 'YYYY-MM-DD' strings: a birthday has no time zone.
  date: { read: ['string'], write: ['string', 'Date'] },
  int2: NUMBER,
  int4: NUMBER,
  float4: NUMBER,
  float8: NUMBER,
  // connect.ts parses int8 to a number (amounts and points stay far below 2^53).
  int8: { read: ['number'], write: ['number', 'bigint', 'string'] },
  // numeric has no parser in connect.ts, so pg returns its exact decimal text.
  numeric: { read: ['string'], write: ['string', 'number'] },
  bool: { read: ['boolean'], write: ['boolean'] },
  timestamptz: TIMESTAMP,
  timestamp: TIMESTAMP,
  bytea: { read: ['Buffer'], write: ['Buffer'] },
  json: JSON_VALUE,
  jsonb: JSON_VALUE,
  _text: { read: ['string[]'], write: ['string[]'] },
};

/**
 * Every difference between schema.ts's Database and the database's tables, one line each,
 * naming the table and column. Tables in `ignored` are not compared.
 */
export function findSchemaDrift(
  schema: SchemaTables,
  database: DatabaseTables,
  ignored: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const table of [...database.keys()].sort()) {
    if (!ignored.has(table) && !schema.has(table)) {
      problems.push(`${table}: table in the database, missing from schema.ts's Database`);
    }
  }
  for (const [table, types] of [...schema].sort(([a], [b]) => a.localeCompare(b))) {
    const columns = database.get(table);
    if (!columns) {
      problems.push(`${table}: in schema.ts's Database, but the database has no such table`);
      continue;
    }
    for (const [column, db] of columns) {
      const ts = types.get(column);
      if (!ts) {
        problems.push(
          `${table}.${column}: column in the database (${describe(db)}), missing from schema.ts`,
        );
        continue;
      }
      const context = `(schema.ts: ${ts.declared}; database: ${describe(db)})`;
      for (const problem of columnDrift(db, ts)) {
        problems.push(`${table}.${column}: ${problem} ${context}`);
      }
    }
    for (const column of types.keys()) {
      if (columns.has(column)) continue;
      problems.push(`${table}.${column}: in schema.ts, but the database has no such column`);
    }
  }
  return problems;
}

function columnDrift(db: DatabaseColumn, ts: ColumnTypes): string[] {
  const mapping = PG_TYPES[db.type];
  if (!mapping) {
    return [
      `no rule for PostgreSQL type ${sqlName(db.type)}; add one to PG_TYPES in test/db/schema-drift.ts`,
    ];
  }
  return [...readDrift(db, ts.select, mapping), ...writeDrift(db, ts, mapping)];
}

function readDrift(db: DatabaseColumn, select: TypeFacts, mapping: PgMapping): string[] {
  const problems = strayKinds('select', select, mapping.read, `pg reads ${sqlName(db.type)} as`);
  if (select.never) problems.push('the select type is never');
  if (select.undefined) {
    problems.push(`the select type ${select.text} includes undefined, which pg never returns`);
  }
  // unknown already admits null.
  if (db.nullable && !select.null && !select.kinds.has('unknown')) {
    problems.push(`the column is nullable, but the select type ${select.text} lacks | null`);
  }
  if (!db.nullable && select.null) {
    problems.push(`the column is NOT NULL, but the select type ${select.text} includes null`);
  }
  if (db.allowed && select.literals) {
    const missing = db.allowed.filter((v) => !select.literals?.includes(v));
    const extra = select.literals.filter((v) => !db.allowed?.includes(v));
    if (missing.length > 0) {
      problems.push(`its CHECK allows ${quote(missing)}, which the union ${select.text} lacks`);
    }
    if (extra.length > 0) {
      problems.push(`the union ${select.text} has ${quote(extra)}, which its CHECK refuses`);
    }
  }
  return problems;
}

function writeDrift(db: DatabaseColumn, ts: ColumnTypes, mapping: PgMapping): string[] {
  const { insert, update } = ts;
  if (db.generated) {
    return insert.never && update.never
      ? []
      : ['the database generates it, so its insert and update types must be never'];
  }
  if (insert.never) return ['the insert type is never, but the database does not generate it'];
  const problems = [
    ...strayKinds('insert', insert, mapping.write, `pg writes ${sqlName(db.type)} from`),
    ...strayKinds('update', update, mapping.write, `pg writes ${sqlName(db.type)} from`),
  ];
  if (insert.undefined && !db.hasDefault && !db.nullable) {
    problems.push(
      `an insert may leave it out (insert type ${insert.text}), but it is NOT NULL without a default`,
    );
  }
  for (const [side, facts] of [
    ['insert', insert],
    ['update', update],
  ] as const) {
    if (!db.nullable && facts.null) {
      problems.push(`the column is NOT NULL, but the ${side} type ${facts.text} includes null`);
    }
  }
  return problems;
}

function strayKinds(side: string, facts: TypeFacts, allowed: string[], says: string): string[] {
  const admitted = (kind: string) =>
    allowed.includes(kind) || (allowed.includes('*[]') && kind.endsWith('[]'));
  const stray = [...facts.kinds].filter((kind) => !admitted(kind)).join(', ');
  if (stray === '') return [];
  const which = stray === facts.text ? '' : ` (${stray} does not fit)`;
  return [`the ${side} type is ${facts.text}, but ${says} ${allowed.join(' | ')}${which}`];
}

// information_schema names an array type by its element with a leading underscore.
const sqlName = (type: string) => (type.startsWith('_') ? `${type.slice(1)}[]` : type);

function describe(db: DatabaseColumn): string {
  const parts = [sqlName(db.type), db.nullable ? 'NULL' : 'NOT NULL'];
  if (db.generated) parts.push('GENERATED ALWAYS');
  else if (db.hasDefault) parts.push('DEFAULT');
  if (db.allowed) parts.push(`CHECK IN (${quote(db.allowed)})`);
  return parts.join(' ');
}

const quote = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
