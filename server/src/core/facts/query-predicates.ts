// Predicates at a query level: top-level conjuncts, alias- and catalog-aware column resolution, and "column compared with a value" tests.
import type { TypeName } from '@pgsql/types';
import { as, constValue, str, strs, typeNameText, walk } from '../parse/ast';
import type { JoinInfo, QueryLevel, Rel } from './query-scopes';

/** The AND-split of a boolean expression. A condition under OR or NOT is not a top-level conjunct: it is part of the OR/NOT conjunct. */
export function topLevelConjuncts(expr: unknown): unknown[] {
  if (!expr) return [];
  const b = as<{ boolop?: string; args?: unknown[] }>(expr, 'BoolExpr');
  if (b?.boolop === 'AND_EXPR') return (b.args ?? []).flatMap(topLevelConjuncts);
  return [expr];
}

/** Nesting bound for column inference through CTEs and subqueries (a malformed recursive CTE must not loop). */
const MAX_DEPTH = 16;

/** The columns a relation exposes under its reference name, or undefined when they are unknown. */
export function relColumns(rel: Rel, depth = 0): string[] | undefined {
  let cols: string[] | undefined;
  // A view's columns are its query's outputs (the catalog keeps only an explicit alias list).
  if (rel.kind === 'table' && rel.body?.length && depth < MAX_DEPTH && !rel.table?.columns.size) cols = outputs(rel.body[0], depth + 1)?.map((o) => o.name);
  else if (rel.kind === 'table') cols = rel.table ? [...rel.table.columns.keys()] : undefined;
  else if ((rel.kind === 'cte' || rel.kind === 'subquery') && rel.body?.length && depth < MAX_DEPTH) cols = outputs(rel.body[0], depth + 1)?.map((o) => o.name);
  const alias = rel.aliasColumns;
  if (!alias?.length) return cols;
  // An alias column list renames the leading columns; the rest keep their names.
  if (cols) return [...alias, ...cols.slice(alias.length)];
  return rel.kind === 'table' ? undefined : alias;
}

/** Whether a relation has a column (undefined when its columns are unknown); avoids building column lists for plain tables. */
function hasColumn(rel: Rel, column: string, depth: number): boolean | undefined {
  if (rel.kind === 'table' && !rel.aliasColumns?.length && !rel.body) return rel.table ? rel.table.columns.has(column) : undefined;
  return relColumns(rel, depth)?.includes(column);
}

/** One output column of a level: its name and, when it passes a column through, where that column comes from. */
export interface Output {
  name: string;
  source?: ColumnTarget;
  expr?: unknown;
}

/** The output columns of a level (its target list, or RETURNING, with * expanded through the catalog), or undefined when unknown. */
export function outputs(level: QueryLevel, depth = 0): Output[] | undefined {
  if (level.kind === 'values') {
    const first = as<{ items?: unknown[] }>((level.node.valuesLists as unknown[] | undefined)?.[0], 'List')?.items ?? [];
    return first.map((expr, i) => ({ name: `column${i + 1}`, expr }));
  }
  const list =
    level.kind === 'select' ? level.node.targetList : ((level.node.returningClause as { exprs?: unknown } | undefined)?.exprs ?? level.node.returningList);
  const out: Output[] = [];
  for (const t of (list as unknown[] | undefined) ?? []) {
    const rt = as<{ name?: string; val?: unknown }>(t, 'ResTarget');
    if (!rt) return undefined;
    const ref = as<{ fields?: unknown[] }>(rt.val, 'ColumnRef');
    const parts = ref ? (ref.fields ?? []).map((f) => str(f) ?? '') : [];
    if (!rt.name && parts[parts.length - 1] === '*') {
      const rels = parts.length > 1 ? level.rels.filter((r) => r.refName === parts[parts.length - 2]) : level.rels;
      for (const rel of rels) {
        const cols = relColumns(rel, depth + 1);
        if (!cols) return undefined;
        out.push(...cols.map((column) => ({ name: column, source: { rel, column } })));
      }
      continue;
    }
    const call = as<{ funcname?: unknown }>(rt.val, 'FuncCall');
    const name = rt.name ?? parts[parts.length - 1] ?? strs(call?.funcname).pop() ?? '?column?';
    out.push({ name, expr: rt.val, source: ref ? resolveColumn(level, rt.val, depth + 1) : undefined });
  }
  return out;
}

/** The output column names of a level, or undefined when unknown. */
export function outputColumns(level: QueryLevel): string[] | undefined {
  return outputs(level)?.map((o) => o.name);
}

/** A column of a relation visible at a level. */
export interface ColumnTarget {
  rel: Rel;
  column: string;
}

/**
 * Resolves a ColumnRef the way PostgreSQL does: a qualified name by alias (or name when there is no alias);
 * an unqualified one to the unique relation at the level that has that column per the catalog, then the outer levels.
 */
export function resolveColumn(level: QueryLevel | undefined, node: unknown, depth = 0): ColumnTarget | undefined {
  const ref = as<{ fields?: unknown[] }>(node, 'ColumnRef');
  if (!ref) return undefined;
  const parts = (ref.fields ?? []).map((f) => str(f));
  if (parts.some((p) => p === undefined || p === '*')) return undefined;
  const names = parts as string[];
  const column = names[names.length - 1];
  for (let l = level; l; l = l.outer) {
    if (names.length === 1) {
      const hits: Rel[] = [];
      let unknown = false;
      for (const r of l.rels) {
        const has = hasColumn(r, column, depth);
        if (has === undefined) unknown = true;
        else if (has) hits.push(r);
      }
      if (hits.length === 1) return { rel: hits[0], column };
      if (hits.length > 1) return mergedColumn(l, hits, column);
      // The column may belong to a relation whose columns we do not know: do not guess an outer one.
      if (unknown) return undefined;
    } else {
      const qual = names[names.length - 2];
      const schema = names.length > 2 ? names[names.length - 3] : undefined;
      const hit = l.rels.find((r) => r.refName === qual && (!schema || (!r.alias && (r.schema ?? r.table?.schema) === schema)));
      if (hit) return { rel: hit, column };
    }
  }
  return undefined;
}

/** An unqualified column named in JOIN … USING / NATURAL JOIN is the merged column: the left side's (right side's for RIGHT JOIN). */
function mergedColumn(level: QueryLevel, hits: Rel[], column: string): ColumnTarget | undefined {
  for (const j of level.joins) {
    if (j.type === 'full' || !joinColumns(j).includes(column)) continue;
    const side = j.type === 'right' ? j.right : j.left;
    const all = [...j.left, ...j.right];
    const preferred = side.find((r) => hits.includes(r));
    if (preferred && hits.every((h) => all.includes(h))) return { rel: preferred, column };
  }
  return undefined;
}

/** The columns a USING or NATURAL join equates. */
export function joinColumns(j: JoinInfo): string[] {
  if (!j.natural) return j.using;
  const left = new Set(j.left.flatMap((r) => relColumns(r) ?? []));
  return [...new Set(j.right.flatMap((r) => relColumns(r) ?? []))].filter((c) => left.has(c));
}

/** The other side of a comparison: a column, a value (no column of any query level: constants, parameters, functions, subqueries), or another expression. */
export type Operand = { kind: 'column'; target: ColumnTarget } | { kind: 'value' } | { kind: 'expr' };

export interface Comparison {
  /** `=`, `in`, `any` (= ANY), `between`, or the operator (<, >=, <>, …). IS NOT DISTINCT FROM is `=`. */
  op: string;
  column: ColumnTarget;
  other: Operand;
  node: unknown;
  /** For `col IN (SELECT …)` / `= ANY (SELECT …)`: the subquery (its SubLink's subselect), whose rows are the values. */
  subquery?: unknown;
  /** The types the column is cast to on its side of the comparison, outermost first (`at::date = …` gives ['date']). */
  casts?: string[];
  /** The other side as written: one expression, or the items of an IN / BETWEEN list. */
  otherNode?: unknown;
}

function castsOf(expr: unknown): string[] | undefined {
  const out: string[] = [];
  for (let c = as<{ arg?: unknown; typeName?: TypeName }>(expr, 'TypeCast'); c; c = as<{ arg?: unknown; typeName?: TypeName }>(c.arg, 'TypeCast'))
    out.push(typeNameText(c.typeName));
  return out.length ? out : undefined;
}

function stripCasts(expr: unknown): unknown {
  let e = expr;
  for (;;) {
    const cast = as<{ arg?: unknown }>(e, 'TypeCast') ?? as<{ arg?: unknown }>(e, 'CollateClause');
    if (!cast) return e;
    e = cast.arg;
  }
}

/** sqlc's query parameters: `sqlc.arg(name)`, `sqlc.narg(name)`, `sqlc.slice(name)`, and `@name` (which parses as prefix operator @). */
function isSqlcParam(kind: string, value: Record<string, unknown>): boolean {
  if (kind === 'FuncCall') {
    const name = strs(value.funcname);
    return name.length === 2 && name[0] === 'sqlc' && ['arg', 'narg', 'slice'].includes(name[1]);
  }
  return kind === 'A_Expr' && !value.lexpr && strs(value.name).join() === '@' && !!as(value.rexpr, 'ColumnRef');
}

/** Whether an expression refers to no column (sublinks are their own levels and do not count; nor do sqlc parameters). */
export function isValue(expr: unknown): boolean {
  let value = true;
  walk(expr, (kind, v) => {
    if (kind === 'ColumnRef') value = false;
    return kind === 'SubLink' || isSqlcParam(kind, v) ? false : undefined;
  });
  return value;
}

function operand(expr: unknown, level: QueryLevel): Operand {
  const e = stripCasts(expr);
  if (as(e, 'ColumnRef')) {
    const target = resolveColumn(level, e);
    return target ? { kind: 'column', target } : { kind: 'expr' };
  }
  return isValue(e) ? { kind: 'value' } : { kind: 'expr' };
}

function listOperand(items: unknown[] | undefined): Operand {
  return (items ?? []).every(isValue) ? { kind: 'value' } : { kind: 'expr' };
}

/** The column comparisons a single condition makes (a column = column comparison yields one per side). */
export function comparisonsOf(expr: unknown, level: QueryLevel): Comparison[] {
  const out: Comparison[] = [];
  const add = (op: string, col: unknown, other: Operand, otherNode?: unknown) => {
    const o = operand(col, level);
    if (o.kind === 'column') out.push({ op, column: o.target, other, node: expr, casts: castsOf(col), otherNode });
  };
  const a = as<{ kind?: string; name?: unknown; lexpr?: unknown; rexpr?: unknown }>(expr, 'A_Expr');
  if (a) {
    const opName = strs(a.name).pop() ?? '';
    const rlist = as<{ items?: unknown[] }>(a.rexpr, 'List')?.items;
    switch (a.kind) {
      case 'AEXPR_OP':
      case 'AEXPR_NOT_DISTINCT': {
        const op = a.kind === 'AEXPR_NOT_DISTINCT' ? '=' : opName;
        const lrow = as<{ args?: unknown[] }>(a.lexpr, 'RowExpr')?.args;
        const rrow = as<{ args?: unknown[] }>(a.rexpr, 'RowExpr')?.args;
        if (op === '=' && lrow && rrow && lrow.length === rrow.length) {
          lrow.forEach((l, i) => out.push(...comparisonsOf({ A_Expr: { kind: 'AEXPR_OP', name: a.name, lexpr: l, rexpr: rrow[i] } }, level)));
          return out.map((c) => ({ ...c, node: expr }));
        }
        add(op, a.lexpr, operand(a.rexpr, level), a.rexpr);
        add(mirror(op), a.rexpr, operand(a.lexpr, level), a.lexpr);
        return out;
      }
      case 'AEXPR_IN':
        if (opName === '=') add('in', a.lexpr, listOperand(rlist), rlist);
        return out;
      case 'AEXPR_OP_ANY':
        if (opName === '=') add('any', a.lexpr, operand(a.rexpr, level), a.rexpr);
        return out;
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
        add('between', a.lexpr, listOperand(rlist), rlist);
        return out;
      default:
        return out;
    }
  }
  const sub = as<{ subLinkType?: string; testexpr?: unknown; operName?: unknown }>(expr, 'SubLink');
  if (sub?.subLinkType === 'ANY_SUBLINK' && (strs(sub.operName).pop() ?? '=') === '=') {
    add('in', sub.testexpr, { kind: 'value' });
    const last = out[out.length - 1];
    if (last) last.subquery = (sub as { subselect?: unknown }).subselect;
  }
  return out;
}

function mirror(op: string): string {
  return ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
}

/** The operators that pin a column to one value or a finite set of values. */
export const PIN_OPS: ReadonlySet<string> = new Set(['=', 'in', 'any']);

/** A condition that filters a relation's rows: a top-level conjunct of the level's WHERE, or of an ON that filters that relation's side. */
export interface Filter {
  expr: unknown;
  /** The join whose ON it comes from; undefined for WHERE. */
  join?: JoinInfo;
}

/**
 * Whether a join's ON condition removes rows of `rel`: inner joins filter both sides, outer joins only the nullable side.
 * A strict WHERE condition on a nullable side's column drops its NULL-extended rows, which makes the join inner toward it
 * (PostgreSQL's outer-join reduction): `a RIGHT JOIN b ON … WHERE a.x = 1` filters b by the ON too.
 */
export function joinFilters(j: JoinInfo, rel: Rel): boolean {
  const onLeft = j.left.includes(rel);
  if (!onLeft && !j.right.includes(rel)) return false;
  if (j.type === 'inner' || j.type === 'cross') return true;
  const nullable = j.type === 'left' ? j.right : j.type === 'right' ? j.left : onLeft ? j.right : j.left;
  if (j.type !== 'full' && nullable.includes(rel)) return true;
  // The other side must be forced non-null for the ON to filter this (preserved) side.
  const other = onLeft ? j.right : j.left;
  return topLevelConjuncts(rel.level.where).some((e) => comparisonsOf(e, rel.level).some((c) => other.includes(c.column.rel)));
}

/** The top-level conjuncts that filter `rel`'s rows at its level. */
export function filtersOf(rel: Rel): Filter[] {
  const out: Filter[] = topLevelConjuncts(rel.level.where).map((expr) => ({ expr }));
  for (const j of rel.level.joins) if (joinFilters(j, rel)) out.push(...topLevelConjuncts(j.quals).map((expr) => ({ expr, join: j })));
  return out;
}

/** Whether column `column` of `rel` is constrained by `=`, `IN` or `= ANY` to a value by a top-level conjunct filtering it. */
export function isPinnedToValue(rel: Rel, column: string): boolean {
  return filtersOf(rel).some((f) =>
    comparisonsOf(f.expr, rel.level).some((c) => c.column.rel === rel && c.column.column === column && PIN_OPS.has(c.op) && c.other.kind === 'value'),
  );
}

/** Comparisons on columns nested under an OR or NOT of a condition (what top-level conjuncts miss), with the connective that hides them. */
export function nestedComparisons(expr: unknown, level: QueryLevel): { comparison: Comparison; under: 'or' | 'not' }[] {
  const out: { comparison: Comparison; under: 'or' | 'not' }[] = [];
  const visit = (e: unknown, under: 'or' | 'not' | undefined) => {
    const b = as<{ boolop?: string; args?: unknown[] }>(e, 'BoolExpr');
    if (b) {
      const next = b.boolop === 'OR_EXPR' ? (under ?? 'or') : b.boolop === 'NOT_EXPR' ? (under ?? 'not') : under;
      for (const arg of b.args ?? []) visit(arg, next);
      return;
    }
    if (under) for (const comparison of comparisonsOf(e, level)) out.push({ comparison, under });
  };
  visit(expr, undefined);
  return out;
}

/** A constant operand as a comparable value (casts of constants kept as their literal), or undefined. */
function constOperand(expr: unknown): { v: string; num: boolean } | undefined {
  const e = stripCasts(expr);
  const c = as<Record<string, unknown>>(e, 'A_Const');
  if (!c || c.isnull) return undefined;
  const v = constValue(e);
  return v === undefined || v === null ? undefined : { v: String(v), num: typeof v === 'number' };
}

/** The truth of a condition that refers to no column, parameter or function when it is a constant: true, false or unknown. */
function constantTruth(expr: unknown, depth = 0): boolean | undefined {
  if (depth > 32) return undefined;
  const e = stripCasts(expr);
  const c = as<Record<string, unknown>>(e, 'A_Const');
  if (c) {
    const v = constValue(e);
    if (typeof v === 'boolean') return v;
    // 'true'::boolean, 't', 'on', 'yes', '1' (boolin's spellings) as a condition.
    if (typeof v === 'string' && as(expr, 'TypeCast')) return /^(t|true|on|yes|y|1)$/i.test(v) ? true : /^(f|false|off|no|n|0)$/i.test(v) ? false : undefined;
    return undefined;
  }
  const b = as<{ boolop?: string; args?: unknown[] }>(e, 'BoolExpr');
  if (b) {
    const args = (b.args ?? []).map((a) => constantTruth(a, depth + 1));
    if (b.boolop === 'AND_EXPR') return args.some((a) => a === false) ? false : args.every((a) => a === true) ? true : undefined;
    if (b.boolop === 'OR_EXPR') return args.some((a) => a === true) ? true : args.every((a) => a === false) ? false : undefined;
    return args[0] === undefined ? undefined : !args[0];
  }
  const a = as<{ kind?: string; name?: unknown; lexpr?: unknown; rexpr?: unknown }>(e, 'A_Expr');
  if (a?.kind === 'AEXPR_OP') {
    const l = constOperand(a.lexpr);
    const r = constOperand(a.rexpr);
    if (!l || !r) return undefined;
    const op = strs(a.name).pop();
    // Equal literals are equal whatever their type; unequal ones are surely different only as numbers ('1.0' = '1'::numeric).
    const same = l.v === r.v ? true : l.num && r.num ? false : undefined;
    if (op === '=') return same;
    if (op === '<>' || op === '!=') return same === undefined ? undefined : !same;
    return undefined;
  }
  const n = as<{ arg?: unknown; nulltesttype?: string }>(e, 'NullTest');
  if (n && constOperand(n.arg)) return n.nulltesttype === 'IS_NOT_NULL';
  return undefined;
}

/**
 * Whether a WHERE condition is always true, so it bounds nothing: `true`, `1 = 1`, `'a' = 'a'`, `x = $1 OR true`,
 * `true AND 1 = 1`. Only constants are evaluated (equal literals compare equal whatever their type).
 */
export function triviallyTrue(expr: unknown): boolean {
  return expr !== undefined && expr !== null && constantTruth(expr) === true;
}
