import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-truncate-cascade';

before(ready);

describe('ban-truncate-cascade', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at CASCADE', () => {
    const sql = 'truncate table a, b restart identity cascade;';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'cascade');
    assert.match(f.message, /TRUNCATE a, b CASCADE/);
  });

  test('quiet without CASCADE', () => expectClean(rule, 'truncate a restrict;'));
});
