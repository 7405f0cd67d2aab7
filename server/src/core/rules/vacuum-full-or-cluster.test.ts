import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../testing/rule-test';
import rule from './vacuum-full-or-cluster';

before(ready);
const m = { file: 'migration' as const };

describe('vacuum-full-or-cluster', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at each table', () => {
    const sql = 'vacuum (full, analyze) a, b;';
    assert.deepEqual(expectFlags(rule, sql, m).map((f) => sql.slice(f.start, f.end)), ['a', 'b']);
  });

  test('without a table it is every table', () => {
    assert.match(expectFlags(rule, 'vacuum full;', m)[0].message, /every table/);
  });

  test('quiet on plain VACUUM, ANALYZE and new tables', () => {
    expectClean(rule, 'vacuum a;\nanalyze a;', m);
    expectClean(rule, 'create table t (a int);\ncluster t using t_pkey;', m);
  });
});
