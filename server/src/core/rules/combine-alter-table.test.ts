import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './combine-alter-table';

before(ready);
const m = { file: 'migration' as const, config: { migrations: { transaction: 'none' } } };
const wrapped = { file: 'migration' as const };

describe('combine-alter-table', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the second table reference', () => {
    const sql = 'alter table users add column a int;\nalter table users add column b int;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(f.start, sql.lastIndexOf('users'));
  });

  test('fix merges the subcommands', () => {
    assert.equal(
      expectFix(rule, 'alter table users add column a int;\nalter table users drop column b, add column c int;', m),
      'alter table users add column a int,\n  drop column b, add column c int;',
    );
  });

  test('inside a transaction only a second rewrite counts', () => {
    assert.match(
      expectFlags(rule, 'alter table u alter column a type bigint;\nalter table u alter column b type bigint;', wrapped)[0].message,
      /rewrites the whole table/,
    );
    expectClean(rule, 'alter table u add column a int;\nalter table u add column b int;', wrapped);
  });

  test('no fix across a comment; quiet for other tables, partitions, new tables and weak locks', () => {
    assert.equal(expectFlags(rule, 'alter table u add column a int;\n-- why\nalter table u add column b int;', m)[0].fix, undefined);
    expectClean(rule, 'alter table u add column a int;\nselect 1;\nalter table u add column b int;', m);
    expectClean(rule, 'alter table p detach partition c;\nalter table p add column b int;', m);
    expectClean(rule, 'create table u (x int);\nalter table u add column a int;\nalter table u add column b int;', m);
    expectClean(rule, 'alter table u alter column a set statistics 100;\nalter table u add column b int;', m);
  });
});
