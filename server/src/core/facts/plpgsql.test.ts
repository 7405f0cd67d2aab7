import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSql } from '../parse/parse';
import { ready, testWorkspace } from '../../testing/rule-test';
import { FileFacts } from './file-facts';
import type { RoutineBody } from './plpgsql';
import { bodyOf, routinesFact, type FileRoutines } from './routines';

before(ready);

function routines(sql: string): { facts: FileFacts; all: FileRoutines } {
  const { workspace, path, config } = testWorkspace(sql);
  const parsed = parseSql(sql);
  const facts = new FileFacts({ file: workspace.fileParts(path)[0], parsed, statements: parsed.statements, catalog: workspace.catalog(), config });
  return { facts, all: facts.get(routinesFact) };
}

function body(sql: string, index = 0): RoutineBody {
  const { facts, all } = routines(sql);
  return bodyOf(facts, all.routines[index]);
}

/** The file text at a table reference or embedded statement. */
const at = (sql: string, r: { start: number; end: number }) => sql.slice(r.start, r.end);

describe('routines fact', () => {
  test('reads the header: name range, language, SECURITY DEFINER, SET search_path clause, where options go', () => {
    const sql =
      'create or replace function app.f(a int, out b text) returns text\n  language plpgsql security definer\n  set search_path = public, pg_temp\n  as $$ begin b := a; end $$;';
    const { all } = routines(sql);
    const r = all.routines[0];
    assert.equal(at(sql, r.nameRange), 'app.f');
    assert.equal(r.language, 'plpgsql');
    assert.equal(r.securityDefiner, true);
    assert.deepEqual(r.params, ['a']);
    assert.equal(at(sql, r.searchPathClause!), 'set search_path = public, pg_temp');
    assert.equal(sql.slice(r.optionInsertAt, r.optionInsertAt + 5), 'as $$');
    assert.equal(r.definition?.key, 'app.f');
  });

  test('places embedded SQL of a PL/pgSQL body in the file, through blanked INTO clauses and PERFORM', () => {
    const sql = `create function f(p int) returns int language plpgsql as $body$
declare
  n int := (select count(*) from counted);
begin
  select id
    into strict n
    from public.things where id = p;
  perform   touch(p) from touched;
  n := (select max(id) from maxed);
  with w as (select 1) insert into written select * from w;
  update updated set x = 1 returning x into n;
  return n;
end $body$;`;
    const b = body(sql);
    const tables = b.sql.flatMap((q) => q.tables.map((t) => `${t.access} ${at(sql, t)}`));
    assert.deepEqual(tables, ['read counted', 'read public.things', 'read touched', 'read maxed', 'write written', 'write updated']);
    const select = b.sql.find((q) => q.text.startsWith('select id'))!;
    assert.equal(sql.slice(select.start, select.start! + 9), 'select id');
    const perform = b.sql.find((q) => q.plStmt === 'perform')!;
    assert.equal(sql.slice(perform.start, perform.start! + 7), 'perform');
    const assign = b.sql.find((q) => q.kind === 'assignment')!;
    assert.equal(assign.target, 'n');
    assert.deepEqual(b.problems, []);
  });

  test('finds each EXECUTE keyword, its string expression and its USING parameters', () => {
    const sql = `create function f(t text) returns void language plpgsql as $$
begin
  execute 'select 1';
  EXECUTE format('select %I', t) using t, 1;
end $$;`;
    const b = body(sql);
    assert.equal(b.executes.length, 2);
    assert.deepEqual(
      b.executes.map((e) => at(sql, e.keyword!)),
      ['execute', 'EXECUTE'],
    );
    assert.equal(sql.indexOf('EXECUTE'), b.executes[1].keyword!.start);
    assert.equal(b.executes[1].usingParams, 2);
    assert.equal(Object.keys(b.executes[1].sql.expr ?? {})[0], 'FuncCall');
    const two = "create function g() returns void language plpgsql as $$ begin execute 'a'; execute 'b'; end $$;";
    assert.deepEqual(
      body(two).executes.map((e) => e.keyword!.start),
      [two.indexOf("execute 'a'"), two.indexOf("execute 'b'")],
    );
  });

  test('maps single-quoted bodies with doubled quotes and non-ASCII text', () => {
    const sql = "create function g() returns int language sql as 'select count(*) from \"Jörg\" where name = ''é'' and x in (select 1 from löcal)';";
    const b = body(sql);
    assert.deepEqual(
      b.sql[0].tables.map((t) => at(sql, t)),
      ['"Jörg"', 'löcal'],
    );
  });

  test('SQL-standard bodies (BEGIN ATOMIC) and DO blocks', () => {
    const sql = 'create procedure p() begin atomic insert into app.log values (1); select * from app.seen; end;\ndo $$ begin delete from gone; end $$;';
    const { facts, all } = routines(sql);
    const [p, d] = all.routines;
    assert.equal(p.kind, 'procedure');
    assert.deepEqual(
      bodyOf(facts, p).sql.flatMap((q) => q.tables.map((t) => `${t.access} ${at(sql, t)}`)),
      ['write app.log', 'read app.seen'],
    );
    assert.equal(d.kind, 'do');
    assert.equal(d.language, 'plpgsql');
    assert.deepEqual(
      bodyOf(facts, d).sql.flatMap((q) => q.tables.map((t) => at(sql, t))),
      ['gone'],
    );
  });

  test('variables: parameters, declared, implicit, and the ones filled from query results', () => {
    const sql = `create function f(p text) returns void language plpgsql as $$
declare r record; v text; k int;
begin
  select name into v from t;
  for r in select * from t loop null; end loop;
end $$;`;
    const vars = Object.fromEntries(body(sql).variables.map((v) => [v.name, v]));
    assert.equal(vars.p.param, true);
    assert.equal(vars.v.fromData, true);
    assert.equal(vars.r.fromData, true);
    assert.equal(vars.k.fromData, false);
    assert.equal(vars.k.declared, true);
    assert.equal(vars.found.declared, false);
  });

  test('a body that does not compile becomes a problem, never an exception', () => {
    const sql =
      'create function f() returns int language plpgsql as $$ begin retrun 1; end $$;\ncreate function g() returns int language sql as $$ selec 1 $$;';
    assert.match(body(sql, 0).problems[0], /does not compile/);
    assert.match(body(sql, 1).problems[0], /SQL body/);
  });

  test('matches catalog state: a later CREATE OR REPLACE owns the definition; an ALTER that makes a function definer is listed', () => {
    const sql =
      'create function f() returns int language sql as $$ select 1 $$;\ncreate or replace function f() returns int language sql as $$ select 2 $$;\nalter function f() security definer;';
    const { all } = routines(sql);
    assert.equal(all.routines[0].definition, undefined);
    assert.equal(all.routines[1].definition?.securityDefiner, true);
    assert.equal(all.alters.length, 1);
    assert.equal(at(sql, all.alters[0].nameRange), 'f');
  });
});
