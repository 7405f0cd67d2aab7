import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './require-concurrent-reindex';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };

describe('require-concurrent-reindex', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the index', () => {
    const sql = 'reindex index app.i;';
    assert.equal(
      render(sql, expectFlags(rule, sql, m)),
      `reindex index app.i;
              ^^^^^ require-concurrent-reindex: REINDEX INDEX app.i locks its index ACCESS EXCLUSIVE and its table SHARE: queries that use the index and all writes to the table wait for the rebuild.`,
    );
  });

  test('fixes by adding CONCURRENTLY after the object keyword, also with options', () => {
    assert.equal(expectFix(rule, 'reindex (verbose) table users;', auto), 'reindex (verbose) table CONCURRENTLY users;');
    assert.equal(expectFix(rule, 'reindex schema app;', auto), 'reindex schema CONCURRENTLY app;');
  });

  test('no fix inside a transaction', () => {
    assert.equal(expectFlags(rule, 'reindex table users;', m)[0].fix, undefined);
  });

  test('quiet for new tables, REINDEX SYSTEM, and before PostgreSQL 12', () => {
    expectClean(rule, 'create table t (a int);\nreindex table t;', m);
    expectClean(rule, 'reindex system app;', m);
    expectClean(rule, 'reindex table users;', { ...m, config: { postgres: { version: 11 } } });
  });

  test('CONCURRENTLY is read by value: (CONCURRENTLY false) is a plain REINDEX', () => {
    expectFlags(rule, 'reindex (concurrently false) table users;', m);
    expectFlags(rule, 'reindex (concurrently off) index users_email_idx;', m);
    expectClean(rule, 'reindex (concurrently true) table users;', m);
    expectClean(rule, 'reindex (concurrently) table users;', m);
  });
});
