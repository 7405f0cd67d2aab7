import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render, testWorkspace } from '../../testing/rule-test';
import rule from './security-definer-search-path';

before(ready);

const fn = (options: string, body = 'SELECT 1') => `CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER ${options} AS $$ ${body} $$;`;

describe('security-definer-search-path', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the function name when no search_path is pinned', () => {
    const sql = 'create function app.is_admin() returns boolean language sql security definer as $$ select true $$;';
    assert.equal(
      render(sql, expectFlags(rule, sql)),
      `create function app.is_admin() returns boolean language sql security definer as $$ select true $$;
                ^^^^^^^^^^^^ security-definer-search-path: SECURITY DEFINER function app.is_admin does not pin search_path: it runs with its owner's privileges but resolves unqualified names through the caller's search_path, so a caller can shadow them with their own (or temporary) objects.`,
    );
  });

  test('flags paths that let untrusted or temporary schemas in', () => {
    assert.match(expectFlags(rule, fn('SET search_path = public'))[0].message, /and public is a schema other roles may create objects in/);
    assert.match(expectFlags(rule, fn('SET search_path = "$user", pg_catalog, pg_temp'))[0].message, /and \$user is a schema/);
    // pg_temp is searched first for tables and types unless it is listed last (PostgreSQL docs).
    assert.match(expectFlags(rule, fn('SET search_path = pg_catalog'))[0].message, /without pg_temp last/);
    assert.match(expectFlags(rule, fn('SET search_path = pg_temp, app'))[0].message, /without pg_temp last/);
  });

  test('accepts pg_catalog, trusted schemas and pg_temp last', () => {
    expectClean(rule, fn('SET search_path = pg_catalog, pg_temp'));
    expectClean(rule, fn('SET search_path = app, pg_temp'));
    expectClean(rule, 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;');
  });

  test('each SET argument is one schema, as PostgreSQL reads it (search_path is GUC_LIST_QUOTE)', () => {
    // SHOW search_path then says "pg_catalog, pg_temp": one schema of that name, so pg_temp is implicitly searched first.
    assert.match(expectFlags(rule, fn("SET search_path = 'pg_catalog, pg_temp'"))[0].message, /search_path = pg_catalog, pg_temp without pg_temp last/);
    assert.match(expectFlags(rule, fn("SET search_path TO 'app, public, pg_temp'"))[0].message, /without pg_temp last/);
    assert.match(
      expectFlags(rule, fn("SET search_path = 'pg_catalog, pg_temp'", 'SELECT count(*) FROM app.t'), {
        schema: 'CREATE SCHEMA app; CREATE TABLE app.t (a int);',
      })[0].message,
      /without pg_temp last/,
    );
    expectClean(rule, fn("SET search_path = 'pg_catalog', 'pg_temp'"));
  });

  test("SET search_path = '' is safe when the body names every table and type with its schema", () => {
    const schema = { schema: 'CREATE SCHEMA app; CREATE TABLE app.t (a int);' };
    expectClean(rule, fn("SET search_path = ''", 'SELECT count(*) FROM app.t WHERE a = 1::pg_catalog.int4'), schema);
    expectClean(rule, fn("SET search_path = ''", 'SELECT pg_catalog.now()'), schema);
    // Unqualified, t and text are looked up in pg_temp first.
    expectFlags(rule, fn("SET search_path = ''", 'SELECT count(*) FROM t'), schema);
    expectFlags(rule, fn("SET search_path = ''", "SELECT count(*) FROM app.t WHERE 'x'::text = ''"), schema);
    const pl = (decl: string) =>
      `CREATE FUNCTION app.g() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$ DECLARE ${decl}; BEGIN RETURN 1; END $$;`;
    expectClean(rule, pl('n integer'), schema);
    expectFlags(rule, pl('n mytype'), schema);
  });

  test('uses the final state: a later ALTER FUNCTION pins the path, or makes it invoker', () => {
    expectClean(rule, `${fn('')}\nALTER FUNCTION app.f() SET search_path = pg_catalog, pg_temp;`);
    expectClean(rule, `${fn('')}\nALTER FUNCTION app.f() SECURITY INVOKER;`);
    expectClean(rule, fn(''), {
      file: 'migration',
      files: {
        'migrations/2024-02-01-000000_fix/up.sql': 'ALTER FUNCTION app.f() SET search_path = pg_catalog, pg_temp;',
        'migrations/2024-02-01-000000_fix/down.sql': 'select 1;',
      },
    });
    expectFlags(rule, `${fn('SET search_path = pg_catalog, pg_temp')}\nALTER FUNCTION app.f() RESET search_path;`);
  });

  test('a function made SECURITY DEFINER by ALTER is reported at the ALTER, with a fix that pins the path there', () => {
    const sql = 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() SECURITY DEFINER;';
    const [f] = expectFlags(rule, sql);
    assert.equal(f.start, sql.indexOf('app.f() SECURITY'));
    assert.equal(
      expectFix(rule, sql),
      'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() SECURITY DEFINER SET search_path = pg_catalog, app, pg_temp;',
    );
  });

  test('overloads are told apart; procedures and PL/pgSQL functions are checked too', () => {
    const sql = `${fn('SET search_path = pg_catalog, pg_temp')}\nCREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT a $$;`;
    const findings = expectFlags(rule, sql);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].start, sql.indexOf('app.f(a int)'));
    expectFlags(rule, 'CREATE PROCEDURE app.p() LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN NULL; END $$;');
  });

  test('SET search_path FROM CURRENT pins the migration session path', () => {
    assert.match(expectFlags(rule, fn('SET search_path FROM CURRENT'))[0].message, /FROM CURRENT, which captures the migration session's \$user, public/);
    expectClean(rule, `SET search_path = app, pg_temp;\n${fn('SET search_path FROM CURRENT')}`);
    expectFlags(rule, `SELECT pg_catalog.set_config('search_path', 'public', false);\n${fn('SET search_path FROM CURRENT')}`);
  });

  test('the fix inserts the option before AS on a line of its own, keeping the indentation', () => {
    const sql = 'CREATE FUNCTION app.f() RETURNS int\n  LANGUAGE sql\n  SECURITY DEFINER\n  AS $$ SELECT 1 $$;';
    assert.equal(
      expectFix(rule, sql),
      'CREATE FUNCTION app.f() RETURNS int\n  LANGUAGE sql\n  SECURITY DEFINER\n  SET search_path = pg_catalog, app, pg_temp\n  AS $$ SELECT 1 $$;',
    );
  });

  test('the fix replaces a bad value, and keeps the schemas the body names unqualified', () => {
    const schema = 'CREATE SCHEMA app; CREATE TABLE app.users (id int, role text);';
    const sql = `${schema}\nCREATE FUNCTION public.is_admin(uid int) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = app AS $$\nBEGIN\n  RETURN (SELECT role = 'admin' FROM users WHERE id = uid);\nEND $$;`;
    assert.match(expectFix(rule, sql), /SECURITY DEFINER SET search_path = pg_catalog, app, pg_temp AS/);
    // Fully qualified body in public: nothing else is needed.
    assert.match(expectFix(rule, fn('SET search_path = public', 'SELECT count(*) FROM app.users')), /SET search_path = pg_catalog, app, pg_temp AS/);
    assert.match(
      expectFix(rule, 'CREATE FUNCTION public.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*)::int FROM app.users $$;'),
      /SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS/,
    );
  });

  test('no fix when the body needs public: pinning pg_catalog, pg_temp would break it', () => {
    const sql =
      'CREATE TABLE public.users (id int);\nCREATE FUNCTION public.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*) FROM users $$;';
    const [f] = expectFlags(rule, sql);
    assert.equal(f.fix, undefined);
    // An unqualified call may be an extension function installed in public.
    const ext =
      "CREATE EXTENSION pgcrypto;\nCREATE FUNCTION app.h(p text) RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT crypt(p, gen_salt('bf')) $$;";
    assert.equal(expectFlags(rule, ext)[0].fix, undefined);
  });

  test('a down migration is judged as written', () => {
    const { workspace } = testWorkspace('select 1;', { file: 'migration', down: fn(''), config: {} }, [rule]);
    const findings = workspace.analyze('migrations/2024-01-02-000000_test/down.sql').filter((f) => f.rule === rule.id);
    assert.equal(findings.length, 1);
  });

  test('a suppression comment with a reason silences it', () => {
    expectClean(rule, `-- pgdba-ignore security-definer-search-path -- only called by the owner role\n${fn('')}`);
  });
});
