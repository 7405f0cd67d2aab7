// The column types of CREATE TABLE … AS, as PostgreSQL's planner gives them, for the queries where they follow from the
// schema alone: columns of known relations, casts, literals, comparisons, and the common aggregates and functions. An
// output whose type depends on more (operator resolution, a UNION of different types) stays unknown ('').
import { deparseTypeName, findTable, type ApplyState } from './apply-state';
import type { Catalog } from './types';
import { as, strs, typeNameText } from '../parse/ast';

export interface OutputType {
  /** The catalog's spelling (int4, timestamptz, varchar(255)); '' when not known. */
  type: string;
  typeSql?: string;
}

type Scope = Map<string, Map<string, OutputType>>;
type Json = Record<string, unknown>;

const UNKNOWN: OutputType = { type: '' };
const BOOL: OutputType = { type: 'bool', typeSql: 'boolean' };
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '~~', '!~~', '~~*', '!~~*', '~', '~*', '!~', '@>', '<@', '&&', '?', '?|', '?&']);
const SAME_AS_ARGUMENT = new Set(['max', 'min', 'coalesce', 'greatest', 'least', 'nullif', 'any_value', 'first_value', 'last_value', 'lag', 'lead', 'abs']);
const TEXT_RESULT = new Set([
  'lower',
  'upper',
  'concat',
  'concat_ws',
  'string_agg',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'replace',
  'substr',
  'substring',
  'left',
  'right',
  'format',
  'md5',
  'initcap',
  'to_char',
]);
const FIXED: Record<string, OutputType> = {
  count: { type: 'int8', typeSql: 'bigint' },
  row_number: { type: 'int8', typeSql: 'bigint' },
  rank: { type: 'int8', typeSql: 'bigint' },
  dense_rank: { type: 'int8', typeSql: 'bigint' },
  now: { type: 'timestamptz', typeSql: 'timestamptz' },
  bool_and: BOOL,
  bool_or: BOOL,
  every: BOOL,
  gen_random_uuid: { type: 'uuid', typeSql: 'uuid' },
  length: { type: 'int4', typeSql: 'int' },
};
const SUM: Record<string, OutputType> = {
  int2: { type: 'int8', typeSql: 'bigint' },
  int4: { type: 'int8', typeSql: 'bigint' },
  int8: { type: 'numeric', typeSql: 'numeric' },
  numeric: { type: 'numeric', typeSql: 'numeric' },
  float4: { type: 'float4', typeSql: 'real' },
  float8: { type: 'float8', typeSql: 'double precision' },
  interval: { type: 'interval', typeSql: 'interval' },
};

/** A serial column is an integer column with a default: in a query it is int4, int8 or int2. */
const SERIALS: Record<string, OutputType> = {
  serial: { type: 'int4', typeSql: 'int' },
  serial4: { type: 'int4', typeSql: 'int' },
  bigserial: { type: 'int8', typeSql: 'bigint' },
  serial8: { type: 'int8', typeSql: 'bigint' },
  smallserial: { type: 'int2', typeSql: 'smallint' },
  serial2: { type: 'int2', typeSql: 'smallint' },
};

function columnType(type: string, typeSql: string | undefined): OutputType {
  return SERIALS[type] ?? { type, typeSql };
}

function known(...types: OutputType[]): OutputType {
  return types.find((t) => t.type) ?? UNKNOWN;
}

function constType(c: Json): OutputType {
  if ('ival' in c) return { type: 'int4', typeSql: 'int' };
  if ('fval' in c) return { type: 'numeric', typeSql: 'numeric' };
  if ('boolval' in c) return BOOL;
  // A string literal or a bare NULL is of unknown type, which CREATE TABLE … AS makes text (PostgreSQL 10 and later).
  return { type: 'text', typeSql: 'text' };
}

function exprType(node: unknown, scope: Scope, catalog: Catalog, state: ApplyState): OutputType {
  const n = node as Json | undefined;
  if (!n) return UNKNOWN;
  const [kind, value] = Object.entries(n)[0] ?? [];
  const v = (value ?? {}) as Json;
  switch (kind) {
    case 'ColumnRef': {
      const fields = strs(v.fields);
      if (!fields.length || (v.fields as unknown[]).some((f) => (f as Json).A_Star)) return UNKNOWN;
      const column = fields[fields.length - 1];
      if (fields.length >= 2) return scope.get(fields[fields.length - 2])?.get(column) ?? UNKNOWN;
      const hits = [...scope.values()].map((cols) => cols.get(column)).filter((t): t is OutputType => !!t);
      return hits.length === 1 ? hits[0] : UNKNOWN;
    }
    case 'TypeCast': {
      const typeName = v.typeName as Parameters<typeof typeNameText>[0];
      return { type: typeNameText(typeName), typeSql: deparseTypeName(typeName) };
    }
    case 'A_Const':
      return constType(v);
    case 'BoolExpr':
    case 'NullTest':
    case 'BooleanTest':
      return BOOL;
    case 'SubLink':
      return v.subLinkType === 'EXISTS_SUBLINK' || v.subLinkType === 'ANY_SUBLINK' || v.subLinkType === 'ALL_SUBLINK' ? BOOL : UNKNOWN;
    case 'A_Expr': {
      const op = strs(v.name).pop() ?? '';
      if (v.kind !== 'AEXPR_OP' || COMPARISONS.has(op)) return v.kind === 'AEXPR_NULLIF' ? exprType(v.lexpr, scope, catalog, state) : BOOL;
      // Arithmetic: the type of both sides when they agree (int4 + int4 is int4); otherwise operator resolution decides.
      const l = exprType(v.lexpr, scope, catalog, state);
      const r = exprType(v.rexpr, scope, catalog, state);
      return l.type && l.type === r.type && ['+', '-', '*', '/', '%'].includes(op) ? l : UNKNOWN;
    }
    case 'CoalesceExpr':
    case 'MinMaxExpr':
      return known(...((v.args as unknown[] | undefined) ?? []).map((a) => exprType(a, scope, catalog, state)));
    case 'CaseExpr':
      return known(
        ...((v.args as unknown[] | undefined) ?? []).map((w) => exprType(as<Json>(w, 'CaseWhen')?.result, scope, catalog, state)),
        exprType(v.defresult, scope, catalog, state),
      );
    case 'SQLValueFunction': {
      const op = String(v.op ?? '');
      if (op.includes('CURRENT_TIMESTAMP')) return { type: 'timestamptz', typeSql: 'timestamptz' };
      if (op.includes('LOCALTIMESTAMP')) return { type: 'timestamp', typeSql: 'timestamp' };
      if (op.includes('CURRENT_DATE')) return { type: 'date', typeSql: 'date' };
      return UNKNOWN;
    }
    case 'FuncCall': {
      const name = strs(v.funcname).pop()?.toLowerCase() ?? '';
      const args = ((v.args as unknown[] | undefined) ?? []).map((a) => exprType(a, scope, catalog, state));
      if (FIXED[name]) return FIXED[name];
      if (SAME_AS_ARGUMENT.has(name)) return known(...args);
      if (TEXT_RESULT.has(name)) return { type: 'text', typeSql: 'text' };
      if (name === 'sum') return SUM[args[0]?.type ?? ''] ?? UNKNOWN;
      if (name === 'array_agg' && args[0]?.type) return { type: `${args[0].type}[]`, typeSql: args[0].typeSql && `${args[0].typeSql}[]` };
      return UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** The relations and subqueries a FROM clause names, by the name a query refers to them with. */
function fromScope(items: unknown[] | undefined, catalog: Catalog, state: ApplyState, scope: Scope = new Map()): Scope {
  for (const item of items ?? []) {
    const rv = as<{ relname?: string; schemaname?: string; alias?: { aliasname?: string } }>(item, 'RangeVar');
    if (rv?.relname) {
      const t = findTable(catalog, rv.schemaname, rv.relname, state.searchPath);
      if (t) scope.set(rv.alias?.aliasname ?? rv.relname, new Map([...t.columns].map(([n, c]) => [n, columnType(c.type, c.typeSql)])));
      continue;
    }
    const sub = as<{ subquery?: unknown; alias?: { aliasname?: string } }>(item, 'RangeSubselect');
    if (sub) {
      const cols = outputColumns(sub.subquery, catalog, state);
      // A subquery in FROM may go without an alias (PostgreSQL 16): its columns are still visible unqualified.
      if (cols) scope.set(sub.alias?.aliasname ?? `\u0000sub${scope.size}`, new Map(cols.map((c) => [c.name, c])));
      continue;
    }
    const join = as<{ larg?: unknown; rarg?: unknown }>(item, 'JoinExpr');
    if (join) fromScope([join.larg, join.rarg], catalog, state, scope);
  }
  return scope;
}

/** Output names and types of a SELECT (a set operation takes its first branch's names and types both branches share). */
export function outputColumns(query: unknown, catalog: Catalog, state: ApplyState): (OutputType & { name: string })[] | undefined {
  const s = as<Json>(query, 'SelectStmt');
  if (!s) return undefined;
  if (s.op && s.op !== 'SETOP_NONE') {
    const left = outputColumns({ SelectStmt: s.larg }, catalog, state);
    const right = outputColumns({ SelectStmt: s.rarg }, catalog, state);
    if (!left) return undefined;
    return left.map((c, i) => (right?.[i]?.type === c.type ? c : { name: c.name, type: '' }));
  }
  if (!s.targetList) return undefined;
  const scope = fromScope(s.fromClause as unknown[] | undefined, catalog, state);
  const out: (OutputType & { name: string })[] = [];
  for (const t of s.targetList as unknown[]) {
    const r = as<{ name?: string; val?: unknown }>(t, 'ResTarget');
    const fields = strs(as<{ fields?: unknown }>(r?.val, 'ColumnRef')?.fields);
    const fn = strs(as<{ funcname?: unknown }>(r?.val, 'FuncCall')?.funcname).pop();
    // PostgreSQL names an unnamed output after its column or function, else ?column?.
    const name = r?.name ?? fields[fields.length - 1] ?? fn ?? '?column?';
    out.push({ name, ...exprType(r?.val, scope, catalog, state) });
  }
  return out;
}
