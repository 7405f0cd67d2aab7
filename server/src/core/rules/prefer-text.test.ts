import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveSeverity } from '../analyze';
import { defaultConfig } from '../config';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './prefer-text';

before(ready);
const on = { config: { rules: { 'prefer-text': 'on' } } };

describe('prefer-text', () => {
  // Opt-in rule: its docs examples run with the rule switched on.
  test('docs examples', () => checkDocsExamples({ ...rule, recommended: true }));

  test('off by default', () => {
    assert.equal(effectiveSeverity(rule, defaultConfig()), undefined);
    expectClean(rule, 'create table t (a varchar(10));');
  });

  test('points at the type; the fix uses text', () => {
    const sql = 'create table t (a character varying(10) not null);';
    const [f] = expectFlags(rule, sql, on);
    assert.equal(sql.slice(f.start, f.end), 'character varying(10)');
    assert.equal(expectFix(rule, sql, on), 'create table t (a text not null);');
    expectClean(rule, 'create table t (a varchar, b text);', on);
  });
});
