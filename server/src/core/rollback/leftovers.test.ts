import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser, parseSql } from '../parse/parse';
import { rollbackLeftovers } from './leftovers';
import { catalogOf } from './test-helpers';

before(async () => {
  await initParser();
});

function leftovers(before: string, up: string, down: string) {
  const r = rollbackLeftovers(parseSql(up), parseSql(down), catalogOf(before));
  return { messages: r.items.map((i) => i.message), at: r.items.map((i) => (i.start === undefined ? undefined : up.slice(i.start, i.end))), opaque: r.opaque };
}

describe('rollbackLeftovers', () => {
  test('a complete down leaves nothing', () => {
    assert.deepEqual(leftovers('CREATE TABLE t (id int);', 'ALTER TABLE t ADD COLUMN a int; CREATE INDEX t_a ON t (a);', 'DROP INDEX t_a; ALTER TABLE t DROP COLUMN a;').messages, []);
  });

  test('what the up creates and the down keeps, pinned to the up statement', () => {
    const r = leftovers('CREATE TABLE t (id int);', 'ALTER TABLE t ADD COLUMN a int;\nCREATE INDEX t_id ON t (id);\nCREATE TABLE u (id int PRIMARY KEY);', 'DROP INDEX t_id;');
    assert.deepEqual(r.messages, ['column t.a is left behind by the down', 'table u is left behind by the down']);
    assert.deepEqual(r.at, ['ALTER TABLE t ADD COLUMN a int', 'CREATE TABLE u (id int PRIMARY KEY)']);
  });

  test('what the up drops or changes and the down does not put back', () => {
    const r = leftovers('CREATE TABLE t (id int, n text NOT NULL); CREATE INDEX t_n ON t (n);', 'DROP INDEX t_n;\nALTER TABLE t ALTER COLUMN n DROP NOT NULL;', '');
    assert.deepEqual(r.messages, ['index t_n is not restored by the down', 'column t.n differs after the down: was text not null, now text']);
  });

  test('DO blocks make the answer uncertain', () => {
    assert.equal(leftovers('', "DO $$ BEGIN EXECUTE 'CREATE TABLE x ()'; END $$;", '').opaque.up, 1);
  });
});
