import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './require-concurrent-index-drop';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };
const schema = 'create table app.users (id bigint, email text);\ncreate index users_email_idx on app.users (email);';

describe('require-concurrent-index-drop', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('names the index, the lock and the table when the catalog still knows the index', () => {
    const sql = 'drop index app.users_email_idx;';
    assert.equal(
      render(sql, expectFlags(rule, sql, { ...m, schema })),
      `drop index app.users_email_idx;
           ^^^^^^^^^^^^^^^^^^^ require-concurrent-index-drop: DROP INDEX app.users_email_idx takes an ACCESS EXCLUSIVE lock on its table, blocking reads, writes and DDL while it waits for running queries to finish.`,
    );
    // A later migration recreates the index, so the workspace catalog knows its table.
    const [f] = expectFlags(rule, sql, {
      ...m,
      schema,
      files: {
        'migrations/2024-01-03-000000_again/up.sql': 'create index users_email_idx on app.users (email);',
        'migrations/2024-01-03-000000_again/down.sql': 'select 1;',
      },
    });
    assert.match(f.message, /lock on app\.users,/);
  });

  test('fix adds CONCURRENTLY for a single index outside a transaction', () => {
    assert.equal(expectFix(rule, 'drop index if exists users_email_idx;', auto), 'drop index CONCURRENTLY if exists users_email_idx;');
  });

  test('no fix for several indexes, CASCADE, or inside a transaction', () => {
    assert.equal(expectFlags(rule, 'drop index a, b;', auto)[0].fix, undefined);
    assert.equal(expectFlags(rule, 'drop index a cascade;', auto)[0].fix, undefined);
    assert.equal(expectFlags(rule, 'drop index a;', m)[0].fix, undefined);
  });

  test('quiet on indexes created in the file or on tables created in the file', () => {
    expectClean(rule, 'create index i on users (email);\ndrop index i;', m);
    expectClean(rule, 'create table t (a int);\ncreate index t_a_idx on t (a);\nalter index t_a_idx rename to t_a;\ndrop index t_a;', m);
    expectClean(rule, 'drop index concurrently users_email_idx;', { ...m, schema });
    expectClean(rule, 'drop table users;', { ...m, schema });
    // The table goes away later in the same file: only that DROP TABLE's lock matters.
    expectClean(rule, 'drop index app.users_email_idx;\ndrop table app.users;', {
      ...m,
      schema: `${schema}\ncreate index users_name_idx on app.users (id);`,
      files: { 'structure.sql': 'create index users_email_idx on app.users (email);' },
    });
  });
});
