import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './uncommitted-transaction';

before(ready);
const none = { file: 'migration' as const, config: { migrations: { transaction: 'none' } } };

describe('uncommitted-transaction', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at BEGIN and the fix commits at the end', () => {
    const sql = 'start transaction;\nalter table u add column a int';
    const [f] = expectFlags(rule, sql, none);
    assert.equal(sql.slice(f.start, f.end), 'start');
    expectFlags(rule, sql);
    assert.equal(expectFix(rule, sql, none), 'start transaction;\nalter table u add column a int;\nCOMMIT;');
  });

  test('quiet when committed, or when the runner wraps the file', () => {
    expectClean(rule, 'begin;\nselect 1;\nend;', none);
    expectClean(rule, 'begin;\nselect 1;', { file: 'migration' });
  });
});
