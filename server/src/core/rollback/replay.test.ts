// The generated down is replayed on the catalog after its up: steps PostgreSQL would reject, or that CASCADE widens, are marked for review.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../parse/parse';
import { replayDown } from './replay';
import { catalogOf, rollbackOf } from './test-helpers';

before(() => initParser());

const replay = (schema: string, down: string[]) => [...replayDown(catalogOf(schema), down, [], 'down.sql').entries()];

describe('rollback replay', () => {
  test('a column default set after the column was dropped is rejected', () => {
    const r = replay('create table t (id int, c int);', ['ALTER TABLE t DROP COLUMN c', 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 1']);
    assert.deepEqual(
      r.map(([i]) => i),
      [1],
    );
    assert.match(r[0][1], /column c of public\.t does not exist/);
  });

  test('renaming or dropping an index after dropping it is rejected; IF EXISTS is not', () => {
    const schema = 'create table t (id int);\ncreate index t_i on t (id);';
    assert.deepEqual(
      replay(schema, ['DROP INDEX t_i', 'ALTER INDEX t_i RENAME TO t_j']).map(([i]) => i),
      [1],
    );
    assert.deepEqual(
      replay(schema, ['DROP INDEX t_i', 'DROP INDEX t_i']).map(([i]) => i),
      [1],
    );
    assert.deepEqual(replay(schema, ['DROP INDEX t_i', 'DROP INDEX IF EXISTS t_i']), []);
  });

  test('DROP TABLE … CASCADE that drops foreign keys of other tables is marked', () => {
    const r = replay('create table p (id int primary key);\ncreate table c (pid int constraint c_fk references p (id));', ['DROP TABLE p CASCADE']);
    assert.match(r[0]?.[1] ?? '', /CASCADE also drops c_fk on public\.c/);
    assert.deepEqual(replay('create table p (id int primary key);', ['DROP TABLE p CASCADE']), []);
  });

  test('a valid down needs no review', () => {
    assert.deepEqual(replay('create table t (id int, c int);', ['ALTER TABLE t ALTER COLUMN c SET DEFAULT 1', 'ALTER TABLE t DROP COLUMN c']), []);
  });
});

describe('generated rollback file', () => {
  test('sets lock_timeout first (it takes the same locks as any migration), unless the up already sets one', () => {
    const r = rollbackOf('create table t (id int);', 'alter table t add column c int;', { header: true });
    assert.match(r.sql, /^-- Rollback[^\n]*\nSET lock_timeout = '5s';\nALTER TABLE t DROP COLUMN c;/);
    assert.equal(
      rollbackOf('create table t (id int);', "set lock_timeout = '1s';\nalter table t add column c int;", { header: true }).sql.match(/lock_timeout/g)?.length,
      1,
    );
    assert.equal(r.needsReview, 0);
  });

  test('an index absorbed by ADD PRIMARY KEY USING INDEX is built again after the constraint is dropped', () => {
    const r = rollbackOf('create table t (id int);\ncreate unique index t_id on t (id);', 'alter table t add constraint t_pkey primary key using index t_id;');
    assert.equal(r.sql.trim(), 'ALTER TABLE t DROP CONSTRAINT t_pkey;\nCREATE UNIQUE INDEX t_id ON t (id);');
  });
});
