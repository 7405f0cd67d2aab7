import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './require-concurrent-index';

before(ready);
const m = { file: 'migration' as const };

describe('require-concurrent-index', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table and names the lock', () => {
    const sql = 'create unique index u on app.users (email);';
    assert.equal(
      render(sql, expectFlags(rule, sql, m)),
      `create unique index u on app.users (email);
                         ^^^^^^^^^ require-concurrent-index: CREATE INDEX on app.users takes a SHARE lock that blocks writes and DDL until the whole index is built.`,
    );
  });

  test('fix adds CONCURRENTLY outside a transaction', () => {
    const fixed = expectFix(rule, 'create unique index if not exists u on users (email);', { ...m, config: { migrations: { transaction: 'none' } } });
    assert.equal(fixed, 'create unique index CONCURRENTLY if not exists u on users (email);');
  });

  test('no fix inside a transaction, and the help says how to leave it', () => {
    const [f] = expectFlags(rule, 'create index i on users (email);', m);
    assert.equal(f.fix, undefined);
    assert.match(f.help ?? '', /metadata\.toml/);
    const [g] = expectFlags(rule, 'begin;\ncreate index i on users (email);\ncommit;', { ...m, config: { migrations: { transaction: 'none' } } });
    assert.equal(g.fix, undefined);
  });

  test('quiet on tables created earlier in the file, through the search_path and renames', () => {
    expectClean(rule, 'create table t (a int);\ncreate index on t (a);', m);
    expectClean(rule, 'set search_path to app;\ncreate table app.t (a int);\ncreate index on t (a);', m);
    expectClean(rule, 'create table t_new (a int);\nalter table t_new rename to t2;\ncreate index on t2 (a);', m);
    expectClean(rule, 'create index concurrently i on t (a);', m);
    expectClean(rule, 'create temp table tmp (a int);\ncreate index on tmp (a);', m);
  });

  test('flags a table created in another schema than the one searched', () => {
    expectFlags(rule, 'create table other.t (a int);\ncreate index on t (a);', m);
    expectFlags(rule, 'create table t (a int);\ndrop table t;\ncreate index on t (a);', m);
  });

  test('partitioned parents get their own recipe; ON ONLY is fine', () => {
    const schema = 'create table events (at timestamptz) partition by range (at);';
    const [f] = expectFlags(rule, 'create index on events (at);', { ...m, schema });
    assert.match(f.message, /partitioned/);
    assert.equal(f.fix, undefined);
    expectClean(rule, 'create index on only events (at);', { ...m, schema });
  });

  test('plain SQL files are not migrations', () => {
    expectClean(rule, 'create index i on users (email);');
  });
});
