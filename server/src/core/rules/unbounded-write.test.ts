import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render, runRule } from '../../testing/rule-test';
import rule from './unbounded-write';

before(ready);

describe('unbounded-write', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table of an UPDATE without WHERE', () => {
    const sql = 'update public.accounts set plan = 1;';
    const findings = expectFlags(rule, sql);
    assert.equal(
      render(sql, findings),
      `update public.accounts set plan = 1;
       ^^^^^^^^^^^^^^^ unbounded-write: UPDATE of public.accounts has no WHERE clause: it rewrites every row and holds a ROW EXCLUSIVE lock with row locks on all of them.`,
    );
  });

  test('flags a DELETE hidden in a CTE and an UPDATE … FROM without WHERE', () => {
    expectFlags(rule, 'with d as (delete from t returning *) insert into archive select * from d;');
    expectFlags(rule, 'update t set a = s.a from s;');
  });

  test('a WHERE that is always true bounds nothing', () => {
    for (const w of ['true', '1 = 1', "'a' = 'a'", 'id = $1 OR true', 'true AND 1 = 1', "'t'::boolean", 'NOT false', '1 <> 2'])
      assert.match(expectFlags(rule, `delete from t where ${w};`)[0].message, /always true/, w);
    expectFlags(rule, 'update t set a = 1 where 1=1;');
    for (const w of ['false', '1 = 2', 'id = $1 AND true', 'a = a', '$1 = $1', 'now() = now()']) expectClean(rule, `delete from t where ${w};`);
  });

  test('is clean with any WHERE, including a subquery one', () => {
    expectClean(rule, 'update t set a = 1 where id in (select id from s);');
    expectClean(rule, 'delete from t using s where t.id = s.id;');
    expectClean(rule, 'select * from t;');
  });

  test('in migrations a DELETE of every row is flagged, a whole-table backfill UPDATE only when asked for', () => {
    expectFlags(rule, 'delete from t;', { file: 'migration' });
    expectClean(rule, 'update t set a = 1;', { file: 'migration' });
    expectFlags(rule, 'update t set a = 1;', { file: 'migration', config: { unbounded: { checkMigrationBackfills: true } } });
    expectClean(rule, '-- pgdba-ignore unbounded-write -- the table is emptied on purpose\ndelete from t;', { file: 'migration' });
  });
});

describe('unbounded-write in routine bodies', () => {
  test('DELETE / UPDATE of every row inside a SQL or PL/pgSQL function, placed in the body', () => {
    const sql = 'create function purge() returns void language plpgsql as $$ begin delete from jobs; end $$;';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'jobs');
    expectFlags(rule, 'create function reset() returns void language sql as $$ update jobs set done = false $$;');
    expectFlags(rule, 'create procedure reset() language sql begin atomic update jobs set done = false; end;');
    assert.equal(runRule(rule, 'create procedure reset() language sql begin atomic update jobs set done = false; end;').length, 1);
    expectFlags(rule, "create function purge() returns void language plpgsql as $$ begin execute 'delete from jobs'; end $$;");
    expectFlags(rule, 'create function purge() returns void language plpgsql as $$ begin delete from jobs where true; end $$;');
  });

  test('bounded writes, and writes bounded by a parameter, are clean', () => {
    expectClean(rule, 'create function purge(p_id bigint) returns void language plpgsql as $$ begin delete from jobs where id = p_id; end $$;');
    expectClean(rule, 'create function purge(bigint) returns void language sql as $$ delete from jobs where id = $1 $$;');
  });

  test('function bodies are runtime code in migrations too; a DO block backfill follows the file', () => {
    const m = { file: 'migration' as const };
    expectFlags(rule, 'create function reset() returns void language sql as $$ update jobs set done = false $$;', m);
    expectClean(rule, 'do $$ begin update jobs set done = false; end $$;', m);
    expectFlags(rule, 'do $$ begin delete from jobs; end $$;', m);
  });
});
