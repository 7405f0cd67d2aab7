import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './rename-table';

before(ready);
const m = { file: 'migration' as const };

describe('rename-table', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table', () => {
    const sql = 'alter table app.users rename to accounts;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'app.users');
  });

  test('quiet for the swap pattern and in plain SQL', () => {
    expectClean(rule, 'create table t_new (a int);\ndrop table t;\nalter table t_new rename to t;', m);
    expectClean(rule, 'alter table users rename to accounts;');
  });
});
