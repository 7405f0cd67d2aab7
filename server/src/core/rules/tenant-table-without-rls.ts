// tenant-table-without-rls: a table with a tenant column on which row level security is never enabled in the workspace.
import type { CreateStmt } from '@pgsql/types';
import type { Table } from '../catalog/types';
import { searchPaths } from '../facts/file-scopes';
import { nameRange } from '../facts/query-scopes';
import { tenantColumnOf } from '../facts/tenant';
import { parseSql, tokenIndexAt, tokensCovering, type Statement } from '../parse/parse';
import { as, locationOf } from '../parse/ast';
import { defineRule, type Fix, type RuleContext } from './rule';

/** Serial pseudo-types are not castable names: the policy casts to the underlying integer type. */
const SERIAL: Record<string, string> = {
  smallserial: 'smallint',
  serial: 'integer',
  serial2: 'smallint',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
};

export default defineRule({
  id: 'tenant-table-without-rls',
  category: 'tenant',
  severity: 'warning',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    noRls:
      "Tenant table {table} (tenant column {column}) never enables row level security in this workspace: only the queries themselves keep one tenant from reading another's rows.",
  },
  docs: {
    summary: 'A tenant table on which row level security is never enabled.',
    why:
      "A table with a tenant column (`tenant.columns`) holds every tenant's rows. Without row level security one forgotten `WHERE tenant_id = …` leaks them; " +
      "with RLS enabled and forced and a policy on the tenant column, PostgreSQL filters every query, including the owner's. " +
      'The rule looks at the whole workspace (migrations in order, then the other SQL files) and reports at the CREATE TABLE. ' +
      'The quick fix is marked unsafe: enabling RLS without a policy hides every row from everyone but the owner, and FORCE binds the owner too, ' +
      "so the fix adds a policy template that reads the tenant from the first `tenant.currentTenant` expression, else from `current_setting('app.tenant_id')`; your application (and migration role) must set it, e.g. `SET app.tenant_id = '42'`, or be given a BYPASSRLS role.",
    help: 'Enable and force row level security on the table with a policy on its tenant column, or turn this rule off if tenants are isolated only in the application.',
    bad: ['CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total numeric);'],
    good: [
      "CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total numeric);\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nALTER TABLE invoices FORCE ROW LEVEL SECURITY;\nCREATE POLICY invoices_tenant_isolation ON invoices USING (tenant_id = current_setting('app.tenant_id')::bigint);",
      'CREATE TABLE currencies (code text PRIMARY KEY, name text NOT NULL);',
    ],
  },
  check(ctx) {
    if (ctx.file.role !== 'plain' && ctx.file.role !== 'migration-up') return;
    const paths = searchPaths(ctx.parsed.statements);
    // The last CREATE TABLE of a name in this file is the one the catalog keeps.
    const creates = new Map<string, { stmt: Statement; create: CreateStmt }>();
    for (const stmt of ctx.statements) {
      if (stmt.kind !== 'CreateStmt') continue;
      const create = as<CreateStmt>(stmt.node, 'CreateStmt');
      const rv = create?.relation;
      if (!create || !rv?.relname || rv.relpersistence === 't' || create.partbound) continue;
      creates.set(`${rv.schemaname || (paths.get(stmt) ?? ['public'])[0]}.${rv.relname}`, { stmt, create });
    }
    for (const [key, { stmt, create }] of creates) {
      const table = ctx.catalog.tables.get(key);
      // Only the file that defines the table reports it; catalog offsets of other files may be stale.
      if (!table || table.kind !== 'table' || table.loc.file !== ctx.file.path || table.partitionOf || table.rls.enabled) continue;
      const column = tenantColumnOf(table, ctx.config.tenant.columns);
      if (!column) continue;
      const at = locationOf({ RangeVar: create.relation });
      const range = at >= 0 ? nameRange(tokensCovering(ctx.parsed, at), at) : { start: stmt.start, end: stmt.start + 1 };
      const written = ctx.parsed.text.slice(range.start, range.end) || table.key;
      ctx.report({ ...range, messageId: 'noRls', data: { table: written, column }, statement: stmt, fix: rlsFix(ctx, stmt, table, written, column) });
    }
  },
});

/** Quotes an identifier unless it is a plain lower-case name. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A configured current-tenant expression, when it parses as one (it is written by hand). */
function tenantExpression(expr: string | undefined): string | undefined {
  return expr && !parseSql(`SELECT ${expr}`).errors.length ? expr : undefined;
}

function rlsFix(ctx: RuleContext, stmt: Statement, table: Table, written: string, column: string): Fix {
  const raw = (table.columns.get(column)?.type || 'text').replace(/^setof /, '');
  const type = SERIAL[raw] ?? raw;
  const policy = ident(`${table.name}_tenant_isolation`.slice(0, 63));
  const sql = [
    `ALTER TABLE ${written} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${written} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY ${policy} ON ${written}`,
    // The configured current-tenant expression, when there is one, is what the project's queries and policies use.
    `  USING (${ident(column)} = ${tenantExpression(ctx.config.tenant.currentTenant[0]) ?? `current_setting('app.tenant_id')::${type}`});`,
  ].join('\n');
  const tokens = tokensCovering(ctx.parsed, stmt.start, stmt.end);
  const isComment = (i: number) => tokens[i].name === 'SQL_COMMENT' || tokens[i].name === 'C_COMMENT';
  let i = tokenIndexAt(tokens, stmt.end);
  while (tokens[i] && isComment(i)) i++;
  const semi = tokens[i]?.text === ';' ? tokens[i] : undefined;
  // Without a semicolon, the new statements go right after the last token of the CREATE TABLE (before any trailing comment).
  let last = tokenIndexAt(tokens, stmt.end) - 1;
  while (last > 0 && isComment(last)) last--;
  const at = semi ? semi.end : Math.max(stmt.start, tokens[last]?.end ?? stmt.end);
  return {
    title: `Enable and force row level security on ${written} with a tenant policy on ${column}`,
    edits: [{ start: at, end: at, newText: `${semi ? '' : ';'}\n\n${sql}${/^[^\S\n]*(\n|$)/.test(ctx.parsed.text.slice(at)) ? '' : '\n'}` }],
  };
}
