import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-drop-database';

before(ready);

describe('ban-drop-database', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at DROP DATABASE', () => {
    const sql = 'drop database if exists app;';
    const [f] = expectFlags(rule, sql, { file: 'migration' });
    assert.equal(sql.slice(f.start, f.end), 'drop database');
  });

  test('quiet in plain SQL scripts', () => expectClean(rule, 'drop database if exists app_test;'));
});
