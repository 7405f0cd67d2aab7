// missing-tenant-filter: a read or write of a tenant table, at any query level, that is not pinned to one tenant.
import { routineQueries } from '../facts/body-queries';
import { scopesFor } from '../facts/file-scopes';
import { type StatementScopes, type Wrapper } from '../facts/query-scopes';
import type { Statement } from '../parse/parse';
import { tenantRefs, type TenantRef } from '../facts/tenant';
import { currentTenantMatcher } from '../facts/current-tenant';
import { tenantPredicateFix } from '../facts/tenant-predicate';
import type { Catalog } from '../catalog/types';
import { defineRule, type Fix, type RuleContext } from './rule';

/** Wrapped queries that do not run as written: a view is filtered by whoever queries it; plain EXPLAIN reads no rows. */
const SKIPPED: ReadonlySet<Wrapper | undefined> = new Set(['view', 'explain']);

const VERBS: Record<string, string> = { update: 'updates', delete: 'deletes from', merge: 'merges into' };

const JOIN_WORDS: Record<string, string> = { left: 'LEFT', right: 'RIGHT', full: 'FULL', inner: 'INNER', cross: 'CROSS' };

export default defineRule({
  id: 'missing-tenant-filter',
  category: 'tenant',
  severity: 'error',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    none: "Query {verb} tenant table {table} without pinning {column} to one tenant: no `=` or `IN` condition on {ref}.{column} at this query level, so it spans every tenant's rows.",
    underOr:
      'Query {verb} tenant table {table} without pinning {column} to one tenant: the condition on {ref}.{column} is under an OR, so rows of other tenants still match.',
    underNot:
      'Query {verb} tenant table {table} without pinning {column} to one tenant: the condition on {ref}.{column} is under NOT, which does not pin one tenant.',
    preservedSide:
      'Query {verb} tenant table {table} without pinning {column} to one tenant: the condition on {ref}.{column} is in the ON of a {join} JOIN, which keeps every row of {table}.',
    joinedOnOther:
      'Query {verb} tenant table {table} without pinning {column} to one tenant: it is joined to {other} on {joinColumn}, which is not the tenant key.',
    viewHidden:
      "Query reads view {table}, which reads tenant table {inner} without pinning {column} and does not expose {column}: every tenant's rows come through it, and no condition here can pin them.",
    peerUnpinned:
      'Query {verb} tenant table {table} without pinning {column} to one tenant: its {column} is equated with a column of {other}, which is not pinned to one tenant itself.',
  },
  docs: {
    summary: 'A query reads or writes a tenant table without pinning it to one tenant.',
    why:
      'In a shared-schema multi-tenant database every query of a tenant table (one with a tenant column, `tenant.columns`) must say which tenant it serves. ' +
      "A missing, OR-ed or negated tenant condition, or a join on a column other than the tenant key, leaks or changes other tenants' rows. " +
      "Each query level is checked on its own (CTEs, subqueries, each UNION branch, each side of a join): the table must have an `=`, `IN` or `= ANY` condition on its tenant column that is a top-level AND term of that level's WHERE or of an ON that filters it, or be equated on the tenant column with a relation that is pinned. " +
      'A view is looked through, subqueries of its query (IN, EXISTS, scalar, CTEs, FROM subqueries) included: its own conditions count, and when a tenant table it reads is not pinned inside it the query must pin the tenant column the view exposes, and every other tenant table of the view must follow from that pin (a view that hides its tenant key is reported). ' +
      "Tables whose row level security is enabled and forced, with a policy on the tenant column, are exempt: the database enforces the tenant. With `tenant.currentTenant` set, the policy must compare the tenant column with one of those expressions (a top-level AND term of its USING, e.g. `tenant_id = current_setting('app.tenant_id', true)::uuid` or `tenant_id IN (SELECT tenant_id FROM members WHERE user_id = (select auth.uid()))`); expressions are matched by parse tree, so spacing, quoting, `CAST(… AS uuid)` versus `::uuid`, `pg_catalog.` and Supabase's `(select …)` wrapper do not matter. " +
      'Migration files are not checked unless `tenant.checkMigrations` is true, because backfills span tenants on purpose (function bodies are runtime code and are checked wherever they are defined). ' +
      "When the query has no condition on the tenant column and is the statement's own query, a quick fix adds `AND <ref>.tenant_id = $N` (the next free parameter) or the first `tenant.currentTenant` expression: check that the value is the current tenant.",
    help: 'Add `AND <table>.tenant_id = $1` (the current tenant) as a top-level condition of this query level.',
    bad: [
      'CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total numeric);\nSELECT id, total FROM invoices WHERE total > 100;',
      'CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, paid boolean);\nUPDATE invoices SET paid = true WHERE tenant_id = $1 OR id = $2;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint, tenant_id bigint NOT NULL);\nSELECT i.* FROM orders o JOIN items i ON i.order_id = o.id WHERE o.tenant_id = $1;',
    ],
    good: [
      'CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total numeric);\nSELECT id, total FROM invoices WHERE tenant_id = $1 AND total > 100;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint, tenant_id bigint NOT NULL);\nSELECT i.* FROM orders o JOIN items i ON i.order_id = o.id AND i.tenant_id = o.tenant_id WHERE o.tenant_id = $1;',
      "CREATE TABLE notes (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, body text);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE notes FORCE ROW LEVEL SECURITY;\nCREATE POLICY tenant_isolation ON notes USING (tenant_id = current_setting('app.tenant_id')::bigint);\nSELECT * FROM notes WHERE id = $1;",
    ],
  },
  checkStatement(ctx, stmt) {
    if (!hasTenantTables(ctx.catalog, ctx.config.tenant.columns)) return;
    const checkFile = ctx.file.role === 'plain' || ctx.config.tenant.checkMigrations;
    const all = [...(checkFile ? [scopesFor(ctx, stmt)] : []), ...bodyScopes(ctx, stmt, checkFile)];
    const currentTenant = currentTenantMatcher(ctx.config.tenant.currentTenant);
    for (const scopes of all) {
      if (SKIPPED.has(scopes.wrapper)) continue;
      const refs = tenantRefs(scopes, ctx.config.tenant.columns, ctx.catalog, { currentTenant });
      for (const ref of refs) if (!ref.pinned) report(ctx, ref, tenantPredicateFix(ctx.parsed, ref, refs, ctx.config.tenant.currentTenant));
    }
  },
});

const tenantTables = new WeakMap<Catalog, { version: number; columns: string; found: boolean }>();

/** Whether any relation of the schema has a tenant column: without one no query can miss a tenant filter. */
function hasTenantTables(catalog: Catalog, columns: readonly string[]): boolean {
  const key = columns.join('\u0000');
  const hit = tenantTables.get(catalog);
  if (hit && hit.version === catalog.version && hit.columns === key) return hit.found;
  const found = [...catalog.tables.values()].some((t) => columns.some((c) => t.columns.has(c)));
  tenantTables.set(catalog, { version: catalog.version, columns: key, found });
  return found;
}

/**
 * The queries inside a function or procedure body: runtime code wherever it is defined, so checked in migrations too
 * (a DO block is migration code and follows the file). Down parts only restore old versions.
 */
function bodyScopes(ctx: RuleContext, stmt: Statement, checkFile: boolean): StatementScopes[] {
  if (ctx.file.role !== 'plain' && ctx.file.role !== 'migration-up') return [];
  const rq = routineQueries(ctx, stmt);
  if (!rq || (rq.routine.kind === 'do' && !checkFile)) return [];
  return rq.queries.map((q) => q.scopes);
}

function written(ctx: RuleContext, start: number, end: number, fallback: string): string {
  return start >= 0 && end > start ? ctx.parsed.text.slice(start, end) : fallback;
}

function report(ctx: RuleContext, ref: TenantRef, fix?: Fix): void {
  const { rel, column } = ref;
  const table = written(ctx, rel.start, rel.end, ref.table.key);
  const r = rel.refName ?? table;
  const verb = rel.role === 'target' ? (VERBS[rel.level.kind] ?? 'reads') : 'reads';
  const data: Record<string, string> = { verb, table, column, ref: r };
  const reason = ref.reason ?? { kind: 'none' };
  let messageId = 'none';
  let help = `Add \`AND ${r}.${column} = $1\` (the current tenant) as a top-level condition of this query level's WHERE clause.`;
  switch (reason.kind) {
    case 'or':
    case 'not':
      messageId = reason.kind === 'or' ? 'underOr' : 'underNot';
      help = `Pin the tenant with a top-level AND condition outside the ${reason.kind.toUpperCase()}: \`WHERE ${r}.${column} = $1 AND (…)\`.`;
      break;
    case 'preserved':
      messageId = 'preservedSide';
      data.join = JOIN_WORDS[reason.join.type] ?? 'OUTER';
      help = `Move the condition on ${r}.${column} from the ON clause to the WHERE clause, where it filters ${table}.`;
      break;
    case 'other-column': {
      messageId = 'joinedOnOther';
      const other = reason.other.refName ?? 'the other relation';
      Object.assign(data, { other, joinColumn: `${r}.${reason.column} = ${other}.${reason.otherColumn}` });
      // Joining on the tenant key needs one on the other side too: a table without it (users, say) cannot give it.
      help =
        reason.other.table && !reason.other.table.columns.has(column)
          ? `${other} has no ${column} to join on: pin ${r} to the current tenant instead, with \`AND ${r}.${column} = $1\` in the WHERE clause.`
          : `Join on the tenant key too: add \`AND ${r}.${column} = ${other}.${column}\` to the join condition.`;
      break;
    }
    case 'unpinned-peer': {
      messageId = 'peerUnpinned';
      const other = reason.other.refName ?? 'the other relation';
      data.other = other;
      help = `Pin one side of the join to the current tenant: add \`AND ${other}.${column} = $1\` to the WHERE clause.`;
      break;
    }
    case 'view-hidden':
      messageId = 'viewHidden';
      Object.assign(data, { inner: reason.inner, column: reason.column });
      help = `Pin the tenant inside the view (or expose ${reason.column} from it and add \`AND ${r}.${reason.column} = $1\` here).`;
      break;
    default:
      break;
  }
  const start = rel.start >= 0 ? rel.start : rel.level.statement.start;
  ctx.report({ start, end: rel.end > start ? rel.end : start + 1, messageId, data, help, statement: rel.level.statement, fix });
}
