import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render, runRule, type RuleTestOptions } from '../../testing/rule-test';
import rule from './missing-tenant-filter';

before(ready);

const schema = `
create table orders (id bigint primary key, tenant_id bigint not null, customer_id bigint, total numeric);
create table items (id bigint primary key, order_id bigint, tenant_id bigint not null, sku text);
create table customers (id bigint primary key, tenant_id bigint not null, name text);
create table tenants (id bigint primary key, slug text unique);
create table skus (sku text primary key, price numeric);
create schema billing;
create table billing."Invoices" (id bigint primary key, tenant_id bigint not null);
`;
const opts: RuleTestOptions = { schema };
const flags = (sql: string, o: RuleTestOptions = opts) => expectFlags(rule, sql, o);
const clean = (sql: string, o: RuleTestOptions = opts) => expectClean(rule, sql, o);
/** The text each finding points at. */
const targets = (sql: string, o: RuleTestOptions = opts) => runRule(rule, sql, o).map((f) => sql.slice(f.start, f.end));

describe('missing-tenant-filter', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('tenant_id IN (SELECT …) pins only when the subquery yields one tenant', () => {
    const o = {
      schema: `${schema}\ncreate table plans (tenant_id bigint not null, plan text);\ncreate table tenant_users (user_id bigint primary key, tenant_id bigint);`,
    };
    // A unique key equal to one value, a parameter, a pinned tenant table: one tenant.
    clean('select * from orders where tenant_id in (select id from tenants where slug = $1)', o);
    clean('select * from orders where tenant_id in (select $1::bigint)', o);
    clean('select * from orders where tenant_id in (select tenant_id from customers where tenant_id = $1 and id = $2)', o);
    // One membership row by its primary key: the outer query is pinned (the membership read itself is reported).
    assert.deepEqual(targets('select * from orders where tenant_id in (select tenant_id from tenant_users where user_id = $1)', o), ['tenant_users']);
    // Every tenant on a plan; every tenant.
    assert.deepEqual(targets("select * from orders where tenant_id in (select tenant_id from plans where plan = 'pro')", o), ['orders', 'plans']);
    assert.deepEqual(targets('select * from orders where tenant_id in (select id from tenants)', o), ['orders']);
    assert.deepEqual(targets("select * from orders where tenant_id = any (select id from tenants where slug like 'a%')", o), ['orders']);
  });

  test('points at the unpinned table reference and says why', () => {
    const sql = 'select * from orders where total > 100;';
    assert.equal(
      render(sql, flags(sql)),
      `select * from orders where total > 100;
              ^^^^^^ missing-tenant-filter: Query reads tenant table orders without pinning tenant_id to one tenant: no \`=\` or \`IN\` condition on orders.tenant_id at this query level, so it spans every tenant's rows.`,
    );
    const [f] = flags(sql);
    assert.equal(f.help, "Add `AND orders.tenant_id = $1` (the current tenant) as a top-level condition of this query level's WHERE clause.");
  });

  test('=, IN, = ANY, casts, current_setting and IS NOT DISTINCT FROM pin a table', () => {
    clean('select * from orders where tenant_id = $1');
    clean('select * from orders where $1 = tenant_id and total > 0');
    clean('select * from orders where tenant_id in (1, 2)');
    clean('select * from orders where tenant_id = any($1::bigint[])');
    clean("select * from orders where tenant_id = current_setting('app.tenant_id')::bigint");
    clean('select * from orders where tenant_id is not distinct from $1');
    clean('select * from orders where (tenant_id, id) = ($1, $2)');
    clean('select * from orders where tenant_id in (select id from tenants where slug = $1)');
  });

  test('sqlc named parameters are values', () => {
    clean('select * from orders where tenant_id = @tenant_id');
    clean('select * from orders where tenant_id = sqlc.arg(tenant_id)');
    clean('select * from orders where tenant_id = any(sqlc.slice(tenant_ids))');
    flags('select * from orders where tenant_id = abs(tenant_id)');
  });

  test('OR and NOT escape the pin, and the message says so', () => {
    const or = flags('select * from orders where tenant_id = $1 or true');
    assert.match(or[0].message, /is under an OR, so rows of other tenants still match/);
    assert.match(or[0].help ?? '', /outside the OR/);
    const not = flags('select * from orders where not (tenant_id <> $1)');
    assert.match(not[0].message, /is under NOT/);
    flags('select * from orders where (tenant_id = $1 and id = 1) or (tenant_id = $1 and id = 2)');
  });

  test('other operators do not pin', () => {
    flags('select * from orders where tenant_id <> $1');
    flags('select * from orders where tenant_id > 0');
    flags('select * from orders where tenant_id is null');
    flags('select * from orders where tenant_id = tenant_id');
    flags('select * from orders where tenant_id = customer_id');
  });

  test('each side of a join: a join on another column does not pin, the tenant key does (transitively)', () => {
    const sql = 'select * from orders o join items i on i.order_id = o.id where o.tenant_id = $1';
    assert.deepEqual(targets(sql), ['items']);
    const [f] = flags(sql);
    assert.match(f.message, /joined to o on i\.order_id = o\.id, which is not the tenant key/);
    assert.equal(f.help, 'Join on the tenant key too: add `AND i.tenant_id = o.tenant_id` to the join condition.');
    // A table without the tenant column has none to join on: the help pins the tenant table itself instead.
    const [g] = flags('select i.* from items i join products p on p.id = i.product_id where p.id = $1', {
      schema: `${schema}\ncreate table products (id bigint primary key, name text);`,
    });
    assert.equal(g.help, 'p has no tenant_id to join on: pin i to the current tenant instead, with `AND i.tenant_id = $1` in the WHERE clause.');
    clean('select * from orders o join items i on i.order_id = o.id and i.tenant_id = o.tenant_id where o.tenant_id = $1');
    clean(
      'select * from orders o join items i on i.order_id = o.id join customers c on c.tenant_id = i.tenant_id where o.tenant_id = $1 and i.tenant_id = o.tenant_id',
    );
    clean('select * from orders o, items i where i.tenant_id = o.tenant_id and o.tenant_id = $1');
    assert.deepEqual(targets('select * from orders o join items i on i.tenant_id = o.tenant_id'), ['orders', 'items']);
  });

  test('JOIN … USING (tenant_id) carries the pin; USING another column does not', () => {
    clean('select * from orders join items using (tenant_id) where tenant_id = $1');
    clean('select * from orders o join items i using (tenant_id) where o.tenant_id = $1');
    assert.deepEqual(targets('select * from orders o join items i using (id) where o.tenant_id = $1'), ['items']);
  });

  test('LEFT JOIN: the ON filters the nullable side only', () => {
    clean('select * from orders o left join items i on i.order_id = o.id and i.tenant_id = o.tenant_id where o.tenant_id = $1');
    clean('select * from orders o left join items i on i.tenant_id = $1 where o.tenant_id = $1');
    const sql = 'select * from orders o left join items i on o.tenant_id = $1 and i.tenant_id = o.tenant_id';
    assert.deepEqual(targets(sql), ['orders']);
    assert.match(flags(sql)[0].message, /in the ON of a LEFT JOIN, which keeps every row of orders/);
    // A strict WHERE on the nullable side turns a RIGHT JOIN inner, so its ON filters the other side again.
    clean('select * from orders o right join items i on i.tenant_id = o.tenant_id where o.tenant_id = $1');
  });

  test('every level: CTEs, FROM subqueries, sublinks, UNION branches', () => {
    assert.deepEqual(targets('with x as (select * from items) select * from orders where tenant_id = $1'), ['items']);
    assert.deepEqual(targets('select * from (select * from orders) s where s.tenant_id = $1'), ['orders']);
    assert.deepEqual(targets('select * from orders where tenant_id = $1 and id in (select order_id from items)'), ['items']);
    assert.deepEqual(targets('select (select count(*) from items) from orders where tenant_id = $1'), ['items']);
    assert.deepEqual(targets('select id from orders where tenant_id = $1 union select id from orders'), ['orders']);
    assert.equal(targets('select id from orders where tenant_id = $1 union select id from orders').length, 1);
  });

  test('a correlated subquery may pin through a pinned outer table', () => {
    clean('select * from orders o where o.tenant_id = $1 and exists (select 1 from items i where i.order_id = o.id and i.tenant_id = o.tenant_id)');
    clean('select * from orders o, lateral (select * from items i where i.tenant_id = o.tenant_id) x where o.tenant_id = $1');
    flags('select * from orders o where o.tenant_id = $1 and exists (select 1 from items i where i.order_id = o.id)');
  });

  test('a pinned CTE or subquery passes its tenant column on', () => {
    clean('with mine as (select * from orders where tenant_id = $1) select * from mine m join items i on i.tenant_id = m.tenant_id and i.order_id = m.id');
    clean('select * from items i join (select id, tenant_id from orders where tenant_id = $1) o on o.tenant_id = i.tenant_id');
    clean('select * from items i join (select $1::bigint as tid) p on i.tenant_id = p.tid');
    flags('with every as (select * from orders where total > 0) select * from every e join items i on i.tenant_id = e.tenant_id');
  });

  test('a tenants row found by a unique key pins the tenant column joined to it', () => {
    clean('select o.* from orders o join tenants t on t.id = o.tenant_id where t.slug = $1');
    flags('select o.* from orders o join tenants t on t.id = o.tenant_id where t.slug like $1');
  });

  test('UPDATE, DELETE, MERGE, INSERT … SELECT', () => {
    assert.match(flags('update orders set total = 0 where id = $1')[0].message, /^Query updates tenant table orders/);
    assert.match(flags('delete from orders where id = $1')[0].message, /^Query deletes from tenant table orders/);
    clean('update orders set total = 0 where id = $1 and tenant_id = $2');
    assert.deepEqual(targets('update orders o set total = 0 from items i where i.order_id = o.id and o.tenant_id = $1'), ['items']);
    clean('delete from orders o using items i where i.order_id = o.id and i.tenant_id = $1 and o.tenant_id = i.tenant_id');
    assert.deepEqual(targets('insert into skus (sku) select sku from items'), ['items']);
    clean('insert into items (id, order_id, tenant_id) values (1, 2, $1)');
    clean('merge into orders o using items i on o.id = i.order_id and o.tenant_id = $1 and i.tenant_id = o.tenant_id when matched then update set total = 1');
    assert.match(
      flags(
        'merge into orders o using items i on o.id = i.order_id and o.tenant_id = $1 and i.tenant_id = o.tenant_id when not matched then insert (id, tenant_id) values (i.id, i.tenant_id)',
      )[0].message,
      /items.*RIGHT JOIN/,
    );
    assert.deepEqual(targets('with d as (delete from orders returning *) select * from d'), ['orders']);
  });

  test('aliases, quoted identifiers and schema-qualified names', () => {
    assert.deepEqual(targets('select * from billing."Invoices" as "I" where "I".id = 1'), ['billing."Invoices"']);
    clean('select * from billing."Invoices" as "I" where "I".tenant_id = $1');
    clean('select * from public.orders where public.orders.tenant_id = $1');
    flags('select * from orders o where orders.tenant_id = $1 and o.id = 1');
  });

  test('non-tenant tables, unknown tables and views are not checked', () => {
    clean('select * from skus');
    clean('select * from not_in_the_catalog');
    clean('create view all_orders as select * from orders');
    clean('explain select * from orders');
    flags('copy (select * from orders) to stdout');
  });

  test('a configured tenant column replaces tenant_id', () => {
    const o = { schema: 'create table docs (id int, org_id int, tenant_id int);', config: { tenant: { columns: ['org_id'] } } };
    assert.match(flags('select * from docs where tenant_id = 1', o)[0].message, /org_id/);
    clean('select * from docs where org_id = 1', o);
  });

  test('RLS enabled and forced with a policy on the tenant column exempts the table', () => {
    const rls = `${schema}
alter table orders enable row level security;
alter table orders force row level security;
create policy tenant_isolation on orders using (tenant_id = current_setting('app.tenant_id')::bigint);`;
    clean('select * from orders', { schema: rls });
    // A pinned-by-RLS table pins what is joined to it on the tenant key.
    clean('select * from orders o join items i on i.tenant_id = o.tenant_id', { schema: rls });
    flags('select * from orders', { schema: `${schema}\nalter table orders enable row level security;\ncreate policy p on orders using (tenant_id = 1);` });
    flags('select * from orders', {
      schema: `${schema}\nalter table orders enable row level security;\nalter table orders force row level security;\ncreate policy p on orders using (customer_id = 1);`,
    });
  });

  test('migration files are exempt unless tenant.checkMigrations is true', () => {
    clean('update orders set total = 0;', { schema, file: 'migration' });
    flags('update orders set total = 0;', { schema, file: 'migration', config: { tenant: { checkMigrations: true } } });
  });

  test('a suppression comment silences it', () => {
    clean('-- pgdba-ignore missing-tenant-filter -- admin report across tenants\nselect * from orders;');
  });
});
