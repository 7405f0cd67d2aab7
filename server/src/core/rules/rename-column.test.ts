import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './rename-column';

before(ready);
const m = { file: 'migration' as const };

describe('rename-column', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the old column name', () => {
    const sql = 'alter table name rename column name to full_name;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(f.start, sql.indexOf('column name') + 'column '.length);
    assert.equal(sql.slice(f.start, f.end), 'name');
  });

  test('quiet for columns added in the file, and for views', () => {
    expectClean(rule, 'alter table u add column n text;\nalter table u rename column n to nick;', m);
    expectClean(rule, 'alter view v rename column a to b;', m);
  });
});
