// Tests for changesData: which statements EXPLAIN ANALYZE would make write (and so need the user's confirmation first).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseSql } from '../parse/parse';
import { changesData } from './changes-data';

before(async () => {
  await initParser();
});

const writes = (sql: string) => {
  const [s] = parseSql(sql).statements;
  return changesData(s.kind, s.node);
};

test('DML, data-modifying CTEs, SELECT INTO, CREATE TABLE AS and EXECUTE change data', () => {
  for (const sql of [
    'update t set a = 1 where id = 2',
    'insert into t values (1)',
    'delete from t where id = 1',
    'merge into t using s on t.id = s.id when matched then delete',
    'with gone as (delete from t where id = 1 returning *) select * from gone',
    'select * into t2 from t',
    'create table t2 as select * from t',
    'execute stmt(1)',
  ]) {
    assert.equal(writes(sql), true, sql);
  }
});

test('plain reads do not', () => {
  for (const sql of ['select * from t where id = $1', 'with x as (select 1) select * from x', 'values (1), (2)', 'select * from t for update']) {
    assert.equal(writes(sql), false, sql);
  }
});
