import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render, runRule, type RuleTestOptions } from '../../testing/rule-test';
import rule from './unbounded-select';

before(ready);

const schema = `
create table orders (id bigint primary key, customer_id bigint, total numeric);
create table customers (id bigint primary key, name text);
create view big_orders as select * from orders where total > 1000;
create table events (id bigint, at timestamptz not null, kind text) partition by range (at);
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
create table readings (sensor int, day date, v numeric) partition by range (day, sensor);
create table shards (id bigint, n int) partition by range (n);
create table logs (id bigint, at timestamp(3)) partition by range (date_trunc('day', at));
`;
const opts: RuleTestOptions = { schema };
const flags = (sql: string, o: RuleTestOptions = opts) => expectFlags(rule, sql, o);
const clean = (sql: string, o: RuleTestOptions = opts) => expectClean(rule, sql, o);
const targets = (sql: string) => runRule(rule, sql, opts).map((f) => sql.slice(f.start, f.end));

describe('unbounded-select', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table a SELECT returns whole', () => {
    const sql = 'select id, total from public.orders o;';
    assert.equal(
      render(sql, flags(sql)),
      `select id, total from public.orders o;
                      ^^^^^^^^^^^^^ unbounded-select: SELECT returns every row of public.orders: it has no WHERE and no LIMIT/FETCH, so the result grows with the table and the query is a full scan.`,
    );
  });

  test('WHERE, LIMIT and FETCH bound it; LIMIT ALL and OFFSET do not', () => {
    clean('select * from orders where customer_id = $1');
    clean('select * from orders order by id limit 50');
    clean('select * from orders fetch first 10 rows only');
    flags('select * from orders limit all');
    flags('select * from orders offset 100');
  });

  test('a WHERE that is always true does not bound it', () => {
    assert.match(expectFlags(rule, 'select * from orders where true;', { schema })[0].message, /WHERE is always true/);
    expectFlags(rule, 'select * from orders where 1 = 1;', { schema });
    expectFlags(rule, "select * from orders where customer_id = $1 or 'a' = 'a';", { schema });
    expectClean(rule, 'select * from orders where customer_id = $1 and 1 = 1;', { schema });
  });

  test('single-row aggregates are bounded; GROUP BY, DISTINCT and window functions are not', () => {
    clean('select count(*) from orders');
    clean('select max(total), min(total) from orders');
    clean('select count(*) filter (where total > 0) from orders');
    clean('select 1 from orders having count(*) > 10');
    assert.match(flags('select customer_id, count(*) from orders group by customer_id')[0].message, /groups every row of orders/);
    flags('select distinct customer_id from orders');
    flags('select row_number() over (), * from orders');
    flags('select sum(total) over () from orders');
  });

  test('only rows a client receives: no sublinks, views, cursors, COPY, CREATE TABLE AS, EXPLAIN', () => {
    clean('select exists (select 1 from orders)');
    clean('select (select max(id) from orders) as top');
    clean('create view all_orders as select * from orders');
    clean('create materialized view mv as select * from orders');
    clean('declare c cursor for select * from orders');
    clean('copy (select * from orders) to stdout');
    clean('create table orders_copy as select * from orders');
    clean('select * into orders_copy2 from orders');
    clean('explain select * from orders');
    flags('prepare all_orders as select * from orders');
  });

  test('INSERT … SELECT that copies a whole table is unbounded; a bounded copy, VALUES and migration backfills are not', () => {
    assert.match(flags('insert into customers select id, null from orders')[0].message, /INSERT … SELECT copies every row of orders/);
    flags('insert into customers (id) select o.id from orders o join customers c on c.id = o.customer_id');
    clean('insert into customers select id, null from orders where total > 100');
    clean('insert into customers select id, null from orders order by id limit 1000');
    clean("insert into customers values (1, 'a')");
    clean('insert into customers select count(*), null from orders');
    clean('insert into customers select id, null from orders', { ...opts, file: 'migration' });
    flags('insert into customers select id, null from orders', { ...opts, file: 'migration', config: { unbounded: { checkMigrationBackfills: true } } });
  });

  test('VALUES, set-returning functions, system catalogs, views and TABLESAMPLE are not base tables', () => {
    clean('values (1), (2)');
    clean('select * from generate_series(1, 10) g');
    clean('select * from pg_stat_activity');
    clean('select * from pg_catalog.pg_class');
    clean('select * from information_schema.tables');
    clean('select * from big_orders');
    clean('select * from orders tablesample system (1)');
    clean('select 1');
  });

  test('tables the catalog does not know are still base tables', () => {
    flags('select * from audit_log');
  });

  test('joins: a bounded side or a constant in the ON bounds an inner join; outer joins keep the preserved side', () => {
    clean('select o.* from orders o join unnest($1::bigint[]) as ids(id) on ids.id = o.id');
    clean('select o.* from orders o join (values (1), (2)) as v(id) on v.id = o.id');
    clean('select o.* from orders o join (select id from customers where name = $1) c on c.id = o.customer_id');
    clean('select * from orders o join customers c on c.id = o.customer_id and c.name = $1');
    flags('select * from orders o join customers c on c.id = o.customer_id');
    assert.deepEqual(targets('select * from orders o left join customers c on c.name = $1'), ['orders']);
    assert.deepEqual(targets('select * from (select 1 as x) s right join customers c on true'), ['customers']);
    flags('select * from orders, generate_series(1, 3)');
  });

  test('UNION branches, CTEs and FROM subqueries that return a whole table', () => {
    assert.deepEqual(targets('select id from orders union all select id from customers'), ['orders', 'customers']);
    clean('select id from orders union all select id from customers limit 10');
    assert.deepEqual(targets('select id from orders where total > 0 union select id from customers'), ['customers']);
    assert.deepEqual(targets('with c as (select * from orders) select * from c'), ['orders']);
    clean('with c as (select * from orders) select * from c where id = 1');
    clean('with c as (select * from orders where id = 1) select * from c');
    assert.deepEqual(targets('select * from (select * from customers) s'), ['customers']);
  });

  test('a time-range-partitioned table needs a condition on its partition key at every level and in every statement', () => {
    const sql = "select count(*) from events where kind = 'login'";
    assert.equal(
      render(sql, flags(sql)),
      `select count(*) from events where kind = 'login'
                     ^^^^^^ unbounded-select: Query of events has no condition on at, its partition key, at this query level: events is partitioned by range on at, so PostgreSQL cannot prune partitions and scans every one.`,
    );
    clean("select * from events where at >= now() - interval '1 day'");
    clean("select * from events e where e.at between $1 and $2 and e.kind = 'x'");
    clean('select * from events where at = any($1)');
    flags("select * from events where at > now() - interval '1 day' or kind = 'x'");
    flags("update events set kind = 'x' where id = 1");
    flags('delete from events where id = 1');
    flags("select * from orders where id in (select id from events where kind = 'x')");
    flags('insert into customers (id) select id from events where id > 0');
    clean("delete from events where at < now() - interval '90 days'");
    // A single partition is not the partitioned table.
    clean('select * from events_2024 where id = 1');
    // A multi-column key whose time column is not first, a key on an expression, the configured time types.
    flags('select * from readings where sensor = 1');
    clean('select * from readings where day = current_date');
    flags('select * from logs where id = 1');
    clean('select * from shards where id = 1');
    flags('select * from shards where id = 1', { schema, config: { unbounded: { timeColumnTypes: ['integer', 'int4'] } } });
  });

  test('a cast or function on the partition key does not prune: the message says so and suggests the range form', () => {
    const [f] = flags('select * from events where at::date = current_date');
    assert.match(f.message, /compares at::date, not the partition key at itself/);
    assert.match(f.help ?? '', /events\.at >= current_date AND events\.at < current_date \+ 1/);
    assert.match(flags("select * from events where date_trunc('day', at) = $1")[0].message, /compares date_trunc\(\) of at/);
    // A cast to the column's own type is no cast: PostgreSQL prunes.
    clean('select * from events where at::timestamptz >= $1');
    clean('select * from events where at >= $1::date');
  });

  test('a view definition over a partitioned table is not a query', () => {
    clean('create view recent_events as select * from events');
  });

  test('a suppression comment silences it', () => {
    clean('-- pgdba-ignore unbounded-select -- tiny lookup table\nselect * from orders;');
  });
});

describe('unbounded-select in routine bodies', () => {
  test('a set-returning function that returns a whole table; RETURN QUERY; placed in the body', () => {
    const sql = 'create function all_orders() returns setof orders language sql as $$ select * from orders $$;';
    const [f] = flags(sql);
    assert.equal(sql.slice(f.start, f.end), 'orders');
    assert.ok(f.start > sql.indexOf('$$'));
    flags('create function all_orders() returns setof orders language plpgsql as $$ begin return query select * from orders; end $$;');
    flags('create function all_orders() returns table (id bigint) language sql as $$ select id from orders $$;');
  });

  test('a scalar result, SELECT … INTO, bounded queries and parameters are clean', () => {
    clean('create function one_order() returns bigint language sql as $$ select id from orders $$;');
    clean('create function f() returns bigint language plpgsql as $$ declare v bigint; begin select id into v from orders; return v; end $$;');
    clean('create function f(p bigint) returns setof orders language sql as $$ select * from orders where customer_id = p $$;');
    clean('create function f(p bigint) returns setof orders language plpgsql as $$ begin return query select * from orders where customer_id = p; end $$;');
  });

  test('the partition key and whole-table copies inside bodies', () => {
    flags("create function f() returns bigint language sql as $$ select count(*) from events where kind = 'x' $$;");
    clean('create function f(p timestamptz) returns bigint language sql as $$ select count(*) from events where at >= p $$;');
    flags('create function f() returns void language plpgsql as $$ begin insert into customers select id, null from orders; end $$;');
    // A statement trigger's transition table (REFERENCING NEW TABLE AS new_rows) holds the statement's rows, not a table's.
    clean('create function f() returns trigger language plpgsql as $$ begin insert into customers select id, null from new_rows; return null; end $$;');
  });
});

describe('unbounded-select and small reference tables', () => {
  const ref = `
create table plans (id int primary key, name text);
insert into plans values (1, 'free'), (2, 'pro');
create table accounts (id bigint primary key, tenant_id bigint, plan_id int references plans (id));
create table statuses (id int primary key, name text);
insert into statuses values (1, 'open');
create table notes (id int primary key, body text);
insert into notes (id, body) values ($1, $2);
create table tagged (id int primary key, tenant_id bigint);
insert into tagged values (1, 1);
create table tagged_refs (t int references tagged (id));`;
  // Reference data comes from migrations (a query file's INSERTs never build the schema).
  const migration = { 'migrations/001_ref.up.sql': ref, 'migrations/001_ref.down.sql': 'select 1;' };

  test('a table filled by INSERT … VALUES and referenced by a foreign key is fine to read whole', () => {
    clean('select * from plans', { files: migration });
    // Not referenced; filled from parameters (application data); has a tenant column.
    flags('select * from statuses', { files: migration });
    flags('select * from notes', { files: migration });
    flags('select * from tagged', { files: migration });
  });

  test('configurable: listed tables, and detection off', () => {
    clean('select * from statuses', { files: migration, config: { unbounded: { referenceTables: ['statuses'] } } });
    clean('select * from statuses', { files: migration, config: { unbounded: { referenceTables: ['public.statuses'] } } });
    flags('select * from plans', { files: migration, config: { unbounded: { detectReferenceTables: false } } });
  });
});
