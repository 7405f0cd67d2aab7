import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './prefer-timestamptz';

before(ready);

describe('prefer-timestamptz', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('covers the whole multi-word type and keeps the precision', () => {
    const sql = 'alter table t add column at timestamp(3) without time zone not null;';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'timestamp(3) without time zone');
    assert.equal(expectFix(rule, sql), 'alter table t add column at timestamptz(3) not null;');
  });

  test('type changes to timestamp count too', () => {
    expectFlags(rule, 'alter table t alter column at type timestamp;');
  });

  test('quiet on timestamptz and date', () => {
    expectClean(rule, 'create table t (a timestamp with time zone, b timestamptz, c date, d time);');
  });
});

describe('prefer-timestamptz history', () => {
  test('a column that a later migration converted is not reported', () => {
    const later = {
      'migrations/2024-05-01-000000_fix/up.sql': 'alter table t alter column at type timestamptz;',
      'migrations/2024-05-01-000000_fix/down.sql': 'select 1;',
    };
    expectClean(rule, 'create table t (at timestamp);', { file: 'migration', files: later });
    expectFlags(rule, 'create table t (at timestamp);', { file: 'migration' });
    expectClean(rule, 'create table t (at timestamp, b int);\nalter table t drop column at;', { file: 'migration' });
  });
});
