import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-drop-not-null';

before(ready);
const m = { file: 'migration' as const };

describe('ban-drop-not-null', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the subcommand', () => {
    const sql = 'alter table u alter column e drop not null;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'alter column e drop not null');
  });

  test('quiet on new tables and in plain SQL', () => {
    expectClean(rule, 'create table u (e text not null);\nalter table u alter column e drop not null;', m);
    expectClean(rule, 'alter table u alter column e drop not null;');
  });
});
