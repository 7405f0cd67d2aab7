import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './transaction-nesting';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('transaction-nesting', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('BEGIN and COMMIT in a runner-wrapped file', () => {
    const sql = 'begin;\nalter table u add column a int;\ncommit;';
    const findings = expectFlags(rule, sql, m);
    assert.deepEqual(
      findings.map((f) => sql.slice(f.start, f.end)),
      ['begin', 'commit'],
    );
    assert.equal(expectFix(rule, sql, m), 'alter table u add column a int;\n');
  });

  test('nested BEGIN and stray COMMIT in autocommit files', () => {
    assert.match(expectFlags(rule, 'begin;\nbegin;\nselect 1;\ncommit;', none)[0].message, /file already opened/);
    assert.equal(expectFix(rule, 'select 1;\ncommit;', none), 'select 1;\n');
  });

  test('quiet for a balanced block in an autocommit file', () => {
    expectClean(rule, 'begin;\nselect 1;\ncommit;\nbegin;\nselect 2;\nrollback;', none);
    expectClean(rule, 'select 1;', m);
  });
});
