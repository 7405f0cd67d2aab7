import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveSeverity } from '../analyze';
import { configSchema } from '../config';
import { checkDocsExamples, expectClean, expectFix, ready } from '../../testing/rule-test';
import rule from './prefer-robust-statements';

before(ready);
const on = { file: 'migration' as const, config: { migrations: { robustness: true, transaction: 'none' } } };

describe('prefer-robust-statements', () => {
  // Opt-in rule: its docs examples run with the rule switched on.
  test('docs examples', () => checkDocsExamples({ ...rule, category: 'migration-lock' }));

  test('off unless migrations.robustness is set', () => {
    assert.equal(effectiveSeverity(rule, configSchema.parse({})), undefined);
    expectClean(rule, 'create table t (a int);', { file: 'migration', config: { migrations: { transaction: 'none' } } });
  });

  test('fixes add the clause in the right place', () => {
    assert.equal(expectFix(rule, 'create table t (a int);', on), 'create table IF NOT EXISTS t (a int);');
    assert.equal(expectFix(rule, 'drop index concurrently i;', on), 'drop index concurrently IF EXISTS i;');
    assert.equal(expectFix(rule, 'drop materialized view v;', on), 'drop materialized view IF EXISTS v;');
    assert.equal(expectFix(rule, 'alter table t add column a int;', on), 'alter table t add column IF NOT EXISTS a int;');
    assert.equal(expectFix(rule, 'alter table t drop column a;', on), 'alter table t drop column IF EXISTS a;');
  });

  test('DROP CONSTRAINT needs IF EXISTS too; each command of an ALTER gets its own clause', () => {
    assert.equal(expectFix(rule, 'alter table t drop constraint t_a_check;', on), 'alter table t drop constraint IF EXISTS t_a_check;');
    assert.equal(expectFix(rule, 'alter table t drop a;', on), 'alter table t drop IF EXISTS a;');
    const sql = 'alter table t drop constraint if exists c1, drop constraint c2;';
    assert.equal(expectFix(rule, sql, on), 'alter table t drop constraint if exists c1, drop constraint IF EXISTS c2;');
    expectClean(rule, 'alter table t drop constraint if exists c1;', on);
  });

  test('CREATE TEMP TABLE … ON COMMIT DROP is gone when the migration is re-run', () => {
    expectClean(rule, 'create temp table staging (a int) on commit drop;', on);
    expectFix(rule, 'create temp table staging (a int);', on);
  });

  test('quiet inside a transaction, where a failure rolls everything back', () => {
    expectClean(rule, 'create table t (a int);', { file: 'migration', config: { migrations: { robustness: true } } });
    expectClean(rule, 'begin;\ncreate table t (a int);\ncommit;', on);
  });
});
