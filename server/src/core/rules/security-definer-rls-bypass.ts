// security-definer-rls-bypass: a SECURITY DEFINER routine that reads or writes a table whose row level security is enabled but not forced.
import { resolveTable } from '../catalog/build';
import type { Catalog, FunctionDef, Table } from '../catalog/types';
import { strs } from '../parse/ast';
import { platformOf, platformWrittenSchema } from '../projects/platform';
import { routineQueries } from '../facts/body-queries';
import { isView, type Rel } from '../facts/query-scopes';
import { reloptionOn } from '../catalog/physical';
import { currentTenantMatcher } from '../facts/current-tenant';
import { currentTenantConfined } from '../facts/tenant';
import { bodyOf, isTriggerFunction, routineOf } from '../facts/routines';
import { defineRule } from './rule';

/** Schemas an unqualified name in the body resolves through: the pinned search_path, else the usual `public` (after the routine's own schema). */
function lookupPath(def: FunctionDef): string[] {
  // Each entry is one schema name as written (see searchPathOf).
  const pinned = (def.searchPath ?? []).filter((p) => p && p !== 'pg_temp' && p !== 'pg_catalog' && p !== '$user');
  return def.searchPath ? pinned : [def.schema, 'public'];
}

/**
 * The table references a view's query reads (every level: sublinks, CTEs and FROM subqueries included, and the views it
 * reads), each with the view whose query reads it: that view alone decides whose rights apply to the table (its owner's,
 * or with security_invoker the role running the query, whatever view it was reached through; PostgreSQL checks it so).
 */
function viewRefs(view: Rel, depth = 0): { rel: Rel; view?: Table }[] {
  const out: { rel: Rel; view?: Table }[] = [];
  for (const l of view.viewLevels ?? []) {
    for (const rel of l.rels) {
      if (isView(rel)) {
        if (depth < 8) out.push(...viewRefs(rel, depth + 1));
      } else if (rel.kind === 'table' && rel.table) out.push({ rel, view: view.table });
    }
  }
  return out;
}

/**
 * A trigger function whose every trigger is on a table only a platform's own services write (Supabase's auth.users,
 * written by its auth service): no role of the project can fire it, so no caller reaches the rows it changes.
 */
function firedOnlyByPlatform(catalog: Catalog, def: FunctionDef): boolean {
  if (!isTriggerFunction(def)) return false;
  let fired = false;
  for (const t of catalog.tables.values()) {
    for (const tr of t.triggers ?? []) {
      const fn = strs((tr.node as { funcname?: unknown[] } | undefined)?.funcname);
      if (fn[fn.length - 1] !== def.name || (fn.length > 1 && fn[fn.length - 2] !== def.schema)) continue;
      const platform = platformOf(t.loc.file);
      if (!platform || !platformWrittenSchema(platform, t.schema)) return false;
      fired = true;
    }
  }
  return fired;
}

const VIEW_HELP =
  'Make the view security_invoker (PostgreSQL 15+: ALTER VIEW … SET (security_invoker = true)) and the routine SECURITY INVOKER, filter the rows on the caller in the view or the body, or force row level security on the table.';

export default defineRule({
  id: 'security-definer-rls-bypass',
  category: 'security-definer',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    read: "SECURITY DEFINER {kind} {name} reads {table}, whose row level security is enabled but not forced: the {kind} runs as its owner, and a table's owner bypasses its policies, so callers see rows the policies would hide.",
    write:
      "SECURITY DEFINER {kind} {name} writes {table}, whose row level security is enabled but not forced: the {kind} runs as its owner, and a table's owner bypasses its policies, so callers change rows the policies would protect.",
    viaView:
      "SECURITY DEFINER {kind} {name} {access} {table} through view {view}, which is not security_invoker: PostgreSQL checks the view's tables, and applies their row level security, as the view's owner, and a table's owner bypasses its policies unless row level security is forced, so callers (of the view too) reach rows the policies would keep from them.",
    viaInvokerView:
      "SECURITY DEFINER {kind} {name} {access} {table} through security_invoker view {view}: the view's tables are checked as the current user, which inside a SECURITY DEFINER {kind} is its owner, and a table's owner bypasses its policies unless row level security is forced, so callers reach rows the policies would keep from them.",
  },
  docs: {
    summary: 'SECURITY DEFINER function or procedure that touches a table with row level security enabled but not forced.',
    why:
      "Row level security does not apply to the table's owner (nor to superusers and BYPASSRLS roles) unless the table has FORCE ROW LEVEL SECURITY. A SECURITY DEFINER routine runs as its owner, who usually owns the tables too, so every query in its body sees and changes all rows, whoever calls it. " +
      "Views are followed into every table their query reads (subqueries in WHERE, the select list, CTEs and FROM included). Whose privileges and policies apply there is PostgreSQL's rule for views: a view without `security_invoker` checks its tables, and applies their row level security, as the view's owner, whoever queries it (so such a view bypasses the policies of the tables its owner owns for every caller, definer routine or not); a view created `WITH (security_invoker = true)` (PostgreSQL 15+, or set later by `ALTER VIEW … SET (security_invoker = …)`) checks them as the current user, which inside a SECURITY DEFINER routine is the routine's owner. Both bypass the policies when that role owns the table, which pgdba assumes (migrations usually run as one role); the message says which role it is. In a chain of views, the view whose query reads the table decides (an owner-rights view reading a security_invoker view does not make that view's tables its owner's). " +
      "A query confined to the current tenant applies the tenant policy itself: with `tenant.currentTenant` configured, a reference whose tenant column the body (or the view) pins to one of those expressions (matched by parse tree, e.g. `tenant_id = current_setting('app.tenant_id')::uuid` or `= (select auth.uid())`) is not reported; a routine parameter is not the caller's tenant (any caller can pass any value) and does not count. " +
      "A trigger function whose triggers are all on tables only a platform's own services write (Supabase's auth.users, written by its auth service) has no caller to hand rows to, and a platform's own tables (Supabase's storage.objects, owned by the storage service's role) keep their policies for the routine's owner: neither is reported. " +
      'Sometimes reading all rows is the point (a narrowly scoped lookup the policies cannot express); then filter on the caller explicitly in the body and suppress the finding with a reason.',
    help: 'Filter the rows on the caller explicitly in the body, make the routine SECURITY INVOKER, or force row level security on the table (ALTER TABLE … FORCE ROW LEVEL SECURITY).',
    bad: [
      'CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT * FROM app.notes $$;',
      'CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE VIEW app.my_notes WITH (security_invoker = true) AS SELECT * FROM app.notes;\nCREATE FUNCTION app.note_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM app.my_notes $$;',
    ],
    good: [
      'CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE app.notes FORCE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT * FROM app.notes $$;',
      'CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE FUNCTION app.all_notes() RETURNS SETOF app.notes LANGUAGE sql SECURITY INVOKER AS $$ SELECT * FROM app.notes $$;',
    ],
  },
  checkStatement(ctx, stmt) {
    const r = routineOf(ctx.facts, stmt);
    const def = r?.definition;
    // The body is here even when a later ALTER made the routine definer: judge the final state.
    if (!r || !def || !def.securityDefiner || firedOnlyByPlatform(ctx.catalog, def)) return;
    const path = lookupPath(def);
    const seen = new Set<string>();
    const flag = (table: Table | undefined, access: 'read' | 'write', range: { start: number; end: number }, view?: { name: string; invoker: boolean }) => {
      // A platform's tables (Supabase's storage.objects) belong to its own roles, not the routine's owner: their policies apply.
      if (!table || !table.rls.enabled || table.rls.forced || platformOf(table.loc.file) || seen.has(`${table.key}:${access}`)) return;
      seen.add(`${table.key}:${access}`);
      // Point at the reference in the body when it could be placed, else at the routine's name.
      const at = range.start >= 0 ? range : r.nameRange;
      const data = { kind: def.kind, name: `${def.schema}.${def.name}`, table: table.key };
      if (!view) return ctx.report({ start: at.start, end: at.end, messageId: access, data });
      const help = view.invoker ? undefined : VIEW_HELP;
      ctx.report({
        start: at.start,
        end: at.end,
        messageId: view.invoker ? 'viaInvokerView' : 'viaView',
        data: { ...data, access: access === 'write' ? 'writes' : 'reads', view: view.name },
        help,
      });
    };
    // A body that pins a table's tenant column to the current tenant (tenant.currentTenant) applies the tenant policy itself.
    const isCurrent = currentTenantMatcher(ctx.config.tenant.currentTenant);
    const columns = ctx.config.tenant.columns;
    const confined = new Set<number>();
    const later: (() => void)[] = [];
    for (const q of routineQueries(ctx, stmt)?.queries ?? []) {
      const pinned = currentTenantConfined(q.scopes.levels, columns, ctx.catalog, isCurrent);
      for (const level of q.scopes.levels) {
        for (const rel of level.rels) {
          if (rel.kind !== 'table') continue;
          const access = rel.role === 'target' ? 'write' : 'read';
          if (!isView(rel)) {
            if (pinned.has(rel)) confined.add(rel.start);
            // EXECUTE of a literal string: its tables are not among the body's placed ones.
            else if (q.dynamic) later.push(() => flag(rel.table, access, rel));
            continue;
          }
          // The tables behind a view (see the docs for whose privileges apply); a reference confined to the current tenant is not a bypass.
          for (const inner of viewRefs(rel)) {
            if (pinned.has(inner.rel)) continue;
            const via = inner.view;
            const invoker = !!via && reloptionOn(via, 'security_invoker');
            later.push(() => flag(inner.rel.table, access, rel, { name: via?.key ?? rel.table?.key ?? '', invoker }));
          }
        }
      }
    }
    for (const q of bodyOf(ctx.facts, r).sql) {
      for (const t of q.tables) {
        const table = t.schema ? ctx.catalog.tables.get(`${t.schema}.${t.name}`) : resolveTable(ctx.catalog, undefined, t.name, path);
        if (t.start >= 0 && confined.has(t.start)) continue;
        flag(table, t.access, t);
      }
    }
    for (const f of later) f();
  },
});
