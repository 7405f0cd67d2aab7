// The missing tenant predicate as a text edit: `AND o.tenant_id = $3` (the next free parameter) or the configured current-tenant expression, when where it goes is unambiguous.
import { as, walk } from '../parse/ast';
import { parseSql, tokensCovering, type ParsedSql, type Statement, type Token } from '../parse/parse';
import type { TenantRef } from './tenant';

export interface PredicateEdit {
  title: string;
  edits: { start: number; end: number; newText: string }[];
}

/** Keywords that end a WHERE clause (or, without one, where a WHERE goes) at the top level of a query. */
const AFTER_WHERE = new Set(['group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'returning', 'union', 'intersect', 'except']);

/** The value a query should compare its tenant column with, or undefined when that is ambiguous (sqlc named parameters). */
function tenantValue(stmt: Statement, currentTenant: readonly string[]): string | undefined {
  let max = 0;
  let named = false;
  walk(stmt.node, (kind, v) => {
    if (kind === 'ParamRef' && typeof v.number === 'number') max = Math.max(max, v.number);
    if (kind === 'FuncCall' && JSON.stringify(v.funcname).includes('"sqlc"')) named = true;
  });
  if (named) return undefined;
  return currentTenant[0] ?? `$${max + 1}`;
}

/**
 * The edit that pins `ref` to the current tenant: a top-level `AND` term of its query's WHERE (the WHERE wrapped in
 * parentheses when it is an OR), or a new WHERE. Offered only for a statement's own top-level query level with one
 * unpinned tenant reference and no condition on its tenant column, so the new term is the whole fix.
 */
export function tenantPredicateFix(
  parsed: ParsedSql,
  ref: TenantRef,
  others: readonly TenantRef[],
  currentTenant: readonly string[],
): PredicateEdit | undefined {
  const level = ref.rel.level;
  const stmt = level.statement;
  if (ref.reason?.kind !== 'none' || level.context !== 'root' || level.setBranch || !['select', 'update', 'delete'].includes(level.kind)) return undefined;
  if (!parsed.statements.includes(stmt) || !ref.rel.refName) return undefined;
  if (others.some((o) => o !== ref && !o.pinned && o.rel.level === level)) return undefined;
  const value = tenantValue(stmt, currentTenant);
  if (!value) return undefined;
  const toks = tokensCovering(parsed, stmt.start, stmt.end).filter(
    (t) => t.start >= stmt.start && t.end <= stmt.end && t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT' && t.text !== ';',
  );
  const term = `${ref.rel.refName}.${ref.column} = ${value}`;
  const edits = level.where ? extendWhere(toks, level.where, term, stmt.end) : addWhere(toks, level.kind, term, stmt.end);
  if (!edits) return undefined;
  // The fixed statement must parse (a configured expression is written by hand).
  let text = stmt.text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - stmt.start) + e.newText + text.slice(e.end - stmt.start);
  if (parseSql(text).errors.length) return undefined;
  return { title: `Add ${term}`, edits };
}

/** Top-level tokens (outside parentheses) with their index. */
function topLevel(toks: Token[]): { t: Token; i: number }[] {
  const out: { t: Token; i: number }[] = [];
  let depth = 0;
  toks.forEach((t, i) => {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0) out.push({ t, i });
  });
  return out;
}

function endOfClause(toks: Token[], top: { t: Token; i: number }[], from: number, stmtEnd: number): number {
  const stop = top.find((x) => x.i > from && AFTER_WHERE.has(x.t.text.toLowerCase()));
  return stop ? toks[stop.i - 1].end : (toks[toks.length - 1]?.end ?? stmtEnd);
}

function extendWhere(toks: Token[], where: unknown, term: string, stmtEnd: number): PredicateEdit['edits'] | undefined {
  const top = topLevel(toks);
  const kw = top.find((x) => x.t.text.toLowerCase() === 'where');
  if (!kw || !toks[kw.i + 1]) return undefined;
  const end = endOfClause(toks, top, kw.i, stmtEnd);
  const or = as<{ boolop?: string }>(where, 'BoolExpr')?.boolop === 'OR_EXPR';
  const close = { start: end, end, newText: `${or ? ')' : ''} AND ${term}` };
  return or ? [{ start: toks[kw.i + 1].start, end: toks[kw.i + 1].start, newText: '(' }, close] : [close];
}

function addWhere(toks: Token[], kind: string, term: string, stmtEnd: number): PredicateEdit['edits'] | undefined {
  const top = topLevel(toks);
  // A SELECT's WHERE follows its FROM list; UPDATE's its SET/FROM; DELETE's its USING.
  const from = kind === 'select' ? top.find((x) => x.t.text.toLowerCase() === 'from') : top[0];
  if (!from) return undefined;
  const end = endOfClause(toks, top, from.i, stmtEnd);
  return [{ start: end, end, newText: ` WHERE ${term}` }];
}
