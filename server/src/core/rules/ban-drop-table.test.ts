import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './ban-drop-table';

before(ready);
const m = { file: 'migration' as const };

describe('ban-drop-table', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('one finding per existing table, at its name', () => {
    const sql = 'create table tmp (a int);\ndrop table if exists tmp, app.old cascade;';
    const findings = expectFlags(rule, sql, m);
    assert.deepEqual(
      findings.map((f) => sql.slice(f.start, f.end)),
      ['app.old'],
    );
  });

  test('quiet in plain SQL and for views', () => {
    expectClean(rule, 'drop table old;');
    expectClean(rule, 'drop view old_v;', m);
  });
});
