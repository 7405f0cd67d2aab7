// view-bypasses-rls: a view that reads a row-level-secured table with its owner's rights (no security_invoker), or a materialized view that stores such rows for every reader.
import type { Table } from '../catalog/types';
import { reloptionOn } from '../catalog/physical';
import { currentTenantMatcher } from '../facts/current-tenant';
import { defineFact } from '../facts/file-facts';
import { scopesFor } from '../facts/file-scopes';
import { topLevelConjuncts } from '../facts/query-predicates';
import { isView, nameRange, type QueryLevel, type Rel } from '../facts/query-scopes';
import { afterSemicolon, quoteIdent } from '../facts/relations';
import { currentTenantConfined } from '../facts/tenant';
import { as, strs, walk } from '../parse/ast';
import { tokensCovering, type Statement } from '../parse/parse';
import { defineRule, type RuleContext } from './rule';

/** Functions of who is asking: a view that filters on one applies a policy's idea itself (evaluated for the querying role). */
const CALLER_VALUES = new Set(['SVFOP_CURRENT_USER', 'SVFOP_SESSION_USER', 'SVFOP_CURRENT_ROLE', 'SVFOP_USER']);

function namesCaller(node: unknown): boolean {
  let found = false;
  walk(node, (kind, v) => {
    if (found) return false;
    if (kind === 'SQLValueFunction' && CALLER_VALUES.has(String(v.op))) found = true;
    if (kind === 'FuncCall') {
      const name = strs(v.funcname as unknown[]);
      // current_setting('app.…') carries the session's tenant or user; Supabase's auth.uid() / auth.jwt() the caller.
      if (name[name.length - 1] === 'current_setting' || (name.length === 2 && name[0] === 'auth')) found = true;
    }
    return undefined;
  });
  return found;
}

/**
 * Whether the view's query filters rows on the querying role somewhere (a WHERE or a join condition at any level).
 * Taken for the whole view: which level's filter confines which table is not worth a false alarm.
 */
function filtersOnCaller(levels: readonly QueryLevel[]): boolean {
  return levels.some((l) => namesCaller(l.where) || l.joins.some((j) => namesCaller(j.quals)));
}

/** The conditions of a table's permissive read policies (FOR ALL or FOR SELECT), as the catalog keeps them. */
function readPolicyQuals(table: Table): unknown[] {
  return table.policies
    .filter((p) => p.permissive && (p.command === 'all' || p.command === 'select'))
    .map((p) => (p.node as { qual?: unknown } | undefined)?.qual)
    .filter((q) => q !== undefined);
}

/** A permissive policy that lets every row be read (`USING (true)`): the policies hide nothing from anyone. */
function readsAll(table: Table): boolean {
  return readPolicyQuals(table).some((q) => as<{ boolval?: { boolval?: boolean } }>(q, 'A_Const')?.boolval?.boolval === true);
}

/** An expression as text to compare: locations left out, and column references by their last name (`d.x` is `x`). */
function exprKey(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => {
    if (key === 'location') return undefined;
    const fields = (value as { ColumnRef?: { fields?: unknown[] } } | null)?.ColumnRef?.fields;
    return fields ? { ColumnRef: { fields: fields.slice(-1) } } : value;
  });
}

/**
 * Whether the level reading the table filters on one of the table's permissive read policies itself (`WHERE is_public`
 * beside `USING (is_public)`): then the view shows only rows that policy shows everyone.
 */
function appliesPolicy(rel: Rel, table: Table): boolean {
  const policies = readPolicyQuals(table).map(exprKey);
  if (!policies.length) return false;
  const level = rel.level;
  return [level.where, ...level.joins.map((j) => j.quals)].flatMap(topLevelConjuncts).some((c) => policies.includes(exprKey(c)));
}

interface Secured {
  table: Table;
  rel: Rel;
}

/**
 * The row-level-secured tables a view's query reads with the view owner's rights, at every level. Not through a nested
 * view: a security_invoker one checks its tables as the role running the query (the caller, not this view's owner, as
 * PostgreSQL does it), and one without reads them as its own owner and answers for them at its own definition.
 */
function securedTables(levels: readonly QueryLevel[], materialized: boolean): Secured[] {
  const out: Secured[] = [];
  for (const level of levels) {
    for (const rel of level.rels) {
      if (rel.kind !== 'table' || !rel.table || isView(rel)) continue;
      const t = rel.table;
      // Forced row level security binds the owner too, except for a materialized view: its rows are the refresher's.
      if (t.kind !== 'table' || !t.rls.enabled || (t.rls.forced && !materialized) || readsAll(t) || (!materialized && appliesPolicy(rel, t))) continue;
      out.push({ table: t, rel });
    }
  }
  return out;
}

function listed(keys: string[]): string {
  const shown = keys.slice(0, 3).join(', ');
  return keys.length > 3 ? `${shown} and ${keys.length - 3} more` : shown;
}

/** The views and materialized views whose current definition is in this file, by the start of their statement. */
const viewsDefinedHere = defineFact('views-defined-here', (ctx) => {
  const out = new Map<number, Table>();
  for (const t of ctx.catalog.tables.values())
    if ((t.kind === 'view' || t.kind === 'materialized-view') && t.loc.file === ctx.file.path) out.set(t.loc.start, t);
  return out;
});

/** The view a statement defines, when it is the catalog's current definition of it. */
function definedView(ctx: RuleContext, stmt: Statement): { view: Table; at: number } | undefined {
  const viewStmt = as<{ view?: { location?: number } }>(stmt.node, 'ViewStmt');
  const matview = as<{ objtype?: string; into?: { rel?: { location?: number } } }>(stmt.node, 'CreateTableAsStmt');
  if (!viewStmt && matview?.objtype !== 'OBJECT_MATVIEW') return undefined;
  const view = ctx.facts.get(viewsDefinedHere).get(stmt.start);
  return view && { view, at: viewStmt?.view?.location ?? matview?.into?.rel?.location ?? -1 };
}

export default defineRule({
  id: 'view-bypasses-rls',
  category: 'security-definer',
  severity: 'warning',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    view: "View {view} reads {tables} with its owner's rights (it is not security_invoker), and row level security is enabled but not forced there: a table's owner bypasses its policies, so every role that can select from the view sees the rows the policies would hide from it.",
    materialized:
      'Materialized view {view} stores rows of {tables}, which has row level security: it holds them as the role that refreshed it saw them, and a materialized view has no row level security of its own, so every role that can select from it sees them all.',
  },
  docs: {
    summary: 'A view reading a row-level-secured table without security_invoker, or a materialized view over one.',
    why:
      "PostgreSQL checks the tables a view reads, and applies their row level security, as the view's owner unless the view is `security_invoker` (PostgreSQL 15+). Migrations usually create tables and views as one role, and a table's owner bypasses its policies unless row level security is forced, so such a view hands every role allowed to select from it (often all of them, through default privileges) the rows the policies exist to hide: the view is a SECURITY DEFINER function in disguise. " +
      'A materialized view is worse: its rows are computed at REFRESH, as its owner, and stored; it can have no policies, so every reader sees what the owner saw. ' +
      "The view's query is followed at every level (subqueries, CTEs, sublinks). A view it reads is judged on its own: a security_invoker one checks its tables as the role running the query (not this view's owner), and one without is reported at its own definition. " +
      "Not reported: a table whose row level security is forced (for a plain view), one with a permissive policy `USING (true)`, a table the view filters with one of its own read policies' conditions (`WHERE is_public` beside `USING (is_public)`), a view whose query filters on who is asking (current_user, session_user, current_role, `current_setting(…)` or a function of Supabase's `auth` schema, which the view evaluates for the querying role), and, with `tenant.currentTenant` configured, a reference confined to the current tenant. " +
      'The quick fix (unsafe) makes the view security_invoker: its readers then need their own privileges on the tables, and see only the rows the policies give them.',
    help: "Make the view security_invoker (ALTER VIEW … SET (security_invoker = true), PostgreSQL 15+), filter its rows on the querying role in the view, or force row level security on the table; for a materialized view, expose it through a function or a view that filters on the caller, or don't build it over row-level-secured tables.",
    bad: [
      'CREATE TABLE notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own_notes ON notes USING (owner_id = auth.uid());\nCREATE VIEW recent_notes AS SELECT * FROM notes ORDER BY id DESC LIMIT 50;',
      'CREATE TABLE notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE MATERIALIZED VIEW note_counts AS SELECT owner_id, count(*) FROM notes GROUP BY owner_id;',
    ],
    good: [
      'CREATE TABLE notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own_notes ON notes USING (owner_id = auth.uid());\nCREATE VIEW recent_notes WITH (security_invoker = true) AS SELECT * FROM notes ORDER BY id DESC LIMIT 50;',
      'CREATE TABLE notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE VIEW my_notes AS SELECT * FROM notes WHERE owner_id = auth.uid();',
    ],
  },
  checkStatement(ctx, stmt) {
    if (ctx.file.role !== 'plain' && ctx.file.role !== 'migration-up') return;
    const defined = definedView(ctx, stmt);
    if (!defined) return;
    const { view, at } = defined;
    const materialized = view.kind === 'materialized-view';
    // A view its owner's rights do not apply to: its tables are checked as whoever queries it.
    if (!materialized && reloptionOn(view, 'security_invoker')) return;
    const levels = scopesFor(ctx, stmt).levels;
    if (!materialized && filtersOnCaller(levels)) return;
    let secured = securedTables(levels, materialized);
    if (!materialized) {
      const confined = currentTenantConfined(levels, ctx.config.tenant.columns, ctx.catalog, currentTenantMatcher(ctx.config.tenant.currentTenant));
      secured = secured.filter((s) => !confined.has(s.rel));
    }
    const tables = [...new Set(secured.map((s) => s.table.key))];
    if (!tables.length) return;
    const range = at >= 0 ? nameRange(tokensCovering(ctx.parsed, at), at) : { start: stmt.start, end: stmt.start + 1 };
    const data = { view: view.key, tables: listed(tables) };
    if (materialized) return ctx.report({ ...range, messageId: 'materialized', data, statement: stmt });
    const end = afterSemicolon(ctx.parsed, stmt);
    const name = `${quoteIdent(view.schema)}.${quoteIdent(view.name)}`;
    const fix =
      ctx.config.postgres.version >= 15
        ? { title: 'Make the view security_invoker', edits: [{ start: end, end, newText: `\nALTER VIEW ${name} SET (security_invoker = true);` }] }
        : undefined;
    ctx.report({ ...range, messageId: 'view', data, statement: stmt, fix });
  },
});
