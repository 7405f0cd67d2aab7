// view-bypasses-rls agrees with PGlite: a view is reported exactly when a tenant's role, selecting from it, gets another tenant's rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgliteEngine, type PgliteEngine } from '../../server/src/engine';
import { ready, runRule } from '../../server/src/testing/rule-test';
import rule from '../../server/src/core/rules/view-bypasses-rls';
import { countAsTenant, setUpAsOwner } from './tenant-roles';

let engine: PgliteEngine;

/** Tables as one owner role; each tenant (and each user) has one row of docs and of notes. */
const tables = `CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id int NOT NULL);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON app.docs USING (tenant_id = current_setting('app.tenant_id', true)::int);
CREATE TABLE app.forced (id int PRIMARY KEY, tenant_id int NOT NULL);
ALTER TABLE app.forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.forced FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON app.forced USING (tenant_id = current_setting('app.tenant_id', true)::int);
CREATE TABLE app.notes (id int PRIMARY KEY, owner name NOT NULL);
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON app.notes USING (owner = current_user);
CREATE TABLE app.open (id int PRIMARY KEY);
ALTER TABLE app.open ENABLE ROW LEVEL SECURITY;
CREATE POLICY anyone ON app.open FOR SELECT USING (true);
CREATE TABLE app.posts (id int PRIMARY KEY, is_public boolean NOT NULL, tenant_id int NOT NULL);
ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_posts ON app.posts FOR SELECT USING (is_public);
CREATE POLICY tenant_posts ON app.posts USING (tenant_id = current_setting('app.tenant_id', true)::int);
CREATE TABLE app.plain (id int PRIMARY KEY);`;

/** Each view, and how many rows the caller may see under the policies. */
const views: Record<string, { sql: string; allowed: number }> = {
  owner: { sql: 'CREATE VIEW app.owner_v AS SELECT * FROM app.docs;', allowed: 1 },
  invoker: { sql: 'CREATE VIEW app.invoker_v WITH (security_invoker = true) AS SELECT * FROM app.docs;', allowed: 1 },
  sublink: { sql: 'CREATE VIEW app.sublink_v AS SELECT p.id FROM app.plain p WHERE EXISTS (SELECT 1 FROM app.docs d WHERE d.id = p.id);', allowed: 1 },
  nestedInvoker: {
    sql: 'CREATE VIEW app.inner_inv WITH (security_invoker = true) AS SELECT * FROM app.docs;\nCREATE VIEW app.nested_v AS SELECT * FROM app.inner_inv;',
    allowed: 1,
  },
  filtered: { sql: "CREATE VIEW app.filtered_v AS SELECT * FROM app.docs WHERE tenant_id = current_setting('app.tenant_id')::int;", allowed: 1 },
  forced: { sql: 'CREATE VIEW app.forced_v AS SELECT * FROM app.forced;', allowed: 1 },
  byUser: { sql: 'CREATE VIEW app.mine_v AS SELECT * FROM app.notes WHERE owner = current_user;', allowed: 1 },
  notesOwner: { sql: 'CREATE VIEW app.notes_v AS SELECT * FROM app.notes;', allowed: 1 },
  open: { sql: 'CREATE VIEW app.open_v AS SELECT * FROM app.open;', allowed: 2 },
  plain: { sql: 'CREATE VIEW app.plain_v AS SELECT * FROM app.plain;', allowed: 2 },
  // Posts: tenant 1's private one, tenant 2's public one, tenant 2's private one; the caller may see two.
  publicPosts: { sql: 'CREATE VIEW app.public_v AS SELECT * FROM app.posts WHERE is_public;', allowed: 2 },
  allPosts: { sql: 'CREATE VIEW app.posts_v AS SELECT * FROM app.posts;', allowed: 2 },
  materialized: { sql: 'CREATE MATERIALIZED VIEW app.mat_v AS SELECT * FROM app.docs;', allowed: 1 },
};

/** The view a case's caller selects from (its last CREATE … VIEW). */
const viewName = (sql: string) => [...sql.matchAll(/VIEW (app\.\w+)/g)].pop()![1];

before(async () => {
  await ready();
  engine = await createPgliteEngine({ statementTimeoutMs: 60_000 });
  await setUpAsOwner(
    engine,
    `${tables}
INSERT INTO app.docs VALUES (1, 1), (2, 2);
SET app.tenant_id = '1'; INSERT INTO app.forced VALUES (1, 1); SET app.tenant_id = '2'; INSERT INTO app.forced VALUES (2, 2); RESET app.tenant_id;
INSERT INTO app.posts VALUES (1, false, 1), (2, true, 2), (3, false, 2);
INSERT INTO app.notes VALUES (1, 'caller'), (2, 'someone_else'); INSERT INTO app.open VALUES (1), (2); INSERT INTO app.plain VALUES (1), (2);
${Object.values(views)
  .map((v) => v.sql)
  .join('\n')}`,
  );
});

after(async () => {
  await engine?.close();
});

describe('view-bypasses-rls on PGlite', () => {
  for (const [name, v] of Object.entries(views)) {
    test(name, async () => {
      const n = await countAsTenant(engine, `SELECT count(*) AS n FROM ${viewName(v.sql)}`);
      const findings = runRule(rule, v.sql, { schema: tables });
      assert.equal(
        findings.length > 0,
        n > v.allowed,
        `${name}: the caller saw ${n} rows (allowed ${v.allowed}); findings: ${findings.map((f) => f.message).join(' | ') || 'none'}`,
      );
    });
  }
});
