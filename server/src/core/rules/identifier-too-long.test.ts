import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
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

  test('finds long names however they are written (the pre-check before scanning must let them through)', () => {
    const at = (sql: string, name: string) => {
      const [f] = expectFlags(rule, sql);
      assert.equal(sql.slice(f.start, f.end), name);
    };
    at(`create table t (${'a'.repeat(64)} int);`, 'a'.repeat(64));
    at(`create table t (x_${'é'.repeat(31)} int);`, `x_${'é'.repeat(31)}`);
    // Lower-casing İ (2 bytes) gives i + U+0307 (3 bytes): 22 of them are 66 bytes.
    at(`create table t (${'İ'.repeat(22)} int);`, 'İ'.repeat(22));
    const quoted = `"${'a'.repeat(30)}""${'b'.repeat(33)}"`;
    at(`create table t (${quoted} int);`, quoted);
    at(`create table "t" ("a" int, "${'Q'.repeat(64)}" int);`, `"${'Q'.repeat(64)}"`);
    expectClean(rule, `create table "${'a'.repeat(40)}" ("${'b'.repeat(63)}" int); -- ${'c'.repeat(100)}`);
    // Without strings or comments the quotes pair up in turn: text between two quoted names is not a name.
    expectClean(rule, `create table "t" ("a" int, ${'b int, '.repeat(20)}"c" int);`);
    at(`create table "t" ("a" int, ${'b int, '.repeat(20)}"${'c'.repeat(30)}""${'d'.repeat(33)}" int);`, `"${'c'.repeat(30)}""${'d'.repeat(33)}"`);
    // 44 characters, 66 bytes, and no run of identifier characters long enough for the bare-name check.
    at(`create table "t" ("a""" int, "${'é '.repeat(22)}" int);`, `"${'é '.repeat(22)}"`);
  });

  test('reports each name once per statement, and not in queries', () => {
    const long = 'x'.repeat(64);
    assert.equal(expectFlags(rule, `alter table t add column ${long} int, alter column ${long} set not null;`).length, 1);
    expectClean(rule, `select ${long} from t;`);
  });
});
