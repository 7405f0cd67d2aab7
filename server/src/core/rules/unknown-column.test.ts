import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render, type RuleTestOptions } from '../../testing/rule-test';
import rule from './unknown-column';

before(ready);

const schema = `
create table orders (id bigint primary key, tenant_id bigint not null, total numeric, note text);
create table customers (id bigint primary key, name text);
alter table orders rename column note to memo;
create view big_orders as select id, total from orders where total > 100;
create table parent (id int);
create table child (extra int) inherits (parent);
`;
const opts: RuleTestOptions = { schema };
const flags = (sql: string) => expectFlags(rule, sql, opts);
const clean = (sql: string) => expectClean(rule, sql, opts);

describe('unknown-column', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('a qualified column the relation lacks, with a suggestion', () => {
    const sql = 'select o.totl from orders o where o.tenant_id = $1';
    assert.equal(
      render(sql, flags(sql)),
      `select o.totl from orders o where o.tenant_id = $1
         ^^^^ unknown-column: Column totl does not exist in public.orders; did you mean total?`,
    );
  });

  test('a renamed column, unqualified, in WHERE, INSERT lists and UPDATE SET', () => {
    flags('select note from orders where id = 1');
    flags('select id from orders where notes = $1');
    flags('insert into orders (id, tenant_id, notes) values (1, 1, $1)');
    flags('update orders set notes = $1 where id = 1');
  });

  test('known columns, aliases, system columns, whole-row references and excluded', () => {
    clean('select o.id, c.name from orders o join customers c on c.id = o.id where o.tenant_id = $1');
    clean('select total as t from orders order by t');
    clean('select ctid, xmin, memo from orders');
    clean('select orders from orders');
    clean('insert into orders (id, tenant_id) values (1, 1) on conflict (id) do update set total = excluded.total');
  });

  test('silent where the columns in scope are not all known', () => {
    clean('select whatever from orders, lateral (select 1 as whatever) s');
    clean('select x from orders, unnest(array[1]) as x');
    clean('with c as (select 1 as k) select k from orders, c');
    clean('select anything from big_orders');
    clean('select extra, id from child');
    clean('select nope from not_a_table');
  });

  test('the fix renames to the suggestion', () => {
    assert.equal(expectFix(rule, 'select o.totl from orders o', opts), 'select o.total from orders o');
  });
});

describe('unknown-column in function bodies', () => {
  const fn = (body: string) =>
    `create function f(p_tenant bigint) returns setof orders language plpgsql as $$\ndeclare r record; v_total numeric;\nbegin\n${body}\nend $$;`;

  test('a body query naming a column its table lacks is reported inside the body', () => {
    const sql = fn('return query select * from orders where tenant_id = p_tenant and notes is null;');
    const [f] = expectFlags(rule, sql, opts);
    assert.equal(sql.slice(f.start, f.end), 'notes');
  });

  test('parameters, variables and record fields are not columns', () => {
    clean(
      fn(
        'select total into v_total from orders where tenant_id = p_tenant limit 1;\nfor r in select id from orders where tenant_id = p_tenant loop\n  perform r.id;\nend loop;\nreturn query select * from orders where total > v_total and tenant_id = f.p_tenant;',
      ),
    );
  });

  test("also in a migration, for the function's current definition only", () => {
    expectFlags(rule, fn('return query select * from orders where notes is null;'), { ...opts, file: 'migration' });
    expectClean(
      rule,
      `${fn('return query select * from orders where notes is null;')}\ncreate or replace function f(p_tenant bigint) returns setof orders language sql as $$ select * from orders $$;`,
      { ...opts, file: 'migration' },
    );
  });
});
