import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-char-field';

before(ready);

describe('ban-char-field', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the type and fixes it to text', () => {
    const sql = 'create table t (id character(36) primary key);';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'character(36)');
    assert.equal(expectFix(rule, sql), 'create table t (id text primary key);');
  });

  test('quiet on "char", varchar and text', () => expectClean(rule, 'create table t (a "char", b varchar(2), c text);'));
});
