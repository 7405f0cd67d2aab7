import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './prefer-bigint';

before(ready);

describe('prefer-bigint', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the type of a table-level primary key column', () => {
    const sql = 'create table t (id integer not null, n int, primary key (id));';
    const findings = expectFlags(rule, sql);
    assert.deepEqual(
      findings.map((f) => sql.slice(f.start, f.end)),
      ['integer'],
    );
    assert.match(findings[0].message, /t\.id is a primary key of type integer/);
  });

  test('a key added later (pg_dump style) or a nextval default counts', () => {
    expectFlags(rule, 'create table t (id integer not null);\nalter table only t add constraint t_pkey primary key (id);');
    expectFlags(rule, "create sequence t_id_seq;\ncreate table t (id integer not null default nextval('t_id_seq'));");
  });

  test('fix widens the type', () => {
    assert.equal(expectFix(rule, 'create table t (id smallserial primary key);'), 'create table t (id bigserial primary key);');
  });

  test('quiet on plain integer columns, bigint ids and down migrations', () => {
    expectClean(rule, 'create table t (id bigserial primary key, n integer, user_id integer references u (id));');
    expectClean(rule, 'alter table t alter column id type integer;');
    expectClean(rule, 'select 1;', { file: 'migration', down: 'create table t (id serial primary key);' });
  });
});
