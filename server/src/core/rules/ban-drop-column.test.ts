import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, testWorkspace } from '../../testing/rule-test';
import rule from './ban-drop-column';

before(ready);
const m = { file: 'migration' as const };

describe('ban-drop-column', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the subcommand', () => {
    const sql = 'alter table users drop column if exists legacy;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'drop column if exists legacy');
  });

  test('down migrations undo their up and are not flagged', () => {
    const { workspace } = testWorkspace('alter table users add column legacy int;', { ...m, down: 'alter table users drop column legacy;' }, [rule]);
    assert.equal(workspace.analyze('migrations/2024-01-02-000000_test/down.sql').length, 0);
    // The same statement in the up file is flagged, so the check above is not vacuous.
    expectFlags(rule, 'alter table users drop column legacy;', m);
  });

  test('quiet when the table is dropped later in the file', () => {
    expectClean(rule, 'alter table users drop column legacy;\ndrop table users;', m);
  });

  test('quiet in plain SQL', () => {
    expectClean(rule, 'alter table users drop column legacy;');
  });
});
