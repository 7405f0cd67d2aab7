// security-definer-rls-bypass: a SECURITY DEFINER routine that reads or writes a table whose row level security is enabled but not forced.
import { resolveTable } from '../catalog/build';
import type { FunctionDef, Table } from '../catalog/types';
import { routineQueries } from '../facts/body-queries';
import { isView, type QueryLevel, type Rel } from '../facts/query-scopes';
import { bodyOf, routineOf } from '../facts/routines';
import { defineRule } from './rule';

/** Schemas an unqualified name in the body resolves through: the pinned search_path, else the usual `public` (after the routine's own schema). */
function lookupPath(def: FunctionDef): string[] {
  // Each entry is one schema name as written (see searchPathOf).
  const pinned = (def.searchPath ?? []).filter((p) => p && p !== 'pg_temp' && p !== 'pg_catalog' && p !== '$user');
  return def.searchPath ? pinned : [def.schema, 'public'];
}

/** The tables a view reads, through nested views and the FROM subqueries and CTEs of its query. */
function viewTables(view: Rel, depth = 0): Table[] {
  const out: Table[] = [];
  const visit = (levels: readonly QueryLevel[] | undefined, d: number) => {
    for (const l of levels ?? []) {
      for (const rel of l.rels) {
        if (isView(rel) && d < 8) visit(rel.body, d + 1);
        else if (rel.kind === 'table' && rel.table) out.push(rel.table);
        else if (d < 8) visit(rel.body, d + 1);
      }
    }
  };
  visit(view.body, depth);
  return out;
}

export default defineRule({
  id: 'security-definer-rls-bypass',
  category: 'security-definer',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    read: 'SECURITY DEFINER {kind} {name} reads {table}, whose row level security is enabled but not forced: the {kind} runs as its owner, and a table\'s owner bypasses its policies, so callers see rows the policies would hide.',
    write: 'SECURITY DEFINER {kind} {name} writes {table}, whose row level security is enabled but not forced: the {kind} runs as its owner, and a table\'s owner bypasses its policies, so callers change rows the policies would protect.',
  },
  docs: {
    summary: 'SECURITY DEFINER function or procedure that touches a table with row level security enabled but not forced.',
    why:
      'Row level security does not apply to the table\'s owner (nor to superusers and BYPASSRLS roles) unless the table has FORCE ROW LEVEL SECURITY. A SECURITY DEFINER routine runs as its owner, who usually owns the tables too, so every query in its body sees and changes all rows, whoever calls it. Sometimes that is the point (a narrowly scoped lookup the policies cannot express); then filter on the caller explicitly in the body and suppress the finding with a reason.',
    help: 'Filter the rows on the caller explicitly in the body, make the routine SECURITY INVOKER, or force row level security on the table (ALTER TABLE … FORCE ROW LEVEL SECURITY).',
    bad: [
      "CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT * FROM app.notes $$;",
    ],
    good: [
      "CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE app.notes FORCE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT * FROM app.notes $$;",
      "CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY INVOKER AS $$ SELECT * FROM app.notes $$;",
    ],
  },
  checkStatement(ctx, stmt) {
    const r = routineOf(ctx.facts, stmt);
    const def = r?.definition;
    // The body is here even when a later ALTER made the routine definer: judge the final state.
    if (!r || !def || !def.securityDefiner) return;
    const path = lookupPath(def);
    const seen = new Set<string>();
    const flag = (table: Table | undefined, access: 'read' | 'write', range: { start: number; end: number }, via?: string) => {
      if (!table || !table.rls.enabled || table.rls.forced || seen.has(`${table.key}:${access}`)) return;
      seen.add(`${table.key}:${access}`);
      // Point at the reference in the body when it could be placed, else at the routine's name.
      const at = range.start >= 0 ? range : r.nameRange;
      const data = { kind: def.kind, name: `${def.schema}.${def.name}`, table: via ? `${table.key} (through view ${via})` : table.key };
      ctx.report({ start: at.start, end: at.end, messageId: access === 'write' ? 'write' : 'read', data });
    };
    for (const q of bodyOf(ctx.facts, r).sql) {
      for (const t of q.tables) flag(t.schema ? ctx.catalog.tables.get(`${t.schema}.${t.name}`) : resolveTable(ctx.catalog, undefined, t.name, path), t.access, t);
    }
    // EXECUTE of a literal string, and the tables behind views: a view's query runs with the privileges of its owner
    // (or, with security_invoker, of the definer running it): either way the policies are bypassed unless forced.
    for (const q of routineQueries(ctx, stmt)?.queries ?? []) {
      for (const level of q.scopes.levels) {
        for (const rel of level.rels) {
          if (q.dynamic && rel.kind === 'table') flag(rel.table, rel.role === 'target' ? 'write' : 'read', rel);
          if (isView(rel)) for (const inner of viewTables(rel)) flag(inner, rel.role === 'target' ? 'write' : 'read', rel, rel.table?.key);
        }
      }
    }
  },
});
