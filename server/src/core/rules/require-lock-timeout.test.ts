import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './require-lock-timeout';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('require-lock-timeout', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('one finding per file, at the first strong lock, counting the rest', () => {
    const sql = 'create index i on users (email);\nalter table users add column a int;\nalter table orders add column b int;';
    const findings = expectFlags(rule, sql, m);
    assert.equal(findings.length, 1);
    assert.equal(sql.slice(findings[0].start, findings[0].end), 'users');
    assert.equal(
      findings[0].message,
      'This statement requests the SHARE lock on users with no lock_timeout set: while it waits behind any running transaction, every write on users queues behind it (and 2 later statements in this file).',
    );
  });

  test('fix sets lock_timeout on the line before, keeping the indent', () => {
    assert.equal(
      expectFix(rule, 'select 1;\n  alter table users add column a int;', m),
      "select 1;\n  SET lock_timeout = '5s';\n  alter table users add column a int;",
    );
  });

  test('SET LOCAL lasts for its transaction only; 0 turns it off', () => {
    expectClean(rule, "begin;\nset local lock_timeout = '2s';\nalter table u add column a int;\ncommit;", none);
    expectFlags(rule, "begin;\nset local lock_timeout = '2s';\ncommit;\nalter table u add column a int;", none);
    expectFlags(rule, "set lock_timeout = '2s';\nset lock_timeout = 0;\nalter table u add column a int;", m);
    expectClean(rule, "select set_config('lock_timeout', '3s', false);\nalter table u add column a int;", m);
  });

  test('weak locks and new tables need no timeout; a foreign key to an existing table does', () => {
    expectClean(rule, 'create index concurrently i on users (email);\nalter table users validate constraint c;', m);
    expectClean(rule, 'create table t (a int);\nalter table t add column b int;\ncreate index on t (b);', m);
    expectFlags(rule, 'create table orders (user_id bigint references users (id));', m);
  });
});
