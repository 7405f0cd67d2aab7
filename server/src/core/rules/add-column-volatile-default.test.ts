import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../testing/rule-test';
import rule from './add-column-volatile-default';

before(ready);
const m = { file: 'migration' as const };

describe('add-column-volatile-default', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the DEFAULT and names the function', () => {
    const sql = 'alter table users add column r float default random();';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'default random()');
    assert.match(f.message, /because random is volatile/);
  });

  test('user functions are volatile unless declared otherwise', () => {
    const [f] = expectFlags(rule, 'alter table u add column k text default make_key();', { ...m, schema: 'create function make_key() returns text language sql as $$ select \'x\' $$;' });
    assert.match(f.message, /unless make_key is declared STABLE/);
  });

  test('every non-null default before PostgreSQL 11', () => {
    expectFlags(rule, 'alter table u add column a int default 0;', { ...m, config: { postgres: { version: 10 } } });
    expectClean(rule, 'alter table u add column a int default null;', { ...m, config: { postgres: { version: 10 } } });
  });

  test('quiet on constants, now(), casts and new tables', () => {
    expectClean(rule, 'alter table u add column a timestamptz default current_timestamp;', m);
    expectClean(rule, "alter table u add column a jsonb default '{}'::jsonb;", m);
    expectClean(rule, "alter table u add column a text[] default array[]::text[];", m);
    expectClean(rule, 'create table u (id int);\nalter table u add column t uuid default gen_random_uuid();', m);
  });
});
