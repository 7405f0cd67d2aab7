import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser, parseSql } from '../parse/parse';
import { chooseName, figureColname, indexColumnNames, makeObjectName, nameAddition } from './names';

before(async () => {
  await initParser();
});

function indexParams(sql: string): unknown[] {
  return (parseSql(sql).statements[0].node as { IndexStmt: { indexParams: unknown[] } }).IndexStmt.indexParams;
}

describe('PostgreSQL names for unnamed objects', () => {
  test('makeObjectName keeps the label and truncates the longer part to 63 bytes', () => {
    assert.equal(makeObjectName('users', 'email', 'key'), 'users_email_key');
    assert.equal(makeObjectName('users', undefined, 'pkey'), 'users_pkey');
    const long = makeObjectName('a'.repeat(40), 'b'.repeat(40), 'fkey');
    assert.equal(long, `${'a'.repeat(29)}_${'b'.repeat(28)}_fkey`);
    assert.equal(Buffer.byteLength(long), 63);
  });

  test('truncation counts bytes and never splits a character', () => {
    const name = makeObjectName('é'.repeat(40), undefined, 'idx');
    assert.ok(Buffer.byteLength(name) <= 63);
    assert.equal(name, `${'é'.repeat(29)}_idx`);
  });

  test('a taken name gets a number on its label', () => {
    const taken = new Set(['t_a_idx', 't_a_idx1']);
    assert.equal(
      chooseName('t', 'a', 'idx', (n) => taken.has(n)),
      't_a_idx2',
    );
  });

  test('index column names: columns, function names, expr, made unique', () => {
    assert.deepEqual(indexColumnNames(indexParams('CREATE INDEX ON t (a, lower(b), (a + 1), a)')), ['a', 'lower', 'expr', 'a1']);
    assert.equal(
      figureColname(
        (parseSql('SELECT x::text').statements[0].node as never as { SelectStmt: { targetList: { ResTarget: { val: unknown } }[] } }).SelectStmt.targetList[0]
          .ResTarget.val,
      ),
      'x',
    );
    assert.equal(nameAddition(['a', 'b', 'c']), 'a_b_c');
  });
});
