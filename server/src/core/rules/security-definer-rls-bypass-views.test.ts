// security-definer-rls-bypass through views (security_invoker or not, subqueries of the view's query) and bodies confined to the current tenant.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectClean, expectFlags, ready, type RuleTestOptions } from '../../testing/rule-test';
import rule from './security-definer-rls-bypass';

before(ready);

const tables = `CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id uuid NOT NULL, body text);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
CREATE TABLE app.doc_items (id int PRIMARY KEY, doc_id int, tenant_id uuid NOT NULL);
ALTER TABLE app.doc_items ENABLE ROW LEVEL SECURITY;
CREATE TABLE app.plain (id int PRIMARY KEY);`;
const pin = 'SET search_path = pg_catalog, pg_temp';
const fn = (body: string) => `CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ ${body} $$;`;
const withViews = (views: string): RuleTestOptions => ({ schema: `${tables}\n${views}` });
/** Which message a finding carries (findings hold the rendered text). */
const messageId = (f: { message: string }) =>
  /through security_invoker view/.test(f.message) ? 'viaInvokerView' : /which is not security_invoker/.test(f.message) ? 'viaView' : 'direct';

describe('security-definer-rls-bypass: views', () => {
  test('a view without security_invoker is checked as its owner; one with it as the current user, the definer', () => {
    const o = withViews('CREATE VIEW app.v_owner AS SELECT * FROM app.docs;\nCREATE VIEW app.v_inv WITH (security_invoker = true) AS SELECT * FROM app.docs;');
    const [owner] = expectFlags(rule, fn('SELECT count(*) FROM app.v_owner'), o);
    assert.equal(messageId(owner), 'viaView');
    assert.match(
      owner.message,
      /reads app\.docs through view app\.v_owner, which is not security_invoker: PostgreSQL checks the view's tables, and applies their row level security, as the view's owner/,
    );
    assert.match(owner.help ?? '', /ALTER VIEW … SET \(security_invoker = true\)/);
    const [inv] = expectFlags(rule, fn('SELECT count(*) FROM app.v_inv'), o);
    assert.equal(messageId(inv), 'viaInvokerView');
    assert.match(
      inv.message,
      /reads app\.docs through security_invoker view app\.v_inv: the view's tables are checked as the current user, which inside a SECURITY DEFINER function is its owner/,
    );
    assert.doesNotMatch(inv.help ?? '', /ALTER VIEW/);
  });

  test('a write through an updatable view is a write', () => {
    const [f] = expectFlags(
      rule,
      fn('UPDATE app.v SET body = NULL WHERE id = 1'),
      withViews('CREATE VIEW app.v WITH (security_invoker) AS SELECT * FROM app.docs;'),
    );
    assert.equal(messageId(f), 'viaInvokerView');
    assert.match(f.message, /writes app\.docs through security_invoker view/);
  });

  test('security_invoker is read as PostgreSQL reads the option, through ALTER VIEW and CREATE OR REPLACE', () => {
    const kind = (views: string) => messageId(expectFlags(rule, fn('SELECT count(*) FROM app.v'), withViews(views))[0]);
    const view = 'CREATE VIEW app.v AS SELECT * FROM app.docs;';
    assert.equal(kind('CREATE VIEW app.v WITH (security_invoker) AS SELECT * FROM app.docs;'), 'viaInvokerView');
    assert.equal(kind("CREATE VIEW app.v WITH (security_invoker = 'yes') AS SELECT * FROM app.docs;"), 'viaInvokerView');
    assert.equal(kind('CREATE VIEW app.v WITH (security_invoker = 1) AS SELECT * FROM app.docs;'), 'viaInvokerView');
    assert.equal(kind('CREATE VIEW app.v WITH (security_invoker = off) AS SELECT * FROM app.docs;'), 'viaView');
    assert.equal(kind('CREATE VIEW app.v WITH (security_invoker = false, security_barrier) AS SELECT * FROM app.docs;'), 'viaView');
    assert.equal(kind(`${view}\nALTER VIEW app.v SET (security_invoker = true);`), 'viaInvokerView');
    assert.equal(kind(`${view}\nALTER VIEW app.v SET (security_invoker = true);\nALTER VIEW app.v RESET (security_invoker);`), 'viaView');
    // CREATE OR REPLACE VIEW replaces the options: without WITH the view is no longer security_invoker.
    assert.equal(
      kind('CREATE VIEW app.v WITH (security_invoker) AS SELECT * FROM app.docs;\nCREATE OR REPLACE VIEW app.v AS SELECT * FROM app.docs;'),
      'viaView',
    );
  });

  test('in a chain of views the view whose query reads the table decides', () => {
    // An owner-rights view reading a security_invoker view: the inner view's tables are checked as the role running the
    // query (PostgreSQL; see test/pg/view-rls-pglite.test.ts), here the definer.
    const inner = withViews(
      'CREATE VIEW app.inner_inv WITH (security_invoker) AS SELECT * FROM app.docs;\nCREATE VIEW app.outer_owner AS SELECT * FROM app.inner_inv;',
    );
    const [g] = expectFlags(rule, fn('SELECT count(*) FROM app.outer_owner'), inner);
    assert.equal(messageId(g), 'viaInvokerView');
    assert.match(g.message, /through security_invoker view app\.inner_inv/);

    const o = withViews(
      'CREATE VIEW app.inner_v AS SELECT * FROM app.docs;\nCREATE VIEW app.outer_v WITH (security_invoker) AS SELECT * FROM app.inner_v;\nCREATE VIEW app.inv2 WITH (security_invoker) AS SELECT * FROM app.outer_v;',
    );
    const [f] = expectFlags(rule, fn('SELECT count(*) FROM app.inv2'), o);
    assert.equal(messageId(f), 'viaView');
    assert.match(f.message, /through view app\.inner_v, which is not security_invoker/);
  });

  test('follows sublinks, CTEs and FROM subqueries of the view query', () => {
    const views = [
      'CREATE VIEW app.v_in AS SELECT p.id FROM app.plain p WHERE p.id IN (SELECT doc_id FROM app.doc_items);',
      'CREATE VIEW app.v_exists AS SELECT p.id FROM app.plain p WHERE EXISTS (SELECT 1 FROM app.docs d WHERE d.id = p.id);',
      'CREATE VIEW app.v_scalar AS SELECT p.id, (SELECT max(body) FROM app.docs) AS b FROM app.plain p;',
      'CREATE VIEW app.v_cte AS WITH d AS (SELECT id FROM app.docs) SELECT p.id FROM app.plain p JOIN d USING (id);',
      'CREATE VIEW app.v_from AS SELECT s.id FROM (SELECT id FROM app.doc_items) s;',
      'CREATE VIEW app.v_plain AS SELECT p.id FROM app.plain p WHERE p.id IN (SELECT id FROM app.plain);',
    ].join('\n');
    const o = withViews(views);
    for (const v of ['v_in', 'v_exists', 'v_scalar', 'v_cte', 'v_from']) {
      const [f] = expectFlags(rule, fn(`SELECT count(*) FROM app.${v}`), o);
      assert.match(f.message, new RegExp(`through view app\\.${v}`), v);
    }
    expectClean(rule, fn('SELECT count(*) FROM app.v_plain'), o);
  });
});

describe('security-definer-rls-bypass: bodies confined to the current tenant', () => {
  const ct = (currentTenant: string[], views = ''): RuleTestOptions => ({ schema: `${tables}\n${views}`, config: { tenant: { currentTenant } } });
  const setting = ct(["current_setting('app.tenant_id')::uuid"]);

  test('a body that pins the tenant column to the configured current tenant applies the policy itself', () => {
    for (const where of [
      "tenant_id = current_setting('app.tenant_id', true)::uuid",
      "tenant_id = CAST(current_setting('app.tenant_id') AS uuid)",
      "current_setting( 'app.tenant_id' )::uuid = tenant_id AND body IS NOT NULL",
      "tenant_id = pg_catalog.current_setting('APP.TENANT_ID')::pg_catalog.uuid",
      "tenant_id = (SELECT current_setting('app.tenant_id')::uuid)",
    ]) {
      expectClean(rule, fn(`SELECT count(*) FROM app.docs WHERE ${where}`), setting);
    }
    expectClean(rule, fn("UPDATE app.docs SET body = NULL WHERE id = 1 AND tenant_id = current_setting('app.tenant_id')::uuid"), setting);
    const pl = (body: string) =>
      `CREATE FUNCTION app.g() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER ${pin} AS $$ DECLARE n bigint; BEGIN ${body} RETURN n; END $$;`;
    expectClean(rule, pl("SELECT count(*) INTO n FROM app.docs WHERE tenant_id = current_setting('app.tenant_id')::uuid;"), setting);
    expectClean(rule, pl("EXECUTE 'DELETE FROM app.docs WHERE tenant_id = current_setting(''app.tenant_id'')::uuid';"), setting);
    expectFlags(rule, pl('SELECT count(*) INTO n FROM app.docs WHERE tenant_id IS NOT NULL;'), setting);
    // EXECUTE of a literal inside a single-quoted body ('' escapes twice over): placed nowhere in the file, still judged.
    const quoted = (where: string) =>
      `CREATE FUNCTION app.q() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER ${pin} AS 'DECLARE n bigint; BEGIN EXECUTE ''SELECT count(*) FROM app.docs WHERE ${where}'' INTO n; RETURN n; END';`;
    expectClean(rule, quoted("tenant_id = current_setting(''''app.tenant_id'''')::uuid"), setting);
    expectFlags(rule, quoted("body = ''''x''''"), setting);
  });

  test('a tenant-key join carries the pin; a join on another column does not', () => {
    const pinned = "WHERE d.tenant_id = current_setting('app.tenant_id')::uuid";
    expectClean(rule, fn(`SELECT count(*) FROM app.docs d JOIN app.doc_items i ON i.doc_id = d.id AND i.tenant_id = d.tenant_id ${pinned}`), setting);
    const [f] = expectFlags(rule, fn(`SELECT count(*) FROM app.docs d JOIN app.doc_items i ON i.doc_id = d.id ${pinned}`), setting);
    assert.match(f.message, /reads app\.doc_items/);
  });

  test("any other value is not the caller's tenant", () => {
    expectFlags(
      rule,
      `CREATE FUNCTION app.f(t uuid) RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.docs WHERE tenant_id = t $$;`,
      setting,
    );
    expectFlags(rule, fn("SELECT count(*) FROM app.docs WHERE tenant_id = current_setting('app.user_id')::uuid"), setting);
    expectFlags(rule, fn("SELECT count(*) FROM app.docs WHERE tenant_id = current_setting('app.tenant_id')::uuid OR body = 'x'"), setting);
    // Without tenant.currentTenant nothing is the current tenant.
    expectFlags(rule, fn("SELECT count(*) FROM app.docs WHERE tenant_id = current_setting('app.tenant_id')::uuid"), { schema: tables });
    // An INSERT bypasses WITH CHECK whatever it writes.
    expectFlags(rule, fn("INSERT INTO app.docs (id, tenant_id) VALUES (1, current_setting('app.tenant_id')::uuid) RETURNING 1"), setting);
  });

  test("Supabase's auth.uid(), bare or in its (select …) wrapper, in the body or in the view", () => {
    const uid = ct(
      ['auth.uid()'],
      'CREATE VIEW app.mine AS SELECT * FROM app.docs WHERE tenant_id = (select auth.uid());\nCREATE VIEW app.everyone AS SELECT * FROM app.docs;',
    );
    expectClean(rule, fn('SELECT count(*) FROM app.docs WHERE tenant_id = (select "auth"."uid"())'), uid);
    expectClean(rule, fn('SELECT count(*) FROM app.mine'), uid);
    expectClean(rule, fn('SELECT count(*) FROM app.everyone WHERE tenant_id = auth.uid()'), uid);
    expectFlags(rule, fn('SELECT count(*) FROM app.everyone'), uid);
    expectFlags(rule, fn('SELECT count(*) FROM app.docs WHERE tenant_id = auth.other()'), uid);
  });

  test('inside a view only the references it confines are spared', () => {
    const views = [
      "CREATE VIEW app.half AS SELECT d.id, i.id AS item FROM app.docs d JOIN app.doc_items i ON i.doc_id = d.id WHERE d.tenant_id = current_setting('app.tenant_id')::uuid;",
      'CREATE VIEW app.both_v AS SELECT d.tenant_id, d.id, i.id AS item FROM app.docs d JOIN app.doc_items i ON i.doc_id = d.id AND i.tenant_id = d.tenant_id;',
      "CREATE VIEW app.nested AS SELECT * FROM app.both_v WHERE tenant_id = current_setting('app.tenant_id')::uuid;",
    ].join('\n');
    const o = ct(["current_setting('app.tenant_id')::uuid"], views);
    const findings = expectFlags(rule, fn('SELECT count(*) FROM app.half'), o);
    assert.deepEqual(
      findings.map((f) => /reads (\S+) through/.exec(f.message)?.[1]),
      ['app.doc_items'],
    );
    expectClean(rule, fn("SELECT count(*) FROM app.both_v WHERE tenant_id = current_setting('app.tenant_id')::uuid"), o);
    expectClean(rule, fn('SELECT count(*) FROM app.nested'), o);
    assert.equal(expectFlags(rule, fn('SELECT count(*) FROM app.both_v'), o).length, 2);
  });
});
