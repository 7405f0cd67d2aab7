import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render, testWorkspace } from '../../testing/rule-test';
import rule from './concurrently-in-transaction';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('concurrently-in-transaction', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at CONCURRENTLY and says why the file is in a transaction', () => {
    const sql = 'create index concurrently i on t (a);';
    const findings = expectFlags(rule, sql, m);
    assert.equal(
      render(sql, findings),
      `create index concurrently i on t (a);
             ^^^^^^^^^^^^ concurrently-in-transaction: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the migration runner wraps this file in a transaction: the migration fails here.`,
    );
    assert.match(findings[0].help ?? '', /run_in_transaction = false/);
  });

  test("follows the file's own BEGIN / COMMIT when the runner does not wrap it", () => {
    expectFlags(rule, 'begin;\ndrop index concurrently i;\ncommit;', none);
    expectClean(rule, 'begin;\nalter table t add column a int;\ncommit;\ndrop index concurrently i;', none);
    expectClean(rule, 'create index concurrently i on t (a);\nvacuum t;', none);
  });

  test('dbmate transaction:false and the config override', () => {
    const dbmate = (opts: string) => ({
      'db/migrations/20240101000000_idx.sql': `-- migrate:up${opts}\ncreate index concurrently i on t (a);\n\n-- migrate:down\ndrop index i;\n`,
    });
    assert.equal(countIn(dbmate(' transaction:false')), 0);
    assert.equal(countIn(dbmate('')), 1);
    expectClean(rule, 'create index concurrently i on t (a);', none);
    expectFlags(rule, 'create index concurrently i on t (a);', { file: 'migration', config: { migrations: { transaction: 'wrapped' } } });
  });

  test('other statements that refuse a transaction block', () => {
    expectFlags(rule, 'vacuum analyze t;', m);
    expectFlags(rule, 'reindex table concurrently t;', m);
    expectFlags(rule, 'alter table p detach partition c concurrently;', m);
    expectClean(rule, 'analyze t;', m);
    expectClean(rule, 'refresh materialized view concurrently v;', m);
  });

  test('REINDEX (CONCURRENTLY false) runs in a transaction like any REINDEX TABLE', () => {
    expectFlags(rule, 'reindex (concurrently) table users;', { file: 'migration' });
    expectClean(rule, 'reindex (concurrently false) table users;', { file: 'migration' });
  });
});

function countIn(files: Record<string, string>): number {
  const { workspace } = testWorkspace('select 1;', { files }, [rule]);
  return workspace.analyze('db/migrations/20240101000000_idx.sql').filter((f) => f.rule === rule.id).length;
}
