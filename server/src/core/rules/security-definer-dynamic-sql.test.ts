import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './security-definer-dynamic-sql';

before(ready);

/** A PL/pgSQL function with parameters `t text, n int, r regclass` running `stmts`. */
const fn = (stmts: string, opts = 'SECURITY DEFINER SET search_path = pg_catalog, pg_temp', declare = 'v text; q text; rec record;') =>
  `CREATE FUNCTION app.f(t text, n int, r regclass) RETURNS void LANGUAGE plpgsql ${opts} AS $$\nDECLARE ${declare}\nBEGIN\n  ${stmts}\nEND $$;`;

describe('security-definer-dynamic-sql', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the EXECUTE keyword inside the body', () => {
    const sql = fn("EXECUTE 'DELETE FROM ' || t;");
    assert.equal(
      render(sql, expectFlags(rule, sql)),
      `CREATE FUNCTION app.f(t text, n int, r regclass) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v text; q text; rec record;
BEGIN
  EXECUTE 'DELETE FROM ' || t;
  ^^^^^^^ security-definer-dynamic-sql: EXECUTE in SECURITY DEFINER function app.f runs SQL concatenated from t without quote_ident/quote_literal/format %I/%L: a value containing a quote can inject SQL that runs with the owner's privileges.
END $$;`,
    );
  });

  test('flags concatenation, concat(), concat_ws() and format() %s of unquoted text', () => {
    expectFlags(rule, fn("EXECUTE concat('DELETE FROM ', t);"));
    expectFlags(rule, fn("EXECUTE concat_ws(' ', 'DELETE FROM', t);"));
    assert.match(expectFlags(rule, fn("EXECUTE format('DELETE FROM %s', t);"))[0].message, /formatted with %s from t/);
    expectFlags(rule, fn("EXECUTE format('SELECT %2$s, %1$I', t, t);"));
    expectFlags(rule, fn("EXECUTE 'SELECT ' || upper(t);"));
    expectFlags(rule, fn("EXECUTE 'SELECT ' || $1;"));
  });

  test('flags record fields and query results, and follows local variables to their assignments', () => {
    assert.match(
      expectFlags(rule, fn("FOR rec IN SELECT tablename FROM pg_tables LOOP EXECUTE 'ANALYZE ' || rec.tablename; END LOOP;"))[0].message,
      /rec\.tablename/,
    );
    expectFlags(rule, fn("SELECT name INTO v FROM app.jobs LIMIT 1; EXECUTE 'DROP TABLE ' || v;"));
    assert.match(expectFlags(rule, fn("q := 'DELETE FROM ' || t; EXECUTE q;"))[0].message, /from t \(through q\)/);
    expectFlags(rule, fn('EXECUTE t;'));
  });

  test('is clean for literals, quoting functions, format %I/%L, USING parameters and non-text values', () => {
    expectClean(rule, fn("EXECUTE 'SELECT 1';"));
    expectClean(rule, fn("EXECUTE 'SELECT $1' USING t;"));
    expectClean(rule, fn("EXECUTE 'DELETE FROM ' || quote_ident(t) || ' WHERE x = ' || quote_literal(t) || ' OR y = ' || quote_nullable(t);"));
    expectClean(rule, fn("EXECUTE format('DELETE FROM %I WHERE x = %L AND y = %%s', t, t);"));
    expectClean(rule, fn("EXECUTE format('SELECT %s FROM %I', n, t);"));
    expectClean(rule, fn("EXECUTE 'SELECT * FROM ' || r || ' LIMIT ' || n;"));
    expectClean(rule, fn("EXECUTE 'SELECT * FROM ' || t::regclass;"));
    expectClean(rule, fn("q := 'SELECT * FROM ' || quote_ident(t); q := q || ' LIMIT 1'; EXECUTE q;"));
    expectClean(rule, fn("v := 'SELECT 1'; RETURN;"));
  });

  test('checks invoker functions too (with their own wording); DO blocks and other languages are left alone', () => {
    assert.match(expectFlags(rule, fn("EXECUTE 'DELETE FROM ' || t;", ''))[0].message, /^EXECUTE in function app\.f runs SQL/);
    expectClean(rule, "DO $$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables LOOP EXECUTE 'ANALYZE ' || r.tablename; END LOOP; END $$;");
    expectClean(rule, 'CREATE FUNCTION app.g(t text) RETURNS void LANGUAGE sql AS $$ SELECT t $$;');
  });

  test('trigger functions: TG_OP is a fixed word, TG_TABLE_NAME and NEW fields are not', () => {
    const trig = (stmt: string) => `CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  ${stmt}\n  RETURN NEW;\nEND $$;`;
    expectClean(rule, trig("EXECUTE 'SELECT ' || quote_literal(TG_OP);"));
    expectClean(rule, trig("EXECUTE 'NOTIFY ' || TG_OP;"));
    expectFlags(rule, trig("EXECUTE 'INSERT INTO audit_' || TG_TABLE_NAME || ' VALUES (1)';"));
    expectFlags(rule, trig("EXECUTE 'SELECT ' || NEW.name;"));
    // NEW.id is safe when every table's id column has a non-text type (the catalog does not know which table fires the trigger).
    const tables = 'CREATE TABLE app.teams (id serial, name text);\nCREATE TABLE app.pipelines (id bigint, name text);';
    expectClean(rule, trig("EXECUTE format('CREATE TABLE IF NOT EXISTS team_events_%s ()', NEW.id);"), { schema: tables });
    expectFlags(rule, trig("EXECUTE format('CREATE TABLE IF NOT EXISTS team_events_%s ()', NEW.name);"), { schema: tables });
  });

  test('RETURN QUERY EXECUTE, FOR … IN EXECUTE and OPEN … FOR EXECUTE are dynamic too', () => {
    const setof = (stmt: string) =>
      `CREATE FUNCTION app.g(t text) RETURNS SETOF record LANGUAGE plpgsql AS $$\nDECLARE rec record; c refcursor;\nBEGIN\n  ${stmt}\nEND $$;`;
    expectFlags(rule, setof("RETURN QUERY EXECUTE 'SELECT * FROM ' || t;"));
    expectFlags(rule, setof("FOR rec IN EXECUTE 'SELECT * FROM ' || t LOOP RETURN NEXT rec; END LOOP;"));
    expectFlags(rule, setof("OPEN c FOR EXECUTE 'SELECT * FROM ' || t;"));
  });

  test('a suppression comment with a reason silences it', () => {
    expectClean(rule, `-- pgdba-ignore security-definer-dynamic-sql -- t is checked against pg_tables first\n${fn("EXECUTE 'DELETE FROM ' || t;")}`);
  });
});
