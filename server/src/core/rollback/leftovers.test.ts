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
    assert.deepEqual(
      leftovers('CREATE TABLE t (id int);', 'ALTER TABLE t ADD COLUMN a int; CREATE INDEX t_a ON t (a);', 'DROP INDEX t_a; ALTER TABLE t DROP COLUMN a;')
        .messages,
      [],
    );
  });

  test('what the up creates and the down keeps, pinned to the up statement', () => {
    const r = leftovers(
      'CREATE TABLE t (id int);',
      'ALTER TABLE t ADD COLUMN a int;\nCREATE INDEX t_id ON t (id);\nCREATE TABLE u (id int PRIMARY KEY);',
      'DROP INDEX t_id;',
    );
    assert.deepEqual(r.messages, ['column t.a is left behind by the down', 'table u is left behind by the down']);
    assert.deepEqual(r.at, ['ALTER TABLE t ADD COLUMN a int', 'CREATE TABLE u (id int PRIMARY KEY)']);
  });

  test('what the up drops or changes and the down does not put back', () => {
    const r = leftovers(
      'CREATE TABLE t (id int, n text NOT NULL); CREATE INDEX t_n ON t (n);',
      'DROP INDEX t_n;\nALTER TABLE t ALTER COLUMN n DROP NOT NULL;',
      '',
    );
    assert.deepEqual(r.messages, ['index t_n is not restored by the down', 'column t.n differs after the down: was text not null, now text']);
  });

  test('DO blocks make the answer uncertain', () => {
    assert.equal(leftovers('', "DO $$ BEGIN EXECUTE 'CREATE TABLE x ()'; END $$;", '').opaque.up, 1);
  });

  test('types, sequences and functions the up creates and the down keeps', () => {
    const r = leftovers(
      '',
      "CREATE TYPE mood AS ENUM ('a');\nCREATE DOMAIN pos AS int;\nCREATE SEQUENCE s;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
      '',
    );
    assert.deepEqual(r.messages.sort(), [
      'domain pos is left behind by the down',
      'enum mood is left behind by the down',
      'function f() is left behind by the down',
      'sequence s is left behind by the down',
    ]);
  });

  test('storage parameters, replica identity, CLUSTER ON and column settings the down leaves changed', () => {
    const before = 'CREATE TABLE t (a text); CREATE INDEX t_a ON t (a);';
    const up =
      'ALTER TABLE t SET (fillfactor = 70), REPLICA IDENTITY FULL, CLUSTER ON t_a;\nALTER TABLE t ALTER a SET STORAGE external, ALTER a SET STATISTICS 500;';
    assert.deepEqual(leftovers(before, up, '').messages, [
      'settings of t differs after the down: was (nothing), now with (fillfactor=70) replica identity full cluster on t_a',
      'column t.a differs after the down: was text, now text storage external statistics 500',
    ]);
    const down =
      'ALTER TABLE t RESET (fillfactor), REPLICA IDENTITY DEFAULT, SET WITHOUT CLUSTER;\nALTER TABLE t ALTER a SET STORAGE extended, ALTER a SET STATISTICS -1;';
    assert.deepEqual(leftovers(before, up, down).messages, []);
  });

  test('a partitioned table dropped by the down takes its partitions', () => {
    const up = "CREATE TABLE e (at date) PARTITION BY RANGE (at);\nCREATE TABLE e_1 PARTITION OF e FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');";
    assert.deepEqual(leftovers('', up, 'DROP TABLE e;').messages, []);
  });

  test('a foreign key a DROP … CASCADE takes along is not restored by re-creating the table alone', () => {
    const schema = 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE c (id int, a_id int REFERENCES a);';
    // The up never names c: the CASCADE reaches it.
    const r = leftovers(schema, 'DROP TABLE a CASCADE;', 'CREATE TABLE a (id int PRIMARY KEY);');
    assert.deepEqual(r.messages, ['constraint c.c_a_id_fkey is not restored by the down']);
    assert.deepEqual(r.at, ['DROP TABLE a CASCADE']);
    const restored = leftovers(schema, 'DROP TABLE a CASCADE;', 'CREATE TABLE a (id int PRIMARY KEY);\nALTER TABLE c ADD FOREIGN KEY (a_id) REFERENCES a;');
    assert.deepEqual(restored.messages, []);
  });

  test('queries and data changes in the up decide nothing but its opaque count (the check cache keeps reports by DDL)', () => {
    const schema = 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE c (id int, a_id int REFERENCES a);';
    const down = 'CREATE TABLE a (id int PRIMARY KEY);';
    const plain = leftovers(schema, 'DROP TABLE a CASCADE;', down);
    const withData = leftovers(schema, 'DROP TABLE a CASCADE;\nUPDATE c SET id = 2;\nDELETE FROM c;\nSELECT id FROM c;\nINSERT INTO c (id) SELECT 1;', down);
    assert.deepEqual(withData.messages, plain.messages);
    assert.deepEqual([plain.opaque.up, withData.opaque.up], [0, 1]);
  });
});
