import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * What one side (select, insert or update) of a column's Kysely type admits. Kinds are the
 * runtime shapes a value can take: string, number, bigint, boolean, Date, Buffer, object,
 * unknown, or one of those followed by [] for an array.
 */
export interface TypeFacts {
  text: string;
  kinds: Set<string>;
  null: boolean;
  undefined: boolean;
  never: boolean;
  /** The values of a closed string-literal union ('pending' | 'processed'); absent otherwise. */
  literals?: string[];
}

export interface ColumnTypes {
  /** The type as written in schema.ts, for messages. */
  declared: string;
  select: TypeFacts;
  insert: TypeFacts;
  update: TypeFacts;
}

export type SchemaTables = Map<string, Map<string, ColumnTypes>>;

/**
 * Reads the `Database` interface of a schema file with the compiler's own type checker, so
 * aliases (Timestamp, Nullable<T>), Generated<…>, ColumnType<…> and Omit<…> & {…} resolve the
 * way Kysely sees them. `sourceText` stands in for the file's contents (tests of the checker).
 */
export function readSchemaTypes(fileName: string, sourceText?: string): SchemaTables {
  const program = createProgram(fileName, sourceText);
  const source = program.getSourceFile(fileName);
  if (!source) throw new Error(`cannot read ${fileName}`);
  const errors = [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ];
  // A type that failed to resolve reads as any, which would let every column pass.
  if (errors.length > 0) {
    const text = ts.formatDiagnostics(errors, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => path.dirname(fileName),
      getNewLine: () => '\n',
    });
    throw new Error(`${fileName} does not type-check:\n${text}`);
  }
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(source);
  const database = module && checker.getExportsOfModule(module).find((s) => s.name === 'Database');
  if (!database) throw new Error(`${fileName} exports no Database interface`);

  const tables: SchemaTables = new Map();
  for (const table of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(database))) {
    const columns = new Map<string, ColumnTypes>();
    for (const column of checker.getPropertiesOfType(checker.getTypeOfSymbol(table))) {
      columns.set(column.name, columnTypes(checker, column));
    }
    tables.set(table.name, columns);
  }
  return tables;
}

// Parsed declaration files (lib, @types/node, kysely) kept for the next program in this run.
const parsedFiles = new Map<string, ts.SourceFile>();

function createProgram(fileName: string, sourceText: string | undefined): ts.Program {
  // The server's own compiler options, so strictNullChecks and module resolution match typecheck.
  const configPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) => {
    if (name === fileName && sourceText !== undefined) {
      return ts.createSourceFile(name, sourceText, ts.ScriptTarget.ES2022, true);
    }
    if (!name.endsWith('.d.ts')) return getSourceFile.call(host, name, ...rest);
    const file = parsedFiles.get(name) ?? getSourceFile.call(host, name, ...rest);
    if (file) parsedFiles.set(name, file);
    return file;
  };
  if (sourceText !== undefined) {
    host.fileExists = (name) => name === fileName || fileExists.call(host, name);
    host.readFile = (name) => (name === fileName ? sourceText : readFile.call(host, name));
  }
  return ts.createProgram([fileName], options, host);
}

function columnTypes(checker: ts.TypeChecker, column: ts.Symbol): ColumnTypes {
  const type = checker.getTypeOfSymbol(column);
  const declaration = column.declarations?.[0];
  const declared =
    declaration && ts.isPropertySignature(declaration) && declaration.type
      ? declaration.type.getText()
      : checker.typeToString(type);
  // Kysely's ColumnType<S, I, U> is { __select__: S; __insert__: I; __update__: U }.
  const side = (name: string) => {
    const property = checker.getPropertyOfType(type, name);
    return typeFacts(checker, property ? checker.getTypeOfSymbol(property) : type);
  };
  return {
    declared,
    select: side('__select__'),
    insert: side('__insert__'),
    update: side('__update__'),
  };
}

function typeFacts(checker: ts.TypeChecker, type: ts.Type): TypeFacts {
  const facts: TypeFacts = {
    text: checker.typeToString(type),
    kinds: new Set(),
    null: false,
    undefined: false,
    never: (type.flags & ts.TypeFlags.Never) !== 0,
  };
  const literals: string[] = [];
  let openString = false;
  for (const member of type.isUnion() ? type.types : [type]) {
    const flags = member.flags;
    if (flags & ts.TypeFlags.Never) continue;
    if (flags & ts.TypeFlags.Null) facts.null = true;
    else if (flags & ts.TypeFlags.Undefined) facts.undefined = true;
    else if (member.isStringLiteral()) literals.push(member.value);
    else if (flags & ts.TypeFlags.String) openString = true;
    for (const kind of kindsOf(checker, member)) facts.kinds.add(kind);
  }
  if (literals.length > 0 && !openString) facts.literals = literals.sort();
  return facts;
}

function kindsOf(checker: ts.TypeChecker, type: ts.Type): string[] {
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) return [];
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return ['unknown'];
  if (flags & ts.TypeFlags.StringLike) return ['string'];
  if (flags & ts.TypeFlags.NumberLike) return ['number'];
  if (flags & ts.TypeFlags.BigIntLike) return ['bigint'];
  if (flags & ts.TypeFlags.BooleanLike) return ['boolean'];
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    const inner = element ? typeFacts(checker, element).kinds : new Set(['unknown']);
    return [...inner].map((kind) => `${kind}[]`);
  }
  // A branded primitive (string & { __brand }) is still that primitive at runtime.
  if (type.isIntersection()) {
    const primitive = type.types
      .flatMap((part) => kindsOf(checker, part))
      .find((k) => k !== 'object');
    return [primitive ?? 'object'];
  }
  const name = type.getSymbol()?.name;
  if (name === 'Date' || name === 'Buffer') return [name];
  if (flags & ts.TypeFlags.Object) return ['object'];
  return [`unsupported type ${checker.typeToString(type)}`];
}
