import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render } from '../testing/rule-test';
import rule from './unbounded-write';

before(ready);

describe('unbounded-write', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table of an UPDATE without WHERE', () => {
    const sql = 'update public.accounts set plan = 1;';
    const findings = expectFlags(rule, sql);
    assert.equal(render(sql, findings), `update public.accounts set plan = 1;
       ^^^^^^^^^^^^^^^ unbounded-write: UPDATE of public.accounts has no WHERE clause: it rewrites every row and holds a ROW EXCLUSIVE lock with row locks on all of them.`);
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
