import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './require-concurrent-refresh';

before(ready);
const m = { file: 'migration' as const };
const schema = 'create materialized view totals as select 1 as day;\ncreate unique index totals_day on totals (day);';

describe('require-concurrent-refresh', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('fix adds CONCURRENTLY when the view has a unique index', () => {
    assert.equal(expectFix(rule, 'refresh materialized view totals;', { ...m, schema }), 'refresh materialized view CONCURRENTLY totals;');
  });

  test('no fix without a unique index', () => {
    const [f] = expectFlags(rule, 'refresh materialized view totals;', { ...m, schema: 'create materialized view totals as select 1 as day;' });
    assert.equal(f.fix, undefined);
    assert.match(f.message, /ACCESS EXCLUSIVE/);
  });

  test('quiet with CONCURRENTLY or WITH NO DATA', () => {
    expectClean(rule, 'refresh materialized view concurrently totals;', { ...m, schema });
    expectClean(rule, 'refresh materialized view totals with no data;', { ...m, schema });
  });
});
