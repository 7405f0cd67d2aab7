// Reads the columns out of a plan condition (`Filter`, `Join Filter`, `Sort Key`) with the SQL parser, to suggest an index.
import { as, str, unwrap } from '../parse/ast';
import { parseSql, parserReady } from '../parse/parse';

export interface ColumnRef {
  /** The qualifier as written in the plan (alias or table), if any. */
  qualifier?: string;
  column: string;
}

/** Columns compared with a constant or parameter in a condition made only of ANDs; equality first, then ranges. */
export interface IndexableColumns {
  equality: ColumnRef[];
  range: ColumnRef[];
}

/** Column-to-column equalities (a join condition): `a.x = b.y`. */
export type ColumnPair = [ColumnRef, ColumnRef];

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

function parseExpr(condition: string): unknown {
  if (!parserReady()) return undefined;
  const parsed = parseSql(`SELECT 1 WHERE ${condition}`);
  if (parsed.errors.length || parsed.statements.length !== 1) return undefined;
  return as<{ whereClause?: unknown }>(parsed.statements[0].node, 'SelectStmt')?.whereClause;
}

function columnRef(node: unknown): ColumnRef | undefined {
  // EXPLAIN writes `(col)::text = 'x'::text` for implicit casts: look through the cast.
  const cast = as<{ arg?: unknown }>(node, 'TypeCast');
  if (cast) return columnRef(cast.arg);
  const ref = as<{ fields?: unknown[] }>(node, 'ColumnRef');
  if (!ref?.fields?.length) return undefined;
  const parts = ref.fields.map(str);
  if (parts.some((p) => p === undefined || p === '*')) return undefined;
  const column = parts[parts.length - 1] as string;
  return parts.length > 1 ? { qualifier: parts[parts.length - 2], column } : { column };
}

function isValue(node: unknown): boolean {
  const u = unwrap(node);
  if (!u) return false;
  if (u.kind === 'A_Const' || u.kind === 'ParamRef') return true;
  if (u.kind === 'TypeCast') return isValue(u.value.arg);
  if (u.kind === 'A_ArrayExpr') return true;
  return false;
}

/** The AND-ed conjuncts of a condition, or undefined when an OR (or anything else at the top) makes an index not obvious. */
function conjuncts(expr: unknown): unknown[] | undefined {
  const bool = as<{ boolop?: string; args?: unknown[] }>(expr, 'BoolExpr');
  if (!bool) return [expr];
  if (bool.boolop !== 'AND_EXPR') return undefined;
  const out: unknown[] = [];
  for (const a of bool.args ?? []) {
    const inner = conjuncts(a);
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}

interface Comparison {
  kind: string;
  op?: string;
  left: unknown;
  right: unknown;
}

function comparison(node: unknown): Comparison | undefined {
  const e = as<{ kind?: string; name?: unknown[]; lexpr?: unknown; rexpr?: unknown }>(node, 'A_Expr');
  if (!e) return undefined;
  return { kind: e.kind ?? '', op: e.name ? str(e.name[e.name.length - 1]) : undefined, left: e.lexpr, right: e.rexpr };
}

export function indexableColumns(condition: string | undefined): IndexableColumns | undefined {
  if (!condition) return undefined;
  const parts = conjuncts(parseExpr(condition));
  if (!parts) return undefined;
  const out: IndexableColumns = { equality: [], range: [] };
  for (const p of parts) {
    const c = comparison(p);
    if (!c) continue;
    const [col, other] = columnRef(c.left) ? [columnRef(c.left), c.right] : [columnRef(c.right), c.left];
    if (!col || !isValue(other)) continue;
    const isEq = (c.kind === 'AEXPR_OP' && c.op === '=') || c.kind === 'AEXPR_IN' || (c.kind === 'AEXPR_OP_ANY' && c.op === '=');
    const isRange = (c.kind === 'AEXPR_OP' && RANGE_OPS.has(c.op ?? '')) || c.kind === 'AEXPR_BETWEEN';
    const list = isEq ? out.equality : isRange ? out.range : undefined;
    if (list && !list.some((x) => x.column === col.column)) list.push(col);
  }
  return out.equality.length || out.range.length ? out : undefined;
}

/** Column-to-column equalities anywhere in an AND-only condition. */
export function equalityPairs(condition: string | undefined): ColumnPair[] {
  if (!condition) return [];
  const parts = conjuncts(parseExpr(condition));
  if (!parts) return [];
  const out: ColumnPair[] = [];
  for (const p of parts) {
    const c = comparison(p);
    const l = c && columnRef(c.left);
    const r = c && columnRef(c.right);
    if (c?.kind === 'AEXPR_OP' && c.op === '=' && l && r) out.push([l, r]);
  }
  return out;
}

/** Plain column names of a Sort Key list (`t.created_at DESC` → created_at), or undefined when a key is an expression. */
export function sortColumns(keys: string[] | undefined): ColumnRef[] | undefined {
  if (!keys?.length || !parserReady()) return undefined;
  const parsed = parseSql(`SELECT 1 ORDER BY ${keys.join(', ')}`);
  const sortBy = as<{ sortClause?: unknown[] }>(parsed.statements[0]?.node, 'SelectStmt')?.sortClause;
  if (parsed.errors.length || sortBy?.length !== keys.length) return undefined;
  const out: ColumnRef[] = [];
  for (const item of sortBy) {
    const ref = columnRef(as<{ node?: unknown }>(item, 'SortBy')?.node);
    if (!ref) return undefined;
    out.push(ref);
  }
  return out;
}
