// missing-tenant-filter through the subqueries of a view's query, and RLS policies judged against tenant.currentTenant.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectClean, expectFlags, ready, type RuleTestOptions } from '../../testing/rule-test';
import rule from './missing-tenant-filter';

before(ready);

const tables = `
create table orders (id bigint primary key, tenant_id bigint not null, customer_id bigint, total numeric);
create table items (id bigint primary key, order_id bigint, tenant_id bigint not null, sku text);
create table skus (sku text primary key, price numeric);
`;
const withViews = (views: string): RuleTestOptions => ({ schema: `${tables}\n${views}` });

describe('missing-tenant-filter: subqueries inside views', () => {
  test('a view that reads a tenant table in a sublink, CTE or FROM subquery hides it', () => {
    const views = [
      'create view sold_skus as select s.* from skus s where s.sku in (select sku from items);',
      'create view priced as select s.sku, (select max(total) from orders) as top from skus s;',
      'create view exist_skus as select s.* from skus s where exists (select 1 from items i where i.sku = s.sku);',
      'create view cte_skus as with x as (select sku from items) select s.* from skus s join x using (sku);',
      'create view from_skus as select s.* from skus s, (select sku from items) x where x.sku = s.sku;',
    ].join('\n');
    for (const v of ['sold_skus', 'priced', 'exist_skus', 'cte_skus', 'from_skus']) {
      const [f] = expectFlags(rule, `select * from ${v}`, withViews(views));
      assert.match(f.message, new RegExp(`reads view ${v}, which reads tenant table public\\.(items|orders) without pinning tenant_id`), v);
    }
  });

  test('a subquery pinned inside the view is clean', () => {
    const o = withViews(
      "create view mine as select s.* from skus s where s.sku in (select sku from items where tenant_id = current_setting('app.tenant_id')::bigint);",
    );
    expectClean(rule, 'select * from mine', o);
  });

  test('pinning the exposed tenant column must pin every other tenant table of the view', () => {
    const views = [
      'create view loose as select o.* from orders o where exists (select 1 from items i where i.order_id = o.id);',
      'create view tight as select o.* from orders o where exists (select 1 from items i where i.order_id = o.id and i.tenant_id = o.tenant_id);',
      'create view joined as select o.id, o.tenant_id, i.sku from orders o join items i on i.order_id = o.id and i.tenant_id = o.tenant_id;',
    ].join('\n');
    const o = withViews(views);
    const [f] = expectFlags(rule, 'select * from loose where tenant_id = $1', o);
    assert.match(f.message, /reads view loose, which reads tenant table public\.items without pinning tenant_id/);
    expectClean(rule, 'select * from tight where tenant_id = $1', o);
    expectClean(rule, 'select * from joined where tenant_id = $1', o);
    // Unpinned by the reader, the exposed table itself is reported as before.
    expectFlags(rule, 'select * from tight', o);
  });
});

describe('missing-tenant-filter: RLS policies and tenant.currentTenant', () => {
  const rls = (policy: string) => `create table notes (id bigint primary key, tenant_id uuid not null, is_public boolean);
alter table notes enable row level security;
alter table notes force row level security;
${policy}`;
  const query = 'select * from notes where id = $1';
  const setting = (policy: string): RuleTestOptions => ({
    schema: rls(policy),
    config: { tenant: { currentTenant: ["current_setting('app.tenant_id')::uuid"] } },
  });
  const uid = (policy: string): RuleTestOptions => ({ schema: rls(policy), config: { tenant: { currentTenant: ['auth.uid()'] } } });

  test('a forced policy comparing the tenant column with the current tenant exempts the table, however it is spelled', () => {
    for (const using of [
      "tenant_id = current_setting('app.tenant_id', true)::uuid",
      "tenant_id = CAST(current_setting('app.tenant_id') AS uuid)",
      "((tenant_id = (current_setting('app.tenant_id'::text))::uuid))",
      "notes.tenant_id = pg_catalog.current_setting('app.tenant_id')::uuid and not is_public",
      "current_setting('app.tenant_id')::uuid = tenant_id",
    ]) {
      expectClean(rule, query, setting(`create policy p on notes using (${using});`));
    }
    for (const using of [
      'tenant_id = (select auth.uid())',
      '(( SELECT auth.uid() AS uid) = tenant_id)',
      'tenant_id = "auth"."uid"()',
      'tenant_id in (select tenant_id from members where user_id = (select auth.uid()))',
    ]) {
      expectClean(rule, query, uid(`create policy p on notes using (${using});`));
    }
  });

  test('a policy that does not compare the tenant column with the current tenant does not', () => {
    for (const using of [
      'tenant_id is not null',
      "tenant_id = current_setting('app.user_id')::uuid",
      "is_public or tenant_id = current_setting('app.tenant_id')::uuid",
      'tenant_id = tenant_id',
    ]) {
      expectFlags(rule, query, setting(`create policy p on notes using (${using});`));
    }
    expectFlags(rule, query, uid('create policy p on notes using (tenant_id = auth.jwt_tenant());'));
  });

  test('ALTER POLICY … USING is what counts', () => {
    const create =
      "create policy p on notes using (tenant_id is not null);\nalter policy p on notes using (tenant_id = current_setting('app.tenant_id')::uuid);";
    expectClean(rule, query, setting(create));
    expectFlags(
      rule,
      query,
      setting("create policy p on notes using (tenant_id = current_setting('app.tenant_id')::uuid);\nalter policy p on notes using (tenant_id is not null);"),
    );
  });

  test('without tenant.currentTenant a forced policy on the tenant column exempts the table', () => {
    expectClean(rule, query, { schema: rls('create policy p on notes using (tenant_id is not null);') });
  });
});
