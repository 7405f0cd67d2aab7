import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
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
    const [f] = expectFlags(rule, 'alter table u add column k text default make_key();', {
      ...m,
      schema: "create function make_key() returns text language sql as $$ select 'x' $$;",
    });
    assert.match(f.message, /unless make_key is declared STABLE/);
  });

  test('declared volatility is read from the catalog, also when ALTER FUNCTION changes it', () => {
    const mk = (opts: string) => `create function app.make_key() returns text language sql ${opts} as $$ select 'x' $$;`;
    const sql = 'alter table u add column k text default app.make_key();';
    expectClean(rule, sql, { ...m, schema: `create schema app;\n${mk('stable')}` });
    expectClean(rule, sql, { ...m, schema: `create schema app;\n${mk('immutable')}` });
    expectFlags(rule, sql, { ...m, schema: `create schema app;\n${mk('volatile')}` });
    expectFlags(rule, sql, { ...m, schema: `create schema app;\n${mk('immutable')}\nalter function app.make_key() volatile;` });
    expectClean(rule, sql, { ...m, schema: `create schema app;\n${mk('')}\nalter function app.make_key() stable;` });
  });

  test('a schema-qualified function the workspace does not define is VOLATILE, as PostgreSQL makes it by default', () => {
    const [f] = expectFlags(rule, 'alter table u add column k uuid default extensions.uuid_generate_v7();', m);
    assert.match(f.message, /unless extensions.uuid_generate_v7 is declared STABLE or IMMUTABLE/);
    // pg_catalog functions and unqualified built-ins are not guessed at.
    expectClean(rule, "alter table u add column d date default pg_catalog.date_trunc('day', now());", m);
    expectClean(rule, "alter table u add column n text default lower('X');", m);
  });

  test('every non-null default before PostgreSQL 11', () => {
    expectFlags(rule, 'alter table u add column a int default 0;', { ...m, config: { postgres: { version: 10 } } });
    expectClean(rule, 'alter table u add column a int default null;', { ...m, config: { postgres: { version: 10 } } });
  });

  test('quiet on constants, now(), casts and new tables', () => {
    expectClean(rule, 'alter table u add column a timestamptz default current_timestamp;', m);
    expectClean(rule, "alter table u add column a jsonb default '{}'::jsonb;", m);
    expectClean(rule, 'alter table u add column a text[] default array[]::text[];', m);
    expectClean(rule, 'create table u (id int);\nalter table u add column t uuid default gen_random_uuid();', m);
  });
});
