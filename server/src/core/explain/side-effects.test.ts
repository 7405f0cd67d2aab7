// Which calls EXPLAIN ANALYZE must refuse: found through the AST of statements and routine bodies; harmless calls are not.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser, parseSql } from '../parse/parse';
import { calledFunctions, routineCalls, sideEffectsOf } from './side-effects';

before(async () => {
  await initParser();
});

const effectsOf = (sql: string) => sideEffectsOf(calledFunctions(parseSql(sql).statements[0].node)).map((e) => e.name);

describe('side-effecting calls', () => {
  test('flagged wherever they sit in the statement', () => {
    assert.deepEqual(effectsOf('SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_stat_activity'), ['pg_terminate_backend']);
    assert.deepEqual(effectsOf("SELECT * FROM t WHERE EXISTS (SELECT dblink_exec('x', 'DELETE FROM y'))"), ['dblink_exec']);
    assert.deepEqual(effectsOf("WITH l AS (SELECT pg_try_advisory_lock(1)) UPDATE t SET a = setval('s', 1)"), ['pg_try_advisory_lock', 'setval']);
    assert.deepEqual(effectsOf("SELECT lo_import('/etc/passwd'), pg_notify('c', 'x'), pg_stat_reset_shared('bgwriter')"), [
      'lo_import',
      'pg_notify',
      'pg_stat_reset_shared',
    ]);
    assert.deepEqual(effectsOf('SELECT pg_switch_wal(), pg_create_restore_point($1)'), ['pg_create_restore_point', 'pg_switch_wal']);
  });

  test('not flagged: nextval (measured instead), reads, ordinary functions', () => {
    for (const sql of [
      "INSERT INTO t VALUES (nextval('s'))",
      'SELECT now(), lower(name), count(*) FROM t',
      "SELECT pg_read_file('x'), pg_sleep(1)",
      'SELECT lock_timeout FROM t',
      "SELECT set_config('a.b', 'c', true)",
    ]) {
      assert.deepEqual(effectsOf(sql), [], sql);
    }
  });

  test('routine bodies: PL/pgSQL expressions and statements, SQL string bodies and BEGIN ATOMIC', () => {
    const pl = routineCalls(
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int := setval('s', 5); BEGIN PERFORM pg_notify('c', 'x'); RETURN g(1); END $$",
      'plpgsql',
    );
    assert.deepEqual([...pl.names].sort(), ['g', 'pg_notify', 'setval']);
    assert.deepEqual(
      [...routineCalls('CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS $$ SELECT pg_reload_conf()::int + a $$', 'sql').names],
      ['pg_reload_conf'],
    );
    assert.deepEqual(
      [...routineCalls('CREATE FUNCTION h() RETURNS bool LANGUAGE sql BEGIN ATOMIC SELECT pg_switch_wal() IS NULL; END', 'sql').names],
      ['pg_switch_wal'],
    );
    assert.deepEqual(
      [...routineCalls("CREATE FUNCTION c() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COPY t TO PROGRAM 'rm -rf /'; END $$", 'plpgsql').names],
      [],
    );
    assert.equal(
      routineCalls("CREATE FUNCTION c() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COPY t TO PROGRAM 'rm -rf /'; END $$", 'plpgsql').copyProgram,
      true,
    );
  });
});
