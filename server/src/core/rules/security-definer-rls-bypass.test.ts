import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './security-definer-rls-bypass';

before(ready);

const schema = 'CREATE TABLE app.notes (id int, owner_id int);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nCREATE TABLE app.plain (id int);';
const pin = 'SET search_path = pg_catalog, pg_temp';

describe('security-definer-rls-bypass', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the table reference inside a PL/pgSQL body', () => {
    const sql = `CREATE FUNCTION app.purge(uid int) RETURNS void LANGUAGE plpgsql SECURITY DEFINER ${pin} AS $$
BEGIN
  DELETE FROM app.notes WHERE owner_id = uid;
END $$;`;
    assert.equal(
      render(sql, expectFlags(rule, sql, { schema })),
      `CREATE FUNCTION app.purge(uid int) RETURNS void LANGUAGE plpgsql SECURITY DEFINER ${pin} AS $$
BEGIN
  DELETE FROM app.notes WHERE owner_id = uid;
              ^^^^^^^^^ security-definer-rls-bypass: SECURITY DEFINER function app.purge writes app.notes, whose row level security is enabled but not forced: the function runs as its owner, and a table's owner bypasses its policies, so callers change rows the policies would protect.
END $$;`,
    );
  });

  test('resolves unqualified names through the pinned search_path, in SQL and PL/pgSQL bodies', () => {
    expectFlags(
      rule,
      `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, app, pg_temp AS $$ SELECT count(*) FROM notes $$;`,
      { schema },
    );
    expectFlags(
      rule,
      `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp AS $$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM notes; RETURN n; END $$;`,
      { schema },
    );
    // With pg_catalog, pg_temp only, `notes` is not app.notes.
    expectClean(rule, `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM notes $$;`, { schema });
  });

  test('is clean for invoker functions, forced RLS, tables without RLS, and CTE names', () => {
    expectClean(rule, `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM app.notes $$;`, { schema });
    expectClean(
      rule,
      `ALTER TABLE app.notes FORCE ROW LEVEL SECURITY;\nCREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.notes $$;`,
      { schema },
    );
    expectClean(rule, `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.plain $$;`, { schema });
    expectClean(
      rule,
      `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp AS $$ WITH notes AS (SELECT 1) SELECT count(*) FROM notes $$;`,
      { schema },
    );
  });

  test('judges the final state: definer through a later ALTER flags, a later SECURITY INVOKER clears it', () => {
    const create = `CREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql ${pin} AS $$ SELECT count(*) FROM app.notes $$;`;
    expectFlags(rule, `${create}\nALTER FUNCTION app.n() SECURITY DEFINER;`, { schema });
    expectClean(rule, `${create.replace('LANGUAGE sql', 'LANGUAGE sql SECURITY DEFINER')}\nALTER FUNCTION app.n() SECURITY INVOKER;`, { schema });
  });

  test('reports each table once per access, procedures included', () => {
    const sql = `CREATE PROCEDURE app.p() LANGUAGE sql SECURITY DEFINER ${pin} BEGIN ATOMIC\n  INSERT INTO app.notes SELECT * FROM app.notes;\n  UPDATE app.notes SET id = 1 WHERE id = 2;\nEND;`;
    const findings = expectFlags(rule, sql, { schema });
    assert.deepEqual(
      findings.map((f) => (f.message.includes('writes') ? 'write' : 'read')),
      ['write', 'read'],
    );
  });

  test('follows views (security_invoker or not) and EXECUTE of a literal string', () => {
    const views = `${schema}\nCREATE VIEW app.my_notes AS SELECT id FROM app.notes;\nCREATE VIEW app.inv_notes WITH (security_invoker = true) AS SELECT * FROM app.my_notes;\nCREATE VIEW app.plain_v AS SELECT * FROM app.plain;`;
    const fn = (body: string) => `CREATE FUNCTION app.f() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER ${pin} AS $$ BEGIN ${body} END $$;`;
    const sql = fn('RETURN (SELECT count(*) FROM app.my_notes);');
    const [f] = expectFlags(rule, sql, { schema: views });
    assert.equal(sql.slice(f.start, f.end), 'app.my_notes');
    assert.match(
      f.message,
      /reads app\.notes through view app\.my_notes, which is not security_invoker: PostgreSQL checks the view's tables, and applies their row level security, as the view's owner/,
    );
    expectFlags(rule, fn('RETURN (SELECT count(*) FROM app.inv_notes);'), { schema: views });
    expectClean(rule, fn('RETURN (SELECT count(*) FROM app.plain_v);'), { schema: views });
    expectFlags(rule, fn("EXECUTE 'DELETE FROM app.notes'; RETURN 0;"), { schema: views });
    expectClean(rule, fn("EXECUTE 'DELETE FROM app.plain'; RETURN 0;"), { schema: views });
    expectClean(rule, `CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM app.my_notes $$;`, { schema: views });
  });

  test('a suppression comment with a reason silences it', () => {
    expectClean(
      rule,
      `-- pgdba-ignore security-definer-rls-bypass -- counts only, no rows leave the function\nCREATE FUNCTION app.n() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.notes $$;`,
      { schema },
    );
  });
});
