import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './add-enum-value-in-transaction';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('add-enum-value-in-transaction', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the use of the new value', () => {
    const sql = "alter type mood add value 'ok';\ninsert into p (m) values ('ok');";
    const [f] = expectFlags(rule, sql, m);
    assert.equal(f.start, sql.lastIndexOf("'ok'"));
    assert.equal(sql.slice(f.start, f.end), "'ok'");
  });

  test('before PostgreSQL 12 the ADD VALUE itself fails in a transaction', () => {
    const sql = "alter type mood add value 'ok';";
    const [f] = expectFlags(rule, sql, { ...m, config: { postgres: { version: 11 } } });
    assert.equal(sql.slice(f.start, f.end), "'ok'");
    expectClean(rule, sql, { ...none, config: { postgres: { version: 11 }, migrations: { transaction: 'none' } } });
  });

  test('quiet once committed, and for renames', () => {
    expectClean(rule, "alter type mood add value 'ok';\ninsert into p (m) values ('ok');", none);
    expectClean(rule, "alter type mood rename value 'a' to 'b';\nupdate p set m = 'b';", m);
  });
});
