import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './security-definer-public-execute';

before(ready);

const definer = (sig = 'app.f(a int)') =>
  `CREATE FUNCTION ${sig} RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;`;

describe('security-definer-public-execute', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the function name', () => {
    const sql = definer();
    assert.equal(
      render(sql, expectFlags(rule, sql)),
      `${sql}
                ^^^^^ security-definer-public-execute: SECURITY DEFINER function app.f can be called by every role: PostgreSQL grants EXECUTE to PUBLIC when a routine is created, and the workspace never revokes it, so anyone can run it with its owner's privileges.`,
    );
  });

  test('the fix appends a REVOKE for exactly this overload, with quoted names and only IN argument types', () => {
    assert.equal(expectFix(rule, definer()), `${definer().slice(0, -1)};\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;`);
    const odd = 'CREATE FUNCTION "My S".f(a int, OUT b text, VARIADIC c "My T"[]) RETURNS record LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1, \'x\' $$';
    assert.equal(expectFix(rule, odd), `${odd};\nREVOKE EXECUTE ON FUNCTION "My S".f(int, "My T"[]) FROM PUBLIC`);
    const proc = 'CREATE PROCEDURE app.p() LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;';
    assert.match(expectFix(rule, proc), /REVOKE EXECUTE ON PROCEDURE app\.p\(\) FROM PUBLIC;$/);
  });

  test('is clean once EXECUTE is revoked from PUBLIC, in any of the ways PostgreSQL allows', () => {
    expectClean(rule, `${definer()}\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;`);
    expectClean(rule, `${definer()}\nREVOKE ALL ON FUNCTION app.f(integer) FROM PUBLIC;`);
    expectClean(rule, `${definer()}\nREVOKE ALL ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;`);
    expectClean(rule, `ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n${definer()}`);
    expectClean(rule, `ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE EXECUTE ON ROUTINES FROM PUBLIC;\n${definer()}`);
    expectClean(rule, 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;');
  });

  test('trigger functions are exempt: PostgreSQL only lets their triggers call them', () => {
    expectClean(
      rule,
      'CREATE FUNCTION app.t() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN NEW; END $$;',
    );
    expectClean(
      rule,
      'CREATE FUNCTION app.t() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN NULL; END $$;',
    );
  });

  test('CREATE OR REPLACE keeps the earlier REVOKE; a later GRANT to PUBLIC undoes it', () => {
    const replaced = `${definer()}\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;\n${definer().replace('CREATE', 'CREATE OR REPLACE')}`;
    expectClean(rule, replaced);
    expectFlags(rule, `${replaced}\nGRANT EXECUTE ON FUNCTION app.f(int) TO PUBLIC;`);
    // The earlier migration revoked it; this one replaces the body.
    expectClean(rule, definer().replace('CREATE', 'CREATE OR REPLACE'), {
      file: 'migration',
      schema: `${definer()}\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;`,
    });
  });

  test('overloads are separate functions; revoking one leaves the other callable', () => {
    const sql = `${definer()}\n${definer('app.f(a text)')}\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;`;
    const findings = expectFlags(rule, sql);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].start, sql.indexOf('app.f(a text)'));
  });

  test('a function made SECURITY DEFINER by ALTER is reported at the ALTER', () => {
    const sql = 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() SECURITY DEFINER;';
    const [f] = expectFlags(rule, sql);
    assert.equal(f.start, sql.indexOf('app.f() SECURITY'));
    assert.match(expectFix(rule, sql), /SECURITY DEFINER;\nREVOKE EXECUTE ON FUNCTION app\.f\(\) FROM PUBLIC;$/);
  });

  test('a suppression comment with a reason silences it', () => {
    expectClean(rule, `-- pgdba-ignore security-definer-public-execute -- meant for every role\n${definer()}`);
  });
});
