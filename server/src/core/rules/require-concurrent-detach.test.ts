import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './require-concurrent-detach';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };

describe('require-concurrent-detach', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the subcommand', () => {
    const sql = 'alter table events detach partition events_2020;';
    assert.equal(
      render(sql, expectFlags(rule, sql, m)),
      `alter table events detach partition events_2020;
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-concurrent-detach: DETACH PARTITION takes an ACCESS EXCLUSIVE lock on events, blocking reads, writes and DDL on every partition while it waits for running queries.`,
    );
  });

  test('fix appends CONCURRENTLY outside a transaction', () => {
    assert.equal(expectFix(rule, 'alter table events detach partition events_2020;', auto), 'alter table events detach partition events_2020 CONCURRENTLY;');
    assert.equal(expectFlags(rule, 'alter table events detach partition events_2020;', m)[0].fix, undefined);
  });

  test('quiet on FINALIZE, new tables and before PostgreSQL 14', () => {
    expectClean(rule, 'alter table events detach partition events_2020 finalize;', m);
    expectClean(
      rule,
      "create table e (at date) partition by range (at);\ncreate table e1 partition of e for values from ('2020-01-01') to ('2021-01-01');\nalter table e detach partition e1;",
      m,
    );
    expectClean(rule, 'alter table events detach partition events_2020;', { ...m, config: { postgres: { version: 13 } } });
  });
});
