import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render, runRule, testWorkspace } from '../../testing/rule-test';
import rule from './tenant-table-without-rls';

before(ready);

describe('tenant-table-without-rls', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table name of the CREATE TABLE', () => {
    const sql = 'create table public.invoices (id bigint, tenant_id uuid not null);';
    assert.equal(
      render(sql, expectFlags(rule, sql)),
      `create table public.invoices (id bigint, tenant_id uuid not null);
             ^^^^^^^^^^^^^^^ tenant-table-without-rls: Tenant table public.invoices (tenant column tenant_id) never enables row level security in this workspace: only the queries themselves keep one tenant from reading another's rows.`,
    );
  });

  test('the unsafe fix enables and forces RLS with a tenant policy, typed like the column', () => {
    const fixed = expectFix(rule, 'create table invoices (id bigint, tenant_id uuid not null);\nselect 1;');
    assert.equal(
      fixed,
      `create table invoices (id bigint, tenant_id uuid not null);

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant_isolation ON invoices
  USING (tenant_id = current_setting('app.tenant_id')::uuid);
select 1;`,
    );
  });

  test('the fix quotes names, casts serial columns to their integer type, and adds a missing semicolon', () => {
    const fixed = expectFix(rule, 'create table app."Orders" (tenant_id bigserial) -- trailing', { schema: 'create schema app;' });
    assert.match(fixed, /^create table app\."Orders" \(tenant_id bigserial\);\n\nALTER TABLE app\."Orders" ENABLE/);
    assert.match(fixed, /CREATE POLICY "Orders_tenant_isolation" ON app\."Orders"\n {2}USING \(tenant_id = current_setting\('app\.tenant_id'\)::bigint\);/);
    assert.equal(rule.fix, 'unsafe');
  });

  test('RLS enabled anywhere in the workspace (a later migration) silences it', () => {
    expectClean(rule, 'create table invoices (id bigint, tenant_id int);', {
      file: 'migration',
      files: {
        'migrations/2024-02-01-000000_rls/up.sql': 'alter table invoices enable row level security;',
        'migrations/2024-02-01-000000_rls/down.sql': 'alter table invoices disable row level security;',
      },
    });
    expectFlags(
      rule,
      'create table invoices (id bigint, tenant_id int);\nalter table invoices enable row level security;\nalter table invoices disable row level security;',
    );
  });

  test('reports only in the file that defines the table', () => {
    // The schema file creates the table; the file under test only queries it.
    expectClean(rule, 'select * from invoices where tenant_id = 1;', { schema: 'create table invoices (id bigint, tenant_id int);' });
    // Re-created later by a schema file (applied after the migrations): that file reports it, not this one.
    const later = { 'schema.sql': 'drop table if exists invoices; create table invoices (id bigint, tenant_id int);' };
    expectClean(rule, 'create table invoices (id bigint, tenant_id int);', { file: 'migration', files: later });
  });

  test('not a tenant table, partitions, temporary tables and down migrations are not reported', () => {
    expectClean(rule, 'create table currencies (code text primary key);');
    expectClean(
      rule,
      "create table events (tenant_id int, at date) partition by range (at);\nalter table events enable row level security;\ncreate table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');",
    );
    expectClean(rule, 'create temporary table scratch (tenant_id int);');
    // A dbmate down section that re-creates the table shares the file with the up section, but is not where the table is defined.
    const dbmate = '-- migrate:up\ncreate table invoices (tenant_id int);\n-- migrate:down\ndrop table invoices;\ncreate table invoices (tenant_id int);\n';
    const path = 'db/migrations/20240101000000_invoices.sql';
    const { workspace } = testWorkspace('select 1;', { files: { [path]: dbmate } }, [rule]);
    const found = workspace.analyze(path).filter((f) => f.rule === rule.id);
    assert.deepEqual(
      found.map((f) => f.start),
      [dbmate.indexOf('invoices')],
    );
    assert.equal(runRule(rule, 'create table invoices (tenant_id int);', { file: 'migration' }).length, 1);
  });

  test('the policy template uses the configured current-tenant expression', () => {
    const fixed = expectFix(rule, 'create table docs (id int, tenant_id uuid);', { config: { tenant: { currentTenant: ['(select auth.uid())'] } } });
    assert.match(fixed, /CREATE POLICY docs_tenant_isolation ON docs\n {2}USING \(tenant_id = \(select auth\.uid\(\)\)\);/);
    // One that does not parse is not pasted into the file.
    assert.match(
      expectFix(rule, 'create table docs (id int, tenant_id uuid);', { config: { tenant: { currentTenant: ['auth.uid('] } } }),
      /USING \(tenant_id = current_setting\('app\.tenant_id'\)::uuid\);/,
    );
  });

  test('a configured tenant column and SET search_path are honoured', () => {
    expectFlags(rule, 'set search_path = app; create table docs (org_id int);', { config: { tenant: { columns: ['org_id'] } }, schema: 'create schema app;' });
    expectClean(rule, 'create table docs (tenant_id int);', { config: { tenant: { columns: ['org_id'] } } });
  });

  test('a suppression comment silences it', () => {
    expectClean(rule, '-- pgdba-ignore tenant-table-without-rls -- isolated in the application layer\ncreate table invoices (tenant_id int);');
  });
});
