import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-drop-schema';

before(ready);
const m = { file: 'migration' as const };

describe('ban-drop-schema', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('names the schema', () => {
    const sql = 'drop schema if exists "Reports" cascade;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), '"Reports"');
    assert.match(f.message, /DROP SCHEMA Reports CASCADE/);
  });

  test('quiet in plain SQL', () => expectClean(rule, 'drop schema s;'));
});
