// Expands `*` and `alias.*` in a view's query into the columns they stand for when the view is made: PostgreSQL stores a
// view with its stars expanded, so a column added to a table later is not part of the view (and must not come back when
// the view is re-created from its definition). Tables, views, CTEs and subqueries in FROM are followed; what cannot be
// resolved is left as written.
import { as, strs, unwrap } from '../parse/ast';
import type { ApplyState } from './build';
import { findTable } from './apply-state';
import { figureColname } from './names';
import { cloneNode } from './rewrite';
import type { Catalog, Table } from './types';

type Json = Record<string, unknown>;
type Env = Map<string, string[] | undefined>;

interface FromItem {
  /** The name the query uses for it (alias or relation name); undefined for an unnamed join. */
  name?: string;
  /** Its columns, or undefined when they are not known. */
  columns?: string[];
}

/** Output column names of a SELECT (after expansion), or undefined while it still has a `*`. */
export function selectOutputNames(sel: Json | undefined): string[] | undefined {
  let s = sel;
  while (s && s.op && s.op !== 'SETOP_NONE') s = s.larg as Json;
  const targets = s?.targetList as unknown[] | undefined;
  if (!targets) return undefined;
  const names: string[] = [];
  for (const t of targets) {
    const r = as<{ name?: string; val?: unknown }>(t, 'ResTarget');
    if (strs(as<{ fields?: unknown[] }>(r?.val, 'ColumnRef')?.fields).includes('*')) return undefined;
    names.push(r?.name ?? figureColname(r?.val) ?? '?column?');
  }
  return names;
}

function relationColumns(t: Table | undefined): string[] | undefined {
  if (!t) return undefined;
  if (t.kind === 'view' || t.kind === 'materialized-view') {
    const names = selectOutputNames(as<Json>((t.node as Json | undefined)?.query, 'SelectStmt'));
    const aliases = strs((t.node as Json | undefined)?.aliases ?? ((t.node as Json | undefined)?.into as Json | undefined)?.colNames);
    return names && [...aliases, ...names.slice(aliases.length)];
  }
  return t.columns.size > 0 ? [...t.columns.keys()] : undefined;
}

/** The columns of a relation as the view sees it (undefined: not known). */
type ColumnsOf = (schema: string | undefined, name: string) => string[] | undefined;

/** The FROM items' names and columns; undefined in a dry run when a subquery in FROM would change. */
function fromItems(columnsOf: ColumnsOf, list: unknown[], env: Env, dry: boolean): FromItem[] | undefined {
  const out: FromItem[] = [];
  let subChanges = false;
  const add = (node: unknown): void => {
    const u = unwrap(node);
    const v = (u?.value ?? {}) as Json;
    const alias = v.alias as { aliasname?: string; colnames?: unknown[] } | undefined;
    const renamed = (cols: string[] | undefined) => {
      const a = strs(alias?.colnames);
      return cols && [...a, ...cols.slice(a.length)];
    };
    if (u?.kind === 'RangeVar') {
      const name = String(v.relname ?? '');
      const isCte = !v.schemaname && env.has(name);
      const columns = isCte ? env.get(name) : columnsOf(v.schemaname as string | undefined, name);
      out.push({ name: alias?.aliasname ?? name, columns: renamed(columns) });
    } else if (u?.kind === 'RangeSubselect') {
      const sub = as<Json>(v.subquery, 'SelectStmt');
      if (sub && expandSelect(columnsOf, sub, env, dry)) subChanges = true;
      out.push({ name: alias?.aliasname, columns: renamed(selectOutputNames(sub)) });
    } else if (u?.kind === 'JoinExpr' && !(v.usingClause as unknown[] | undefined)?.length && !v.isNatural && !v.alias) {
      add(v.larg);
      add(v.rarg);
    } else {
      out.push({ name: alias?.aliasname });
    }
  };
  for (const item of list) add(item);
  return dry && subChanges ? undefined : out;
}

/**
 * Expands the stars of one SELECT (its CTEs and FROM subqueries first), in place; true when something changed. `dry`
 * changes nothing and answers whether something may change: false means an expansion would leave the query as it is.
 */
function expandSelect(columnsOf: ColumnsOf, sel: Json, outer: Env, dry = false): boolean {
  if (sel.op && sel.op !== 'SETOP_NONE') {
    const l = expandSelect(columnsOf, sel.larg as Json, outer, dry);
    const r = expandSelect(columnsOf, sel.rarg as Json, outer, dry);
    return l || r;
  }
  const env: Env = new Map(outer);
  let changed = false;
  for (const c of ((sel.withClause as Json | undefined)?.ctes as unknown[] | undefined) ?? []) {
    const cte = as<{ ctename?: string; ctequery?: unknown; aliascolnames?: unknown[] }>(c, 'CommonTableExpr');
    const q = as<Json>(cte?.ctequery, 'SelectStmt');
    if (!cte?.ctename) continue;
    if (q) changed = expandSelect(columnsOf, q, env, dry) || changed;
    // What an expanded CTE gives the query below depends on the expansion: only a real one can tell.
    if (dry && changed) return true;
    const names = selectOutputNames(q);
    const a = strs(cte.aliascolnames);
    env.set(cte.ctename, names && [...a, ...names.slice(a.length)]);
  }
  const targets = sel.targetList as unknown[] | undefined;
  const starOf = (t: unknown) => strs(as<{ fields?: unknown[] }>(as<{ val?: unknown }>(t, 'ResTarget')?.val, 'ColumnRef')?.fields);
  if (!targets?.some((t) => starOf(t).includes('*'))) return changed;
  const items = fromItems(columnsOf, (sel.fromClause as unknown[] | undefined) ?? [], env, dry);
  if (!items) return true;
  const out: unknown[] = [];
  for (const t of targets) {
    const fields = starOf(t);
    if (fields[fields.length - 1] !== '*') {
      out.push(t);
      continue;
    }
    const qualifier = fields.length > 1 ? fields[fields.length - 2] : undefined;
    const over = qualifier ? items.filter((i) => i.name === qualifier) : items;
    if (!over.length || over.some((i) => !i.columns || (!qualifier && !i.name))) {
      out.push(t);
      continue;
    }
    if (dry) return true;
    for (const i of over)
      for (const c of i.columns ?? []) out.push({ ResTarget: { val: { ColumnRef: { fields: [{ String: { sval: i.name } }, { String: { sval: c } }] } } } });
    changed = true;
  }
  if (!dry) sel.targetList = out;
  return changed;
}

/**
 * Whether JSON text of `node` would contain `"A_Star"` (the test this module always made), without writing the text: a
 * key or string is `A_Star`, or ends with a quote and `A_Star` (JSON escapes that quote, then closes the string).
 */
export function mentionsStar(node: unknown): boolean {
  const hit = (s: string) => s === 'A_Star' || s.endsWith('"A_Star');
  if (typeof node === 'string') return hit(node);
  if (Array.isArray(node)) return node.some(mentionsStar);
  if (!node || typeof node !== 'object') return false;
  for (const k in node) {
    const v = (node as Json)[k];
    // JSON leaves out undefined, functions and symbols, keys included.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (hit(k) || mentionsStar(v)) return true;
  }
  return false;
}

/** Whether a view's query has a star, kept per query node (a migration's views are applied again by the rollback check). */
const HAS_STAR = new WeakMap<object, boolean>();

function hasStar(query: unknown): boolean {
  if (!query || typeof query !== 'object') return mentionsStar(query ?? '');
  let out = HAS_STAR.get(query);
  if (out === undefined) {
    out = mentionsStar(query);
    HAS_STAR.set(query, out);
  }
  return out;
}

/** A relation an expansion looked up, and the columns it found. */
interface Lookup {
  schema?: string;
  name: string;
  columns?: string[];
}

/**
 * The last expansion of each view statement, with the lookups it made. The expansion reads the catalog only through
 * those lookups, so when they give the same columns again (the rollback check applies each up a second time), the
 * result is the same and is reused: stored nodes are never changed in place, so catalogs may share it.
 */
const EXPANDED = new WeakMap<object, { searchPath: readonly string[]; lookups: Lookup[]; result: unknown }>();

function sameColumns(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The view statement with its stars expanded, or the same node when there is nothing it can expand. */
export function expandStars<T>(catalog: Catalog, view: T, state: ApplyState): T {
  if (!hasStar((view as Json).query)) return view;
  const columnsOf: ColumnsOf = (schema, name) => relationColumns(findTable(catalog, schema, name, state.searchPath));
  const last = EXPANDED.get(view as object);
  if (last && sameList(last.searchPath, state.searchPath) && last.lookups.every((l) => sameColumns(columnsOf(l.schema, l.name), l.columns))) {
    return last.result as T;
  }
  let lookups: Lookup[] = [];
  const recording: ColumnsOf = (schema, name) => {
    const columns = columnsOf(schema, name);
    lookups.push({ schema, name, columns });
    return columns;
  };
  // A dry run first: many stars are nothing this expands (in a subquery of WHERE, `t.*` in a call), and then the view
  // need not be cloned. When nothing may change, its lookups are the ones an expansion would make.
  const original = as<Json>((view as Json).query, 'SelectStmt');
  let result = view;
  if (original && expandSelect(recording, original, new Map(), true)) {
    lookups = [];
    const copy = cloneNode(view) as Json;
    const sel = as<Json>(copy.query, 'SelectStmt');
    if (sel && expandSelect(recording, sel, new Map())) result = copy as T;
  }
  EXPANDED.set(view as object, { searchPath: [...state.searchPath], lookups, result });
  return result;
}
