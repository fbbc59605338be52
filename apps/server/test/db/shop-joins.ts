import { loadModule, parseSync } from 'libpg-query';

/*
 * Does a statement ever put two shops' rows side by side? Parsed by PostgreSQL's own parser
 * (libpg-query), every shop-scoped relation a statement reads or writes (a table with shop_id,
 * or shops by its id, at any depth: joins, subqueries, CTEs, IN and EXISTS) must end up in one
 * group, where two relations share a group when the statement says `a.shop_id = b.shop_id`
 * (ON, WHERE, USING, `(shop_id, …) IN (SELECT shop_id, …)`, through a subquery's or CTE's
 * output column) or pins both to the same parameter or constant (`a.shop_id = $1 … b.shop_id =
 * $1`). Only conditions joined by AND at the top of a WHERE or ON count: an equality under OR
 * or CASE does not hold for every row. A statement over one relation is always in one group,
 * even when it reads every shop (a sweep): that is a query to every shard, not a join.
 *
 * That is what Citus needs to run a join on one node (colocated by shop_id), and what keeps
 * one shop's rows from meeting another's.
 */

// The parse tree is PostgreSQL's own node tree as JSON: walked generically.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = any;

/** The columns of each table in the schema; `shop_id` (or shops.id) marks a shop-scoped one. */
export type Catalog = Map<string, Set<string>>;

interface Entry {
  key: string;
  /** The table's shop column (shop_id, or id for shops), or null: not shop-scoped. */
  shopColumn: string | null;
  columns: Set<string> | null;
  derived?: Derived;
}

interface Derived {
  scope: Scope;
  targets: Array<{ name: string | null; expr: N }>;
  /** A set operation's other branches: their output columns are the same columns. */
  branches: Derived[];
}

interface Scope {
  entries: Map<string, Entry>;
  ctes: Map<string, Derived>;
  parent: Scope | undefined;
}

export interface JoinFinding {
  sql: string;
  /** The shop-scoped relations, grouped: more than one group is a finding. */
  groups: string[][];
}

/** Statements that join shop-scoped relations of different shops; ones that do not parse. */
export function crossShopStatements(
  statements: Map<string, unknown[][]>,
  catalog: Catalog,
): { findings: JoinFinding[]; unparsed: string[]; joins: number } {
  const findings: JoinFinding[] = [];
  const unparsed: string[] = [];
  let joins = 0;
  for (const [sql, runs] of statements) {
    try {
      const all = (runs.length > 0 ? runs : [[]]).map((values) => shopGroups(sql, catalog, values));
      if (all[0]!.flat().length > 1) joins++;
      const apart = all.find((groups) => groups.length > 1);
      if (apart) findings.push({ sql, groups: apart });
    } catch (error) {
      unparsed.push(`${(error as Error).message}: ${sql.slice(0, 200)}`);
    }
  }
  return { findings, unparsed, joins };
}

let loaded: Promise<void> | undefined;
/** The parser is WebAssembly: loaded once. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/**
 * The statement's shop-scoped relations in groups of the same shop (call loadParser first).
 * With the values it ran with, two parameters that carried the same shop id are one shop (a
 * query builder numbers each use of a value apart: `shop_id = $1 … shop_id = $5`).
 */
export function shopGroups(sql: string, catalog: Catalog, values: unknown[] = []): string[][] {
  const analysis = new Analysis(catalog, values);
  const { stmts } = parseSync(sql) as N;
  for (const { stmt } of stmts ?? []) analysis.statement(stmt, undefined);
  return analysis.groups();
}

class Analysis {
  private parents = new Map<string, string>();
  private shopEntries: Array<{ key: string; label: string }> = [];
  private count = 0;
  private resolving = new Set<Derived>();

  constructor(
    private readonly catalog: Catalog,
    private readonly values: unknown[],
  ) {}

  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const { key, label } of this.shopEntries) {
      const root = this.find(key);
      byRoot.set(root, [...(byRoot.get(root) ?? []), label]);
    }
    return [...byRoot.values()];
  }

  private find(key: string): string {
    let k = key;
    while (this.parents.has(k)) k = this.parents.get(k)!;
    return k;
  }

  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parents.set(ra, rb);
  }

  /** Any statement node; returns what it outputs (SELECT list, RETURNING) as a derived table. */
  statement(node: N, parent: Scope | undefined): Derived {
    const scope: Scope = { entries: new Map(), ctes: new Map(), parent };
    const [kind, body]: [string?, N?] = Object.entries(node ?? {})[0] ?? [];
    if (!kind) return { scope, targets: [], branches: [] };
    for (const cte of body.withClause?.ctes ?? []) {
      const { ctename, ctequery } = cte.CommonTableExpr;
      // WITH RECURSIVE: inside its own body the name is the CTE, not a table of that name.
      scope.ctes.set(ctename, { scope, targets: [], branches: [] });
      scope.ctes.set(ctename, this.statement(ctequery, scope));
    }
    switch (kind) {
      case 'SelectStmt':
        return this.select(body, scope);
      case 'InsertStmt':
        // The rows inserted come from the SELECT (or VALUES): they belong to the source's shop.
        this.insert(body, scope);
        this.expressions(body.onConflictClause, scope);
        this.expressions(returning(body), scope);
        return { scope, targets: this.targets(returning(body)), branches: [] };
      case 'UpdateStmt':
        this.addEntry(scope, body.relation, body.relation.alias?.aliasname);
        for (const item of body.fromClause ?? []) this.from(item, scope);
        this.conditions(body.whereClause, scope);
        this.expressions([body.targetList, body.whereClause, returning(body)], scope);
        return { scope, targets: this.targets(returning(body)), branches: [] };
      case 'DeleteStmt':
        this.addEntry(scope, body.relation, body.relation.alias?.aliasname);
        for (const item of body.usingClause ?? []) this.from(item, scope);
        this.conditions(body.whereClause, scope);
        this.expressions([body.whereClause, returning(body)], scope);
        return { scope, targets: this.targets(returning(body)), branches: [] };
      case 'CopyStmt':
      case 'DeclareCursorStmt':
        // COPY (query) TO STDOUT and DECLARE … CURSOR FOR query: the query is a statement.
        if (body.query) return this.statement(body.query, scope);
        this.expressions(body, scope);
        return { scope, targets: [], branches: [] };
      default:
        // Anything else (SET, BEGIN, a function's body, DDL): its expressions may hold queries.
        this.expressions(body, scope);
        return { scope, targets: [], branches: [] };
    }
  }

  private insert(body: N, scope: Scope): void {
    const source = body.selectStmt ? this.statement(body.selectStmt, scope) : undefined;
    const alias = this.addEntry(scope, body.relation, body.relation.alias?.aliasname);
    const target = scope.entries.get(alias)!;
    const at = (body.cols ?? []).findIndex((c: N) => c.ResTarget?.name === target.shopColumn);
    if (!target.shopColumn || at < 0 || !source) return;
    const rows: N[][] = body.selectStmt.SelectStmt?.valuesLists?.map((l: N) => l.List.items) ?? [];
    const values = rows.map((row) => [row[at], source.scope] as const);
    const selected = source.targets[at];
    if (selected) values.push([selected.expr, source.scope]);
    for (const [expr, where] of values) {
      const node = this.node(expr, where);
      if (node) this.union(node, target.key);
    }
  }

  private select(body: N, scope: Scope): Derived {
    if (body.op && body.op !== 'SETOP_NONE') {
      const left = this.statement({ SelectStmt: body.larg }, scope);
      const right = this.statement({ SelectStmt: body.rarg }, scope);
      return { ...left, branches: [...left.branches, right, ...right.branches] };
    }
    for (const item of body.fromClause ?? []) this.from(item, scope);
    this.conditions(body.whereClause, scope);
    this.conditions(body.havingClause, scope);
    this.expressions(
      [body.targetList, body.whereClause, body.havingClause, body.valuesLists, body.sortClause],
      scope,
    );
    return { scope, targets: this.targets(body.targetList), branches: [] };
  }

  private targets(list: N[] | undefined) {
    return (list ?? []).map((t: N) => {
      const { name, val } = t.ResTarget ?? {};
      const fields = val?.ColumnRef?.fields as N[] | undefined;
      const last = fields?.[fields.length - 1];
      return { name: name ?? last?.String?.sval ?? (last?.A_Star ? '*' : null), expr: val };
    });
  }

  private from(item: N, scope: Scope): string[] {
    if (item.RangeVar) return [this.addEntry(scope, item.RangeVar, item.RangeVar.alias?.aliasname)];
    if (item.RangeSubselect) {
      const alias = item.RangeSubselect.alias?.aliasname ?? `subquery${++this.count}`;
      const derived = this.statement(item.RangeSubselect.subquery, scope);
      return [this.addDerived(scope, alias, derived)];
    }
    if (item.JoinExpr) {
      const j = item.JoinExpr;
      const left = this.from(j.larg, scope);
      const right = this.from(j.rarg, scope);
      for (const u of j.usingClause ?? []) {
        const column = u.String?.sval;
        const l = left.map((a) => this.column(scope, a, column)).find(Boolean);
        const r = right.map((a) => this.column(scope, a, column)).find(Boolean);
        if (l && r) this.union(l, r);
      }
      this.conditions(j.quals, scope);
      this.expressions(j.quals, scope);
      return [...left, ...right];
    }
    // Functions (unnest, jsonb_to_recordset…): no shop's rows, but their arguments may query.
    const alias = item.RangeFunction?.alias?.aliasname ?? `function${++this.count}`;
    const names = (item.RangeFunction?.alias?.colnames ?? []).map((c: N) => c.String?.sval);
    scope.entries.set(alias, {
      key: `${alias}#${++this.count}`,
      shopColumn: null,
      columns: new Set(names),
    });
    this.expressions(item, scope);
    return [alias];
  }

  private addEntry(scope: Scope, rv: N, alias: string | undefined): string {
    const name = alias ?? rv.relname;
    const cte = rv.schemaname ? undefined : this.cte(scope, rv.relname);
    if (cte) return this.addDerived(scope, name, cte);
    const table = rv.schemaname && rv.schemaname !== 'public' ? undefined : rv.relname;
    const columns = (table && this.catalog.get(table)) || null;
    const shopColumn =
      table === 'shops' ? 'id' : columns?.has('shop_id') === true ? 'shop_id' : null;
    const key = `${name}#${++this.count}`;
    scope.entries.set(name, { key, shopColumn, columns });
    if (shopColumn) {
      const label = name === table ? String(table) : `${table} ${name}`;
      this.shopEntries.push({ key, label });
    }
    return name;
  }

  private addDerived(scope: Scope, alias: string, derived: Derived): string {
    scope.entries.set(alias, {
      key: `${alias}#${++this.count}`,
      shopColumn: null,
      columns: null,
      derived,
    });
    return alias;
  }

  private cte(scope: Scope | undefined, name: string): Derived | undefined {
    for (let s = scope; s; s = s.parent) if (s.ctes.has(name)) return s.ctes.get(name);
    return undefined;
  }

  /** The shop key node of `alias.column`, or null when that column is not a shop key. */
  private column(scope: Scope, alias: string, column: string): string | null {
    const entry = scope.entries.get(alias);
    if (!entry) return null;
    if (entry.shopColumn) return entry.shopColumn === column ? entry.key : null;
    if (entry.derived) return this.output(entry.derived, column);
    // A function's rows (unnest of a batch): each row's shop_id is one shop for what joins it.
    return column === 'shop_id' && entry.columns?.has(column) ? `${entry.key}.${column}` : null;
  }

  private output(derived: Derived, column: string): string | null {
    // A CTE that reads itself (WITH RECURSIVE) must not send the lookup round for ever.
    if (this.resolving.has(derived)) return null;
    this.resolving.add(derived);
    try {
      return this.outputOnce(derived, column);
    } finally {
      this.resolving.delete(derived);
    }
  }

  private outputOnce(derived: Derived, column: string): string | null {
    let found: string | null = null;
    for (const d of [derived, ...derived.branches]) {
      const target =
        d.targets.find((t) => t.name === column) ?? d.targets.find((t) => t.name === '*');
      if (!target) continue;
      const node =
        target.name === '*' ? this.unqualified(d.scope, column) : this.node(target.expr, d.scope);
      if (node && found) this.union(node, found);
      found ??= node;
    }
    return found;
  }

  /** An unqualified column: the one relation of the scope that has it, or an outer scope's. */
  private unqualified(scope: Scope, column: string): string | null {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const having = [...s.entries.entries()].filter(([, e]) => hasColumn(e, column));
      if (having.length === 1) return this.column(s, having[0]![0], column);
      if (having.length > 1) return null;
    }
    return null;
  }

  /** The shop key an expression stands for: a shop column, a parameter or a constant. */
  private node(expr: N, scope: Scope): string | null {
    if (!expr) return null;
    if (expr.TypeCast) return this.node(expr.TypeCast.arg, scope);
    if (expr.ParamRef) {
      const value = this.values[expr.ParamRef.number - 1];
      return typeof value === 'string' ? `'${value}'` : `$${expr.ParamRef.number}`;
    }
    if (expr.A_Const?.sval) return `'${expr.A_Const.sval.sval}'`;
    const fields = expr.ColumnRef?.fields as N[] | undefined;
    if (!fields || fields.some((f) => !f.String)) return null;
    const names = fields.map((f) => f.String.sval as string);
    const column = names[names.length - 1]!;
    if (names.length === 1) return this.unqualified(scope, column);
    const alias = names[names.length - 2]!;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.entries.has(alias)) return this.column(s, alias, column);
    }
    return null;
  }

  /** The equalities ANDed at the top of a WHERE or ON, and IN over a subquery's rows. */
  private conditions(expr: N, scope: Scope): void {
    if (!expr) return;
    if (expr.BoolExpr?.boolop === 'AND_EXPR') {
      for (const arg of expr.BoolExpr.args) this.conditions(arg, scope);
      return;
    }
    const op = expr.A_Expr;
    if (op?.kind === 'AEXPR_OP' && op.name?.[0]?.String?.sval === '=') {
      const left = this.rowOf(op.lexpr);
      const right = this.rowOf(op.rexpr);
      if (left.length !== right.length) return;
      left.forEach((l, i) => {
        const a = this.node(l, scope);
        const b = this.node(right[i], scope);
        if (a && b) this.union(a, b);
      });
    }
  }

  private rowOf(expr: N): N[] {
    return expr?.RowExpr ? expr.RowExpr.args : [expr];
  }

  /** Walks expressions for subqueries (each a scope of its own under this one). */
  private expressions(tree: N, scope: Scope): void {
    if (Array.isArray(tree)) {
      for (const item of tree) this.expressions(item, scope);
      return;
    }
    if (!tree || typeof tree !== 'object') return;
    if (tree.SubLink) {
      const link = tree.SubLink;
      const derived = this.statement(link.subselect, scope);
      this.expressions(link.testexpr, scope);
      if (link.subLinkType === 'ANY_SUBLINK' && link.testexpr) {
        this.rowOf(link.testexpr).forEach((t, i) => {
          const a = this.node(t, scope);
          const target = derived.targets[i];
          const b = target ? this.node(target.expr, derived.scope) : null;
          if (a && b) this.union(a, b);
        });
      }
      return;
    }
    for (const value of Object.values(tree)) this.expressions(value, scope);
  }
}

function hasColumn(entry: Entry, column: string): boolean {
  if (entry.derived) {
    return [entry.derived, ...entry.derived.branches].some((d) =>
      d.targets.some((t) => t.name === column || t.name === '*'),
    );
  }
  return entry.shopColumn === column || entry.columns?.has(column) === true;
}

/** RETURNING's expressions (PostgreSQL 18 keeps them in returningClause, for OLD and NEW). */
function returning(body: N): N[] | undefined {
  return body.returningClause?.exprs ?? body.returningList;
}
