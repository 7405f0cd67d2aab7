import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './vacuum-full-or-cluster';

before(ready);
const m = { file: 'migration' as const };

describe('vacuum-full-or-cluster', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at each table', () => {
    const sql = 'vacuum (full, analyze) a, b;';
    assert.deepEqual(
      expectFlags(rule, sql, m).map((f) => sql.slice(f.start, f.end)),
      ['a', 'b'],
    );
  });

  test('without a table it is every table', () => {
    assert.match(expectFlags(rule, 'vacuum full;', m)[0].message, /every table/);
  });

  test('quiet on plain VACUUM, ANALYZE and new tables', () => {
    expectClean(rule, 'vacuum a;\nanalyze a;', m);
    expectClean(rule, 'create table t (a int);\ncluster t using t_pkey;', m);
  });

  test('options are read by value, as PostgreSQL reads them', () => {
    // defGetBoolean: FULL false / off / 0 turn it off; FULL, FULL true / on / 1 turn it on.
    for (const v of ['false', 'off', '0', 'FALSE']) expectClean(rule, `vacuum (full ${v}) a;`, m);
    for (const v of ['', ' true', ' on', ' 1']) expectFlags(rule, `vacuum (full${v}, analyze) a;`, m);
  });
});
