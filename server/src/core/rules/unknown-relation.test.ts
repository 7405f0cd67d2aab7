import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, type RuleTestOptions } from '../../testing/rule-test';
import rule from './unknown-relation';

before(ready);

const schema = `
create schema billing;
create table orders (id bigint primary key, total numeric);
create table billing.invoices (id bigint primary key);
create table old_name (id int);
alter table old_name rename to new_name;
create table gone (id int);
drop table gone;
`;
const opts: RuleTestOptions = { schema };

describe('unknown-relation', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('a typo, a renamed and a dropped table are unknown', () => {
    const [f] = expectFlags(rule, 'select * from ordrs where id = 1', opts);
    assert.match(f.message, /did you mean orders\?/);
    expectFlags(rule, 'select * from old_name', opts);
    expectFlags(rule, 'select * from gone', opts);
    expectFlags(rule, 'delete from billing.invoice where id = 1', opts);
  });

  test('tables, CTEs, schema-qualified, system catalogs and temp tables of the file are known', () => {
    expectClean(rule, 'select * from orders o join billing.invoices i on i.id = o.id', opts);
    expectClean(rule, 'with x as (select 1 as id) select * from x', opts);
    expectClean(rule, 'select * from new_name', opts);
    expectClean(rule, 'select relname from pg_catalog.pg_class; select * from pg_stat_activity; select * from information_schema.tables', opts);
    expectClean(rule, 'create temp table scratch (id int); insert into scratch select id from orders; select * from scratch', opts);
  });

  test('silent where the schema is visibly incomplete', () => {
    expectClean(rule, 'select * from auth.users', opts); // a schema no migration creates
    expectClean(rule, 'select * from anything'); // no schema at all
    expectClean(rule, 'select * from spatial_ref_sys', { schema: `${schema}\ncreate extension postgis;` });
  });

  test('migrations are not checked (their tables come and go in order)', () => {
    expectClean(rule, 'insert into nowhere values (1)', { ...opts, file: 'migration' });
  });

  test('the fix renames to the suggestion', () => {
    assert.equal(expectFix(rule, 'select * from ordrs where id = 1', opts), 'select * from orders where id = 1');
  });
});
