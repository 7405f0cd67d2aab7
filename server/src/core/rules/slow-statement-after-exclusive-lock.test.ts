import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './slow-statement-after-exclusive-lock';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('slow-statement-after-exclusive-lock', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the slow statement and names the held lock', () => {
    const sql = 'alter table users add column plan text;\nupdate users set plan = 1;\nupdate users set plan = 2;';
    const findings = expectFlags(rule, sql, m);
    assert.equal(findings.length, 1);
    assert.equal(sql.slice(findings[0].start, findings[0].end), 'update users');
    assert.equal(
      findings[0].message,
      'UPDATE runs while this transaction still holds the ACCESS EXCLUSIVE lock on users taken on line 1: every read and write of users waits until COMMIT.',
    );
  });

  test('index builds and validations count as slow', () => {
    expectFlags(rule, 'alter table a add column x int;\ncreate index on b (y);', m);
    expectFlags(rule, 'alter table a add column x int;\nalter table b alter column x set not null;', m);
    // SET NOT NULL on the same table takes ACCESS EXCLUSIVE itself: holding it already changes nothing.
    expectClean(rule, 'alter table a add column x int;\nalter table a alter column x set not null;', m);
    expectClean(rule, 'drop view v;\nupdate t set a = 1;', m);
    expectClean(rule, 'alter table a rename column x to y;\nalter table a alter column y type text;', m);
  });

  test('quiet in autocommit, after a COMMIT, and for new tables', () => {
    expectClean(rule, 'alter table users add column plan text;\nupdate users set plan = 1;', none);
    expectClean(rule, 'begin;\nalter table users add column plan text;\ncommit;\nupdate users set plan = 1;', none);
    expectClean(rule, 'create table t (a int);\nalter table t add column b int;\nupdate t set b = 1;', m);
    expectClean(rule, "alter table users add column plan text;\ninsert into audit (msg) values ('x');", m);
  });
});
