import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../catalog/types';
import { initParser, parseSql } from '../parse/parse';
import { trackCreated } from './created-in-file';
import { blocks, blocksText, locksOf, timeoutSetting } from './locks';

before(async () => {
  await initParser();
});

function locks(sql: string) {
  const parsed = parseSql(sql);
  const created = trackCreated({
    statements: parsed.statements,
    catalog: emptyCatalog(),
    file: { path: 'm.sql', role: 'migration-up', transaction: 'wrapped' },
  });
  return parsed.statements.map((s) => locksOf(parsed, s, created).map((l) => `${l.table} ${l.mode}${l.isNew ? ' new' : ''}`));
}

describe('locks', () => {
  test('PostgreSQL 15 lock levels per statement and ALTER TABLE subcommand', () => {
    assert.deepEqual(
      locks(
        [
          'alter table t add column a int',
          'alter table t validate constraint c',
          'alter table t add constraint f foreign key (a) references u (id)',
          'alter table t set (fillfactor = 70), alter column a set statistics 100',
          'alter table t disable trigger all',
          'create index on t (a)',
          'create index concurrently on t (a)',
          'refresh materialized view concurrently m',
          'lock table t in share mode',
          'create table p1 partition of p for values in (1)',
          'create table c (u_id int references u (id))',
          'vacuum full t',
          'update t set a = 1',
          'truncate t, u',
        ].join(';\n'),
      ),
      [
        ['public.t ACCESS EXCLUSIVE'],
        ['public.t SHARE UPDATE EXCLUSIVE'],
        ['public.t SHARE ROW EXCLUSIVE', 'public.u SHARE ROW EXCLUSIVE'],
        ['public.t SHARE UPDATE EXCLUSIVE'],
        ['public.t SHARE ROW EXCLUSIVE'],
        ['public.t SHARE'],
        ['public.t SHARE UPDATE EXCLUSIVE'],
        ['public.m EXCLUSIVE'],
        ['public.t SHARE'],
        ['public.p ACCESS EXCLUSIVE'],
        ['public.u SHARE ROW EXCLUSIVE'],
        ['public.t ACCESS EXCLUSIVE'],
        ['public.t ROW EXCLUSIVE'],
        ['public.t ACCESS EXCLUSIVE', 'public.u ACCESS EXCLUSIVE'],
      ],
    );
  });

  test('tables created in the file are marked new', () => {
    assert.deepEqual(locks('create table t (a int);\nalter table t add column b int')[1], ['public.t ACCESS EXCLUSIVE new']);
  });

  test('lock_timeout set by SET or by a set_config call, however it is written', () => {
    const settings = (sql: string) => parseSql(sql).statements.map((s) => timeoutSetting(s));
    assert.deepEqual(
      settings(
        [
          "set local lock_timeout = '2s'",
          "select set_config('lock_timeout', '3s', false)",
          "SELECT PG_CATALOG.SET_CONFIG('lock_timeout', '0', true)",
          `select U&"set\\005fconfig"('lock_timeout', '1s', false)`,
          "select 'set_config' from t",
          'alter table t add column a int',
        ].join(';\n'),
      ),
      [{ on: true, local: true }, { on: true, local: false }, { on: false, local: true }, { on: true, local: false }, undefined, undefined],
    );
  });

  test('what each mode blocks', () => {
    assert.deepEqual(blocks('ACCESS EXCLUSIVE'), { reads: true, writes: true, ddl: true });
    assert.deepEqual(blocks('SHARE'), { reads: false, writes: true, ddl: true });
    assert.deepEqual(blocks('SHARE UPDATE EXCLUSIVE'), { reads: false, writes: false, ddl: true });
    assert.equal(blocksText('SHARE ROW EXCLUSIVE'), 'writes and DDL');
  });
});
