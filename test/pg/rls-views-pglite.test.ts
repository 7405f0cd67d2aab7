// security-definer-rls-bypass agrees with PGlite: a routine is reported exactly when, called by a tenant's role, it returns another tenant's rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgliteEngine, type PgliteEngine } from '../../server/src/engine';
import { ready, runRule } from '../../server/src/testing/rule-test';
import rule from '../../server/src/core/rules/security-definer-rls-bypass';
import { countAsTenant, setUpAsOwner } from './tenant-roles';

let engine: PgliteEngine;

/** Tables and views as one owner role; tenant 1 and tenant 2 each have one row. */
const schema = `CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id int NOT NULL);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON app.docs USING (tenant_id = current_setting('app.tenant_id', true)::int);
CREATE TABLE app.plain (id int PRIMARY KEY);
CREATE VIEW app.v_owner AS SELECT * FROM app.docs;
CREATE VIEW app.v_inv WITH (security_invoker = true) AS SELECT * FROM app.docs;
CREATE VIEW app.v_sub AS SELECT p.id FROM app.plain p WHERE EXISTS (SELECT 1 FROM app.docs d WHERE d.id = p.id);
CREATE VIEW app.v_mine AS SELECT * FROM app.docs WHERE tenant_id = current_setting('app.tenant_id')::int;`;

const pin = 'SET search_path = pg_catalog, pg_temp';
/** Each routine returns how many docs rows it reached, called with tenant 1's setting. */
const routines: Record<string, string> = {
  direct: `CREATE FUNCTION app.direct() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.docs $$;`,
  ownerView: `CREATE FUNCTION app.owner_view() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.v_owner $$;`,
  invokerView: `CREATE FUNCTION app.invoker_view() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.v_inv $$;`,
  subView: `CREATE FUNCTION app.sub_view() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.v_sub $$;`,
  byParam: `CREATE FUNCTION app.by_param(t int) RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.docs WHERE tenant_id = t $$;`,
  pinned: `CREATE FUNCTION app.pinned() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.docs WHERE tenant_id = CAST(current_setting('app.tenant_id') AS int) $$;`,
  pinnedView: `CREATE FUNCTION app.pinned_view() RETURNS bigint LANGUAGE sql SECURITY DEFINER ${pin} AS $$ SELECT count(*) FROM app.v_mine $$;`,
  invoker: `CREATE FUNCTION app.invoker() RETURNS bigint LANGUAGE sql ${pin} AS $$ SELECT count(*) FROM app.v_inv $$;`,
};
/** by_param is called with tenant 2's id: under the policy tenant 1 would reach none of its rows. */
const calls: Record<string, string> = { byParam: 'app.by_param(2)' };
const allowed: Record<string, number> = { byParam: 0 };

before(async () => {
  await ready();
  engine = await createPgliteEngine({ statementTimeoutMs: 60_000 });
  await setUpAsOwner(
    engine,
    `${schema}\nINSERT INTO app.docs VALUES (1, 1), (2, 2); INSERT INTO app.plain VALUES (1), (2);\n${Object.values(routines).join('\n')}`,
  );
});

after(async () => {
  await engine?.close();
});

/** Rows of docs the routine reached when tenant 1's role called it. */
function reached(name: string): Promise<number> {
  const call = calls[name] ?? `app.${routines[name].match(/FUNCTION app\.(\w+)/)![1]}()`;
  return countAsTenant(engine, `SELECT ${call} AS n`);
}

describe('security-definer-rls-bypass on PGlite', () => {
  for (const name of Object.keys(routines)) {
    test(name, async () => {
      const n = await reached(name);
      // Under the policy tenant 1 reaches its one row (the sublink view: one plain row whose id has a docs row); more is another tenant's.
      const leaked = n > (allowed[name] ?? 1);
      const findings = runRule(rule, routines[name], {
        schema,
        config: { tenant: { columns: ['tenant_id'], currentTenant: ["current_setting('app.tenant_id')::int"] } },
      });
      assert.equal(findings.length > 0, leaked, `${name}: PGlite reached ${n} rows; findings: ${findings.map((f) => f.message).join(' | ') || 'none'}`);
    });
  }
});
