import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../testing/rule-test';
import rule from './identifier-too-long';

before(ready);

describe('identifier-too-long', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('counts bytes, not characters', () => {
    const name = 'é'.repeat(32); // 64 bytes, 32 characters
    const sql = `create table t ("${name}" int);`;
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), `"${name}"`);
    assert.match(f.message, /is 64 bytes long/);
    expectClean(rule, `create table t ("${'é'.repeat(31)}" int);`);
  });

  test('reports each name once per statement, and not in queries', () => {
    const long = 'x'.repeat(64);
    assert.equal(expectFlags(rule, `alter table t add column ${long} int, alter column ${long} set not null;`).length, 1);
    expectClean(rule, `select ${long} from t;`);
  });
});
