import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './prefer-jsonb';

before(ready);

describe('prefer-jsonb', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the type; the fix keeps array bounds', () => {
    const sql = 'alter table t add column p json[];';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'json[]');
    assert.equal(expectFix(rule, sql), 'alter table t add column p jsonb[];');
  });

  test('quiet on jsonb', () => expectClean(rule, 'create table t (p jsonb);'));
});
