// view-bypasses-rls: views over row-level-secured tables without security_invoker, materialized views over them, and what exempts a view.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready, render } from '../../testing/rule-test';
import rule from './view-bypasses-rls';

before(ready);

const secured = `CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id uuid NOT NULL, owner_id uuid, body text);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_tenant ON app.docs USING (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE TABLE app.plain (id int PRIMARY KEY, doc_id int);`;

describe('view-bypasses-rls', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('a view reading a secured table without security_invoker, reported at its name', () => {
    const sql = `${secured}\nCREATE VIEW app.all_docs AS SELECT id, body FROM app.docs;`;
    const findings = expectFlags(rule, sql);
    assert.equal(findings.length, 1);
    assert.match(render(sql, findings), /CREATE VIEW app\.all_docs AS[\s\S]*\^+/);
    assert.equal(sql.slice(findings[0].start, findings[0].end), 'app.all_docs');
    assert.match(findings[0].message, /View app\.all_docs reads app\.docs with its owner's rights \(it is not security_invoker\)/);
  });

  test('the secured table reached anywhere in the query: sublink, CTE, FROM subquery, join', () => {
    for (const query of [
      'SELECT p.id FROM app.plain p WHERE EXISTS (SELECT 1 FROM app.docs d WHERE d.id = p.doc_id)',
      'WITH d AS (SELECT * FROM app.docs) SELECT count(*) FROM d',
      'SELECT s.n FROM (SELECT count(*) AS n FROM app.docs) s',
      'SELECT p.id, d.body FROM app.plain p JOIN app.docs d ON d.id = p.doc_id',
      'SELECT (SELECT max(id) FROM app.docs) AS newest',
    ]) {
      expectFlags(rule, `${secured}\nCREATE VIEW app.v AS ${query};`);
    }
  });

  test('a nested view answers for its own tables: a security_invoker one checks them as the caller, an owner view is reported at its definition', () => {
    expectClean(
      rule,
      `${secured}\nCREATE VIEW app.inner_inv WITH (security_invoker = true) AS SELECT * FROM app.docs;\nCREATE VIEW app.outer_v AS SELECT count(*) FROM app.inner_inv;`,
    );
    const sql = `${secured}\nCREATE VIEW app.inner_owner AS SELECT * FROM app.docs;\nCREATE VIEW app.outer_v AS SELECT count(*) FROM app.inner_owner;`;
    const findings = expectFlags(rule, sql);
    assert.deepEqual(
      findings.map((x) => sql.slice(x.start, x.end)),
      ['app.inner_owner'],
    );
  });

  test('security_invoker, as created or set later; CREATE OR REPLACE without it is reported again', () => {
    expectClean(rule, `${secured}\nCREATE VIEW app.v WITH (security_invoker = true) AS SELECT * FROM app.docs;`);
    expectClean(rule, `${secured}\nCREATE VIEW app.v WITH (security_invoker) AS SELECT * FROM app.docs;`);
    expectClean(rule, `${secured}\nCREATE VIEW app.v AS SELECT * FROM app.docs;\nALTER VIEW app.v SET (security_invoker = on);`);
    expectFlags(rule, `${secured}\nCREATE VIEW app.v WITH (security_invoker = false) AS SELECT * FROM app.docs;`);
    expectFlags(
      rule,
      `${secured}\nCREATE VIEW app.v WITH (security_invoker = true) AS SELECT * FROM app.docs;\nCREATE OR REPLACE VIEW app.v AS SELECT * FROM app.docs;`,
    );
  });

  test('only the current definition is judged: a view replaced or dropped later is not reported where it was first made', () => {
    const sql = `${secured}\nCREATE VIEW app.v AS SELECT * FROM app.docs;\nCREATE OR REPLACE VIEW app.v AS SELECT * FROM app.plain;`;
    expectClean(rule, sql);
    expectClean(rule, `${secured}\nCREATE VIEW app.v AS SELECT * FROM app.docs;\nDROP VIEW app.v;`);
  });

  test('row level security enabled in a later migration still makes the view a bypass', () => {
    const schema = 'CREATE TABLE docs (id int PRIMARY KEY, tenant_id uuid NOT NULL);\nCREATE VIEW all_docs AS SELECT * FROM docs;';
    const [f] = expectFlags(rule, schema + '\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;');
    assert.match(f.message, /all_docs/);
  });

  test('not reported: no row level security, forced row level security, an open USING (true) policy', () => {
    expectClean(rule, 'CREATE TABLE docs (id int);\nCREATE VIEW v AS SELECT * FROM docs;');
    expectClean(rule, `${secured}\nALTER TABLE app.docs FORCE ROW LEVEL SECURITY;\nCREATE VIEW app.v AS SELECT * FROM app.docs;`);
    expectClean(
      rule,
      'CREATE TABLE pub (id int);\nALTER TABLE pub ENABLE ROW LEVEL SECURITY;\nCREATE POLICY anyone ON pub FOR SELECT USING (true);\nCREATE VIEW v AS SELECT * FROM pub;',
    );
    expectClean(rule, `${secured}\nCREATE VIEW app.v AS SELECT * FROM app.plain;`);
  });

  test("a view filtering with one of the table's own read policies shows only what that policy shows everyone", () => {
    const pub = `${secured}\nCREATE TABLE app.posts (id int, is_public boolean, author uuid);\nALTER TABLE app.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_posts ON app.posts FOR SELECT USING (is_public);
CREATE POLICY own_posts ON app.posts USING (author = auth.uid());`;
    expectClean(rule, `${pub}\nCREATE VIEW app.public_posts AS SELECT p.id FROM app.posts p WHERE p.is_public AND p.id > 0;`);
    // Another condition, or the policy's condition on another table, is no match.
    expectFlags(rule, `${pub}\nCREATE VIEW app.recent AS SELECT id FROM app.posts WHERE id > 100;`);
    expectFlags(rule, `${pub}\nCREATE VIEW app.v AS SELECT p.id FROM app.posts p WHERE p.is_public OR p.id = 1;`);
  });

  test('not reported: a view that filters on who is asking', () => {
    for (const where of [
      'owner_id = auth.uid()',
      "tenant_id = current_setting('app.tenant_id')::uuid",
      'owner_id::text = current_user',
      'owner_id::text = session_user',
    ]) {
      expectClean(rule, `${secured}\nCREATE VIEW app.mine AS SELECT * FROM app.docs WHERE ${where};`);
    }
    expectClean(rule, `${secured}\nCREATE VIEW app.mine AS SELECT p.id FROM app.plain p JOIN app.docs d ON d.id = p.doc_id AND d.owner_id = auth.uid();`);
  });

  test('tenant.currentTenant: a reference pinned to the configured current tenant is confined', () => {
    const config = { tenant: { columns: ['tenant_id'], currentTenant: ['app.current_tenant()'] } };
    expectClean(rule, `${secured}\nCREATE VIEW app.mine AS SELECT * FROM app.docs WHERE tenant_id = app.current_tenant();`, { config });
    expectFlags(rule, `${secured}\nCREATE VIEW app.mine AS SELECT * FROM app.docs WHERE tenant_id = app.other();`, { config });
  });

  test('a materialized view over a secured table, forced or filtered, stores rows for every reader', () => {
    const [m] = expectFlags(rule, `${secured}\nCREATE MATERIALIZED VIEW app.counts AS SELECT tenant_id, count(*) FROM app.docs GROUP BY tenant_id;`);
    assert.match(m.message, /Materialized view app\.counts stores rows of app\.docs/);
    assert.equal(m.fix, undefined);
    expectFlags(rule, `${secured}\nALTER TABLE app.docs FORCE ROW LEVEL SECURITY;\nCREATE MATERIALIZED VIEW app.m AS SELECT * FROM app.docs;`);
    expectFlags(rule, `${secured}\nCREATE MATERIALIZED VIEW app.m AS SELECT * FROM app.docs WHERE owner_id = auth.uid();`);
    expectClean(rule, `${secured}\nCREATE MATERIALIZED VIEW app.m AS SELECT * FROM app.plain;`);
  });

  test('several tables in one finding', () => {
    const more = `${secured}\nCREATE TABLE app.items (id int);\nALTER TABLE app.items ENABLE ROW LEVEL SECURITY;`;
    const findings = expectFlags(rule, `${more}\nCREATE VIEW app.v AS SELECT * FROM app.docs, app.items;`);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /reads app\.docs, app\.items with its owner's rights/);
  });

  test('the quick fix sets security_invoker after the view (PostgreSQL 15+ only)', () => {
    const fixed = expectFix(rule, `${secured}\nCREATE VIEW app."All Docs" AS SELECT * FROM app.docs;`);
    assert.match(fixed, /AS SELECT \* FROM app\.docs;\nALTER VIEW app\."All Docs" SET \(security_invoker = true\);/);
    const [old] = expectFlags(rule, `${secured}\nCREATE VIEW app.v AS SELECT * FROM app.docs;`, { config: { postgres: { version: 14 } } });
    assert.equal(old.fix, undefined);
  });

  test('migrations: the view in an up file is reported; down files are not checked', () => {
    expectFlags(rule, 'CREATE VIEW app.v AS SELECT * FROM app.docs;', { file: 'migration', schema: secured });
    expectClean(rule, 'SELECT 1;', { file: 'migration', schema: secured, down: 'CREATE VIEW app.v AS SELECT * FROM app.docs;' });
  });
});
