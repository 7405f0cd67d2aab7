import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import { effectiveSeverity } from '../analyze';
import { defaultConfig } from '../config';
import rule from './enum-value-ordering';

before(ready);
const on = { file: 'migration' as const, config: { rules: { 'enum-value-ordering': 'on' } } };

describe('enum-value-ordering', () => {
  // Opt-in rule: its docs examples run with the rule switched on.
  test('docs examples', () => checkDocsExamples({ ...rule, recommended: true }));

  test('is off unless enabled', () => {
    assert.equal(effectiveSeverity(rule, defaultConfig()), undefined);
    expectClean(rule, "alter type p add value 'x';", { file: 'migration' });
  });

  test('points at the value when enabled', () => {
    const sql = "alter type p add value if not exists 'x';";
    const [f] = expectFlags(rule, sql, on);
    assert.equal(sql.slice(f.start, f.end), "'x'");
    expectClean(rule, "alter type p add value 'x' before 'y';", on);
  });
});
