// The query levels of each statement (SELECT bodies, CTEs, subqueries, set-operation branches, UPDATE/DELETE/MERGE targets) with their relations, joins, WHERE and LIMIT.
import type { Catalog, Table } from '../catalog/types';
import { resolveTable } from '../catalog/build';
import { as, constValue, optionOn, locationOf, strs, unwrap, walk } from '../parse/ast';
import { tokenIndexAt, type Statement, type Token } from '../parse/parse';
import { lazyField, once } from './lazy';

export type LevelKind = 'select' | 'values' | 'update' | 'delete' | 'merge';
/** How a level's rows are used: the statement's result, a CTE, a FROM subquery, a sublink (EXISTS, IN, scalar), or INSERT's source. */
export type LevelContext = 'root' | 'cte' | 'from' | 'sublink' | 'insert-source';
/** A statement that carries a query without being one: its query does not run as written (view, EXPLAIN) or feeds something else. */
export type Wrapper = 'view' | 'create-table-as' | 'select-into' | 'explain' | 'explain-analyze' | 'copy' | 'cursor' | 'prepare';

/** One FROM item (or UPDATE/DELETE/MERGE target, MERGE source) at a query level. */
export interface Rel {
  kind: 'table' | 'cte' | 'subquery' | 'function' | 'other';
  role: 'from' | 'target' | 'source';
  schema?: string;
  name?: string;
  alias?: string;
  /** The name column references qualify with: the alias, else the relation name. */
  refName?: string;
  /** String offsets of the written relation name (schema-qualified, quotes included); -1 when it has none. */
  start: number;
  end: number;
  /** The catalog entry of a table reference, when the workspace defines it. */
  table?: Table;
  /** The bodies of a CTE or FROM subquery (one per set-operation branch), or of a view's query. */
  body?: QueryLevel[];
  /** A view's query: every level of it, its sublinks, CTEs and FROM subqueries included (outer levels first). */
  viewLevels?: QueryLevel[];
  /** Column names given by an alias list, e.g. `AS s(a, b)` or `WITH c(a, b)`. */
  aliasColumns?: string[];
  level: QueryLevel;
  node: unknown;
}

export interface JoinInfo {
  /** `cross` is an inner join with no condition. MERGE is modelled as a join of target (left) and source (right). */
  type: 'inner' | 'left' | 'right' | 'full' | 'cross';
  quals?: unknown;
  using: string[];
  natural: boolean;
  left: Rel[];
  right: Rel[];
  merge: boolean;
}

export interface QueryLevel {
  id: number;
  kind: LevelKind;
  context: LevelContext;
  /** A branch of UNION / INTERSECT / EXCEPT. */
  setBranch: boolean;
  /** The SelectStmt / UpdateStmt / DeleteStmt / MergeStmt payload. */
  node: Record<string, unknown>;
  rels: Rel[];
  joins: JoinInfo[];
  where?: unknown;
  /** LIMIT or FETCH on this level or on the set operation it is a branch of (LIMIT ALL / NULL do not count). */
  limited: boolean;
  /** The level whose relations column references here can also see (correlated sublinks, LATERAL). */
  outer?: QueryLevel;
  statement: Statement;
  searchPath: string[];
}

export interface StatementScopes {
  statement: Statement;
  /** The statement kind, e.g. SelectStmt. */
  kind: string;
  wrapper?: Wrapper;
  /** Every query level, outer levels before the levels nested in them. */
  levels: QueryLevel[];
}

interface Build {
  catalog: Catalog;
  /** The statement's tokens, scanned when a relation's range is first read. */
  tokens: () => Token[];
  statement: Statement;
  searchPath: string[];
  levels: QueryLevel[];
  /** How many views deep this build is (a view's query is built when a rule first looks through it). */
  viewDepth?: number;
}

/** CTE name → its bodies (one per set branch) and its column alias list. */
type Ctes = ReadonlyMap<string, { bodies: QueryLevel[]; columns?: string[] }>;

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * The query levels of one statement. `searchPath` resolves unqualified table names. `tokens` (those of the
 * statement, or a function giving them) place relation names; a function is called only for statements with some.
 */
export function statementScopes(statement: Statement, catalog: Catalog, tokens: Token[] | (() => Token[]), searchPath: string[] = ['public']): StatementScopes {
  const b: Build = { catalog, tokens: typeof tokens === 'function' ? once(tokens) : () => tokens, statement, searchPath, levels: [] };
  const u = unwrap(statement.node);
  const out: StatementScopes = { statement, kind: statement.kind, levels: b.levels };
  if (!u) return out;
  let query: unknown = statement.node;
  if (!DML.has(u.kind)) {
    const w = wrapperOf(u.kind, u.value);
    if (!w) return out;
    out.wrapper = w;
    query = u.value.query;
  } else if (u.kind === 'SelectStmt' && u.value.intoClause) {
    out.wrapper = 'select-into';
  }
  queryLevels(b, query, 'root', undefined, new Map(), false, false);
  return out;
}

function wrapperOf(kind: string, v: Record<string, unknown>): Wrapper | undefined {
  switch (kind) {
    case 'ViewStmt':
      return 'view';
    case 'CreateTableAsStmt':
      return v.objtype === 'OBJECT_MATVIEW' ? 'view' : 'create-table-as';
    case 'ExplainStmt': {
      const analyze = optionOn(v.options, 'analyze');
      return analyze ? 'explain-analyze' : 'explain';
    }
    case 'CopyStmt':
      return v.query ? 'copy' : undefined;
    case 'DeclareCursorStmt':
      return 'cursor';
    case 'PrepareStmt':
      return 'prepare';
    default:
      return undefined;
  }
}

function newLevel(
  b: Build,
  kind: LevelKind,
  context: LevelContext,
  node: Record<string, unknown>,
  outer: QueryLevel | undefined,
  setBranch: boolean,
  limited: boolean,
): QueryLevel {
  const level: QueryLevel = {
    id: b.levels.length,
    kind,
    context,
    setBranch,
    node,
    rels: [],
    joins: [],
    limited,
    outer,
    statement: b.statement,
    searchPath: b.searchPath,
  };
  b.levels.push(level);
  return level;
}

/** Whether a SELECT has a LIMIT / FETCH that bounds its rows (LIMIT ALL and LIMIT NULL do not). */
function hasLimit(s: Record<string, unknown>): boolean {
  if (!s.limitCount) return false;
  return constValue(s.limitCount) !== null;
}

/** Adds the CTEs of a WITH clause to the scope; each CTE sees the ones before it (and itself when RECURSIVE). */
function withCtes(b: Build, withClause: unknown, ctes: Ctes, outer: QueryLevel | undefined): Ctes {
  const w = withClause as { ctes?: unknown[]; recursive?: boolean } | undefined;
  if (!w?.ctes?.length) return ctes;
  const scope = new Map(ctes);
  for (const c of w.ctes) {
    const cte = as<{ ctename?: string; ctequery?: unknown; aliascolnames?: unknown }>(c, 'CommonTableExpr');
    if (!cte?.ctename) continue;
    const def = { bodies: [] as QueryLevel[], columns: cte.aliascolnames ? strs(cte.aliascolnames) : undefined };
    if (w.recursive) scope.set(cte.ctename, def);
    def.bodies.push(...queryLevels(b, cte.ctequery, 'cte', outer, new Map(scope), false, false));
    scope.set(cte.ctename, def);
  }
  return scope;
}

/** Builds the levels of a query node (wrapped or a bare SelectStmt payload); returns its leaf levels (one per set branch). */
function queryLevels(
  b: Build,
  node: unknown,
  context: LevelContext,
  outer: QueryLevel | undefined,
  ctes: Ctes,
  setBranch: boolean,
  limitedAbove: boolean,
): QueryLevel[] {
  const u = unwrap(node) ?? (node && typeof node === 'object' ? { kind: 'SelectStmt', value: node as Record<string, unknown> } : undefined);
  if (!u) return [];
  const v = u.value;
  switch (u.kind) {
    case 'SelectStmt':
      return selectLevels(b, v, context, outer, ctes, setBranch, limitedAbove);
    case 'InsertStmt': {
      // INSERT reads only its source; as a CTE body its rows are the RETURNING list, which we do not model: no body levels.
      const scope = withCtes(b, v.withClause, ctes, outer);
      if (v.selectStmt) queryLevels(b, v.selectStmt, 'insert-source', outer, scope, false, false);
      sublinks(b, [v.onConflictClause, v.returningClause, v.returningList], outer, scope);
      return [];
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return [dmlLevel(b, u.kind, v, context, outer, ctes)];
    default:
      return [];
  }
}

function selectLevels(
  b: Build,
  s: Record<string, unknown>,
  context: LevelContext,
  outer: QueryLevel | undefined,
  ctes: Ctes,
  setBranch: boolean,
  limitedAbove: boolean,
): QueryLevel[] {
  const scope = withCtes(b, s.withClause, ctes, outer);
  const limited = limitedAbove || hasLimit(s);
  if (s.op && s.op !== 'SETOP_NONE') {
    return [...queryLevels(b, s.larg, context, outer, scope, true, limited), ...queryLevels(b, s.rarg, context, outer, scope, true, limited)];
  }
  const level = newLevel(b, s.valuesLists ? 'values' : 'select', context, s, outer, setBranch, limited);
  for (const item of (s.fromClause as unknown[] | undefined) ?? []) fromItem(b, item, level, scope, 'from');
  level.where = s.whereClause;
  sublinks(
    b,
    [s.targetList, s.whereClause, s.havingClause, s.groupClause, s.sortClause, s.distinctClause, s.windowClause, s.valuesLists, s.limitCount, s.limitOffset],
    level,
    scope,
  );
  return [level];
}

function dmlLevel(b: Build, kind: string, v: Record<string, unknown>, context: LevelContext, outer: QueryLevel | undefined, ctes: Ctes): QueryLevel {
  const scope = withCtes(b, v.withClause, ctes, outer);
  const lk: LevelKind = kind === 'UpdateStmt' ? 'update' : kind === 'DeleteStmt' ? 'delete' : 'merge';
  const level = newLevel(b, lk, context, v, outer, false, false);
  const target = v.relation ? fromItem(b, { RangeVar: v.relation }, level, scope, 'target') : [];
  if (lk === 'merge') {
    const source = fromItem(b, v.sourceRelation, level, scope, 'source');
    const whens = ((v.mergeWhenClauses as unknown[] | undefined) ?? []).map((w) => as<{ matchKind?: string }>(w, 'MergeWhenClause')?.matchKind);
    // Unmatched rows are still acted on: NOT MATCHED BY SOURCE touches target rows, NOT MATCHED [BY TARGET] inserts source rows.
    const keepsTarget = whens.includes('MERGE_WHEN_NOT_MATCHED_BY_SOURCE');
    const keepsSource = whens.includes('MERGE_WHEN_NOT_MATCHED_BY_TARGET');
    const type = keepsTarget && keepsSource ? 'full' : keepsTarget ? 'left' : keepsSource ? 'right' : 'inner';
    level.joins.push({ type, quals: v.joinCondition, using: [], natural: false, left: target, right: source, merge: true });
  }
  for (const item of ((lk === 'delete' ? v.usingClause : v.fromClause) as unknown[] | undefined) ?? []) fromItem(b, item, level, scope, 'from');
  level.where = v.whereClause;
  sublinks(b, [v.targetList, v.whereClause, v.joinCondition, v.mergeWhenClauses, v.returningClause, v.returningList], level, scope);
  return level;
}

/** The string range of a written relation name starting at `location` (up to catalog.schema.name). */
export function nameRange(tokens: Token[], location: number): { start: number; end: number } {
  let i = tokenIndexAt(tokens, location);
  const first = tokens[i];
  if (!first || first.start !== location) return { start: location, end: location };
  let end = first.end;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]) {
    end = tokens[i + 2].end;
    i += 2;
  }
  return { start: location, end };
}

/** Adds a FROM item's relations to the level (recursing through joins); returns the relations it holds. */
function fromItem(b: Build, item: unknown, level: QueryLevel, ctes: Ctes, role: Rel['role']): Rel[] {
  const u = unwrap(item);
  if (!u) return [];
  const v = u.value;
  const alias = v.alias as { aliasname?: string; colnames?: unknown } | undefined;
  const base = { role, level, node: item, alias: alias?.aliasname, aliasColumns: alias?.colnames ? strs(alias.colnames) : undefined, start: -1, end: -1 };
  const add = (rel: Rel): Rel[] => {
    level.rels.push(rel);
    return [rel];
  };
  switch (u.kind) {
    case 'RangeVar': {
      const name = String(v.relname ?? '');
      const schema = (v.schemaname as string | undefined) || undefined;
      const at = locationOf(item);
      const rel: Rel = { ...base, kind: 'table', schema, name, refName: base.alias ?? name };
      const cte = !schema ? ctes.get(name) : undefined;
      const out: Rel = cte
        ? { ...rel, kind: 'cte', body: cte.bodies, aliasColumns: base.aliasColumns ?? cte.columns }
        : { ...rel, table: resolveTable(b.catalog, schema, name, b.searchPath) };
      // A view's rows are its query's: built when a rule first looks through it (its own levels, not the statement's).
      const view = out.table && (out.table.kind === 'view' || out.table.kind === 'materialized-view') ? out.table : undefined;
      if (view && (b.viewDepth ?? 0) < 8) {
        const built = once(() => viewLevels(b, view));
        lazyField(out, 'body', () => built().leaves);
        lazyField(out, 'viewLevels', () => built().all);
      }
      // The written name's range needs the statement's tokens: it is found when a rule first reads it.
      const range = once(() => nameRange(b.tokens(), at));
      lazyField(out, 'start', () => range().start);
      lazyField(out, 'end', () => range().end);
      return add(out);
    }
    case 'RangeTableSample':
      return fromItem(b, { RangeVar: v.relation }, level, ctes, role).map((r) => Object.assign(r, { node: item }));
    case 'RangeSubselect': {
      // A LATERAL subquery sees the relations before it; any other FROM subquery sees only the enclosing query's outer levels.
      const body = queryLevels(b, v.subquery, 'from', v.lateral ? level : level.outer, ctes, false, false);
      return add({ ...base, kind: 'subquery', refName: base.alias, body });
    }
    case 'RangeFunction':
      sublinks(b, v.functions, level, ctes);
      return add({ ...base, kind: 'function', refName: base.alias ?? functionName(v.functions) });
    case 'JoinExpr': {
      const left = fromItem(b, v.larg, level, ctes, role);
      const right = fromItem(b, v.rarg, level, ctes, role);
      const jt = String(v.jointype ?? 'JOIN_INNER');
      const using = strs(v.usingClause);
      const natural = v.isNatural === true;
      let type: JoinInfo['type'] = jt === 'JOIN_LEFT' ? 'left' : jt === 'JOIN_RIGHT' ? 'right' : jt === 'JOIN_FULL' ? 'full' : 'inner';
      if (type === 'inner' && !v.quals && !using.length && !natural) type = 'cross';
      level.joins.push({ type, quals: v.quals, using, natural, left, right, merge: false });
      sublinks(b, v.quals, level, ctes);
      return [...left, ...right];
    }
    default:
      sublinks(b, v, level, ctes);
      return add({ ...base, kind: 'other', refName: base.alias });
  }
}

/** The leaf levels of a view's query and all its levels (positions unknown: they are in the view's own file). */
function viewLevels(b: Build, view: Table): { leaves: QueryLevel[]; all: QueryLevel[] } {
  const node = view.node as { query?: unknown } | undefined;
  if (!node?.query) return { leaves: [], all: [] };
  const vb: Build = {
    catalog: b.catalog,
    tokens: () => [],
    statement: b.statement,
    searchPath: [view.schema, ...b.searchPath.filter((s) => s !== view.schema)],
    levels: [],
    viewDepth: (b.viewDepth ?? 0) + 1,
  };
  const leaves = queryLevels(vb, node.query, 'from', undefined, new Map(), false, false);
  for (const l of vb.levels) for (const r of l.rels) if (r.start >= 0 || r.end >= 0) Object.assign(r, { start: -1, end: -1 });
  return { leaves, all: vb.levels };
}

/** Whether a relation is a view (or materialized view) whose query pgdba knows. */
export function isView(rel: Rel): boolean {
  return (
    rel.kind === 'table' &&
    (rel.table?.kind === 'view' || rel.table?.kind === 'materialized-view') &&
    !!(rel.table.node as { query?: unknown } | undefined)?.query
  );
}

function functionName(functions: unknown): string | undefined {
  const first = (as<{ items?: unknown[] }>((functions as unknown[] | undefined)?.[0], 'List')?.items ?? [])[0];
  const call = as<{ funcname?: unknown }>(first, 'FuncCall');
  const parts = strs(call?.funcname);
  return parts[parts.length - 1];
}

/** Finds the sublinks (EXISTS, IN, scalar and ARRAY subqueries) in expressions and builds their levels. */
function sublinks(b: Build, exprs: unknown, outer: QueryLevel | undefined, ctes: Ctes): void {
  walk(exprs, (kind, value) => {
    if (kind !== 'SubLink') return undefined;
    sublinks(b, value.testexpr, outer, ctes);
    queryLevels(b, value.subselect, 'sublink', outer, ctes, false, false);
    return false;
  });
}

export {
  comparisonsOf,
  filtersOf,
  isPinnedToValue,
  isValue,
  joinColumns,
  joinFilters,
  nestedComparisons,
  outputColumns,
  outputs,
  PIN_OPS,
  relColumns,
  resolveColumn,
  topLevelConjuncts,
  triviallyTrue,
  type ColumnTarget,
  type Comparison,
  type Filter,
  type Operand,
  type Output,
} from './query-predicates';
