// The idempotent DO block migrations use for "create it unless it is there":
//   DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'x') THEN ALTER TABLE … ADD CONSTRAINT x …; END IF; END $$;
// When every statement of the block is such an IF over a catalog lookup the schema model can answer (or plain SQL), the
// block's effect is known: the statements of the branches whose condition holds. Anything else stays opaque.
import { parsePlPgSQLSync } from 'libpg-query';
import { as, constValue, strs } from '../parse/ast';
import { parseSql, type Statement } from '../parse/parse';
import { constraintName } from './extras-table';
import { keysWhere } from '../rollback/cow-map';
import type { Catalog, Table } from './types';

type Json = Record<string, unknown>;

/** What a lookup of one system catalog by name asks: whether an object of that name exists (undefined: not known). */
type Lookup = (catalog: Catalog, where: Map<string, string>) => boolean | undefined;

/** Whether a table passes `test`, read without cloning (a catalog copy would clone every table a loop hands out). */
const anyTable = (c: Catalog, test: (t: Table) => boolean) => keysWhere(c.tables, test).length > 0;
const baseName = (key: string) => key.slice(key.indexOf('.') + 1);
const relationNames = (c: Catalog) => [...c.tables.keys(), ...c.indexes.keys(), ...(c.sequences?.keys() ?? [])].map(baseName);

const LOOKUPS: Record<string, { keys: string[]; exists: Lookup }> = {
  pg_constraint: {
    keys: ['conname'],
    exists: (c, w) => anyTable(c, (t) => t.constraints.some((k) => constraintName(k) === w.get('conname'))),
  },
  pg_class: { keys: ['relname'], exists: (c, w) => relationNames(c).includes(w.get('relname')!) },
  pg_tables: { keys: ['tablename'], exists: (c, w) => anyTable(c, (t) => t.kind === 'table' && t.name === w.get('tablename')) },
  pg_indexes: { keys: ['indexname'], exists: (c, w) => [...c.indexes.keys()].map(baseName).includes(w.get('indexname')!) },
  pg_type: { keys: ['typname'], exists: (c, w) => [...c.enums.keys(), ...(c.types?.keys() ?? [])].map(baseName).includes(w.get('typname')!) },
  pg_extension: { keys: ['extname'], exists: (c, w) => c.extensions.has(w.get('extname')!) },
  pg_namespace: { keys: ['nspname'], exists: (c, w) => c.schemas.has(w.get('nspname')!) },
  pg_trigger: { keys: ['tgname'], exists: (c, w) => anyTable(c, (t) => !!t.triggers?.some((tr) => tr.name === w.get('tgname'))) },
  pg_policies: { keys: ['policyname'], exists: (c, w) => anyTable(c, (t) => t.policies.some((p) => p.name === w.get('policyname'))) },
  'information_schema.tables': { keys: ['table_name'], exists: (c, w) => anyTable(c, (t) => t.name === w.get('table_name')) },
  'information_schema.columns': {
    keys: ['table_name', 'column_name'],
    exists: (c, w) => anyTable(c, (t) => t.name === w.get('table_name') && t.columns.has(w.get('column_name')!)),
  },
};

/** `col = 'literal'` terms of a WHERE (ANDed), or undefined when it says anything else. */
function equalities(where: unknown, out = new Map<string, string>()): Map<string, string> | undefined {
  const and = as<{ boolop?: string; args?: unknown[] }>(where, 'BoolExpr');
  if (and) {
    if (and.boolop !== 'AND_EXPR') return undefined;
    for (const a of and.args ?? []) if (!equalities(a, out)) return undefined;
    return out;
  }
  const e = as<{ kind?: string; name?: unknown; lexpr?: unknown; rexpr?: unknown }>(where, 'A_Expr');
  const column = strs(as<{ fields?: unknown }>(e?.lexpr, 'ColumnRef')?.fields).pop();
  const value = constValue(e?.rexpr);
  if (e?.kind !== 'AEXPR_OP' || strs(e.name)[0] !== '=' || !column || typeof value !== 'string') return undefined;
  out.set(column, value);
  return out;
}

/** Whether a condition `[NOT] EXISTS (SELECT … FROM <catalog> WHERE name = '…')` holds; undefined when it cannot be told. */
function holds(condition: string, catalog: Catalog): boolean | undefined {
  const select = as<{ targetList?: unknown[] }>(parseSql(`SELECT ${condition}`).statements[0]?.node, 'SelectStmt');
  let expr = as<{ val?: unknown }>(select?.targetList?.[0], 'ResTarget')?.val;
  let negated = false;
  const not = as<{ boolop?: string; args?: unknown[] }>(expr, 'BoolExpr');
  if (not?.boolop === 'NOT_EXPR') {
    negated = true;
    expr = not.args?.[0];
  }
  const link = as<{ subLinkType?: string; subselect?: unknown }>(expr, 'SubLink');
  const sub = as<{ fromClause?: unknown[]; whereClause?: unknown }>(link?.subselect, 'SelectStmt');
  if (link?.subLinkType !== 'EXISTS_SUBLINK' || sub?.fromClause?.length !== 1) return undefined;
  const rv = as<{ schemaname?: string; relname?: string }>(sub.fromClause[0], 'RangeVar');
  const table =
    rv?.schemaname === 'information_schema' ? `information_schema.${rv.relname}` : rv?.schemaname && rv.schemaname !== 'pg_catalog' ? undefined : rv?.relname;
  const lookup = table ? LOOKUPS[table] : undefined;
  const where = equalities(sub.whereClause);
  // Other filters (a schema, a table) narrow the lookup: the answer by name alone is then only safe when nothing matches.
  if (!lookup || !where || !lookup.keys.every((k) => where.has(k))) return undefined;
  const exists = lookup.exists(catalog, where);
  const narrowed = [...where.keys()].some((k) => !lookup.keys.includes(k));
  if (exists === undefined || (narrowed && exists)) return undefined;
  return negated ? !exists : exists;
}

function plStatements(body: unknown[], catalog: Catalog, out: string[]): boolean {
  for (const s of body) {
    const [kind, v] = Object.entries(s as Json)[0] ?? [];
    const value = (v ?? {}) as Json;
    if (kind === 'PLpgSQL_stmt_return' && !value.expr) continue;
    if (kind === 'PLpgSQL_stmt_execsql') {
      const query = as<{ query?: string }>(value.sqlstmt, 'PLpgSQL_expr')?.query;
      if (!query) return false;
      out.push(query);
      continue;
    }
    if (kind !== 'PLpgSQL_stmt_if' || value.elsif_list) return false;
    const cond = as<{ query?: string }>(value.cond, 'PLpgSQL_expr')?.query;
    const verdict = cond === undefined ? undefined : holds(cond, catalog);
    if (verdict === undefined) return false;
    const branch = (verdict ? value.then_body : value.else_body) as unknown[] | undefined;
    if (branch && !plStatements(branch, catalog, out)) return false;
  }
  return true;
}

type PlTree = { plpgsql_funcs?: { PLpgSQL_function?: { action?: { PLpgSQL_stmt_block?: { body?: unknown[]; exceptions?: unknown } } } }[] };

/** PL/pgSQL trees of DO statements, parsed once per statement (only read; the rollback check applies each up again). */
const PL_TREES = new WeakMap<Statement, PlTree | null>();

function plTree(stmt: Statement): PlTree | undefined {
  let tree = PL_TREES.get(stmt);
  if (tree === undefined) {
    try {
      tree = parsePlPgSQLSync(stmt.text) as PlTree;
    } catch {
      tree = null;
    }
    PL_TREES.set(stmt, tree);
  }
  return tree ?? undefined;
}

/**
 * The statements a DO block runs on this catalog, placed at the DO statement (for findings and locations), or undefined
 * when the block does something the model cannot follow (loops, variables, EXECUTE of built strings, other conditions).
 */
export function doBlockStatements(stmt: Statement, catalog: Catalog): Statement[] | undefined {
  const tree = plTree(stmt);
  if (!tree) return undefined;
  const block = tree.plpgsql_funcs?.[0]?.PLpgSQL_function?.action?.PLpgSQL_stmt_block;
  if (!block?.body || block.exceptions) return undefined;
  const queries: string[] = [];
  if (!plStatements(block.body, catalog, queries)) return undefined;
  const out: Statement[] = [];
  for (const q of queries) {
    const parsed = parseSql(q);
    if (parsed.errors.length) return undefined;
    // Fresh parses: placed at the DO statement in place (a Statement reads its tree lazily, so it is not copied).
    for (const s of parsed.statements) {
      s.start = stmt.start;
      s.end = stmt.end;
      out.push(s);
    }
  }
  return out;
}
