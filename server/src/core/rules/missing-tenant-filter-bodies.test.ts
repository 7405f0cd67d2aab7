// missing-tenant-filter on the queries inside function and procedure bodies (SQL and PL/pgSQL), placed in the body.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectClean, expectFix, expectFlags, ready, runRule, type RuleTestOptions } from '../../testing/rule-test';
import rule from './missing-tenant-filter';

before(ready);

const schema = `
create table orders (id bigint primary key, tenant_id bigint not null, total numeric);
create table jobs (id bigint primary key, tenant_id bigint not null, done boolean);
`;
const opts: RuleTestOptions = { schema };
const targets = (sql: string, o: RuleTestOptions = opts) => runRule(rule, sql, o).map((f) => sql.slice(f.start, f.end));
const pl = (body: string, params = 'p_tenant bigint, p_id bigint') =>
  `create function app_get(${params}) returns bigint language plpgsql as $$\nbegin\n${body}\nend $$;`;

describe('missing-tenant-filter in routine bodies', () => {
  test('a SQL function reading a tenant table by id only is flagged, at the table inside the body', () => {
    const sql = 'create function order_total(p_id bigint) returns numeric language sql as $$ select total from orders where id = p_id $$;';
    const [f] = expectFlags(rule, sql, opts);
    assert.equal(sql.slice(f.start, f.end), 'orders');
    assert.ok(f.start > sql.indexOf('$$'));
  });

  test("a parameter is the caller's value: a body query pinned by it is pinned (by name, $n, or function.param)", () => {
    expectClean(
      rule,
      'create function order_total(p_tenant bigint, p_id bigint) returns numeric language sql as $$ select total from orders where tenant_id = p_tenant and id = p_id $$;',
      opts,
    );
    expectClean(
      rule,
      'create function order_total(bigint, bigint) returns numeric language sql as $$ select total from orders where tenant_id = $1 and id = $2 $$;',
      opts,
    );
    expectClean(
      rule,
      'create function order_total(t bigint) returns numeric language sql as $$ select sum(total) from orders where tenant_id = order_total.t $$;',
      opts,
    );
  });

  test('PL/pgSQL: plain statements, RETURN QUERY, PERFORM and variables', () => {
    assert.deepEqual(targets(pl('delete from jobs where id = p_id;\nreturn 1;')), ['jobs']);
    expectClean(rule, pl('delete from jobs where tenant_id = p_tenant and id = p_id;\nreturn 1;'), opts);
    assert.deepEqual(targets(pl('perform count(*) from orders;\nreturn 1;')), ['orders']);
    // A variable holds one value per call.
    expectClean(
      rule,
      'create function f(p_tenant bigint) returns void language plpgsql as $$ declare v_t bigint := p_tenant; begin update jobs set done = true where tenant_id = v_t; end $$;',
      opts,
    );
    expectFlags(
      rule,
      'create function f(p_tenant bigint) returns void language plpgsql as $$ declare v_t bigint := p_tenant; begin update jobs set done = true where id = v_t; end $$;',
      opts,
    );
    const rq =
      'create function list_orders(p_id bigint) returns setof orders language plpgsql as $$ begin return query select * from orders where id = p_id; end $$;';
    assert.deepEqual(targets(rq), ['orders']);
  });

  test('EXECUTE of a literal or format() string is followed; %I (an unknown table) is not', () => {
    assert.deepEqual(targets(pl("execute 'delete from jobs where done';\nreturn 1;")), ['jobs']);
    assert.deepEqual(targets(pl("execute format('delete from jobs where id = %L', p_id);\nreturn 1;")), ['jobs']);
    expectClean(rule, pl("execute format('delete from jobs where tenant_id = %L', p_tenant);\nreturn 1;"), opts);
    expectClean(rule, pl("execute format('delete from %I where id = %L', 'jobs', p_id);\nreturn 1;"), opts);
  });

  test('function bodies are runtime code: checked in migrations too; DO blocks follow the file', () => {
    const m = { ...opts, file: 'migration' as const };
    expectFlags(rule, 'create function f(p_id bigint) returns numeric language sql as $$ select total from orders where id = p_id $$;', m);
    expectClean(rule, 'do $$ begin update jobs set done = true; end $$;', m);
    expectFlags(rule, 'do $$ begin update jobs set done = true; end $$;', opts);
  });

  test('a column of the queried table wins over a parameter of the same name (SQL functions resolve columns first)', () => {
    expectFlags(
      rule,
      'create function f(tenant_id bigint) returns bigint language sql as $$ select count(*) from orders where tenant_id = tenant_id $$;',
      opts,
    );
  });
});

describe('missing-tenant-filter through views', () => {
  const v = `${schema}
create view open_jobs as select id, tenant_id, done from jobs where not done;
create view job_ids as select id from jobs;
create view my_jobs as select * from jobs where tenant_id = current_setting('app.tenant')::bigint;
create view open_jobs_2 as select * from open_jobs;`;
  const o = { schema: v };

  test('a view over a tenant table needs the tenant condition on the column it exposes', () => {
    const sql = 'select * from open_jobs where id = $1';
    const [f] = expectFlags(rule, sql, o);
    assert.equal(sql.slice(f.start, f.end), 'open_jobs');
    expectClean(rule, 'select * from open_jobs where tenant_id = $1', o);
    expectClean(rule, 'select * from open_jobs j where j.tenant_id = $1 and j.id = $2', o);
    // Views over views.
    expectFlags(rule, 'select * from open_jobs_2 where id = $1', o);
    expectClean(rule, 'select * from open_jobs_2 where tenant_id = $1', o);
  });

  test("a view's own filter counts; a view that hides the tenant column cannot be pinned from outside", () => {
    expectClean(rule, 'select * from my_jobs where id = $1', o);
    const [f] = expectFlags(rule, 'select * from job_ids where id = $1', o);
    assert.match(f.message, /reads view job_ids, which reads tenant table public\.jobs without pinning tenant_id and does not expose tenant_id/);
  });

  test('the view definition itself is not a query', () => {
    expectClean(rule, 'create view all_jobs as select * from jobs;', opts);
  });
});

describe('missing-tenant-filter quick fix', () => {
  const o = (currentTenant?: string[]) => ({ schema, config: currentTenant ? { tenant: { currentTenant } } : undefined });

  test('adds the tenant term with the next free parameter', () => {
    assert.equal(
      expectFix(rule, 'select o.total from orders o where o.id = $1 and o.total > $2 order by o.id limit 10;', opts),
      'select o.total from orders o where o.id = $1 and o.total > $2 AND o.tenant_id = $3 order by o.id limit 10;',
    );
    assert.equal(expectFix(rule, 'delete from jobs where done', opts), 'delete from jobs where done AND jobs.tenant_id = $1');
    assert.equal(expectFix(rule, 'select * from orders', opts), 'select * from orders WHERE orders.tenant_id = $1');
    assert.equal(expectFix(rule, 'update jobs set done = true returning id', opts), 'update jobs set done = true WHERE jobs.tenant_id = $1 returning id');
  });

  test('wraps an OR, and uses the configured current-tenant expression', () => {
    assert.equal(
      expectFix(rule, 'select * from orders where id = $1 or total > 0', opts),
      'select * from orders where (id = $1 or total > 0) AND orders.tenant_id = $2',
    );
    assert.equal(
      expectFix(rule, 'select * from orders where id = 1', o(["current_setting('app.tenant_id')::bigint"])),
      "select * from orders where id = 1 AND orders.tenant_id = current_setting('app.tenant_id')::bigint",
    );
  });

  test('no fix where it would be ambiguous or not the whole answer', () => {
    const fixOf = (sql: string, opt: RuleTestOptions = opts) => runRule(rule, sql, opt).map((f) => f.fix);
    // Two unpinned tenant tables at one level; a condition under OR; a subquery level; an invalid configured expression.
    assert.deepEqual(fixOf('select * from orders o join jobs j on j.id = o.id'), [undefined, undefined]);
    assert.deepEqual(fixOf('select * from orders where tenant_id = $1 or id = $2'), [undefined]);
    assert.deepEqual(fixOf('select * from jobs where tenant_id = $1 and id in (select id from orders)'), [undefined]);
    assert.deepEqual(fixOf('select * from orders', o(['current_setting(']) as RuleTestOptions), [undefined]);
  });
});
