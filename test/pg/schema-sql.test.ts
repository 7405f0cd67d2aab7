// `pgdba schema --format sql`: the DDL it prints from the static catalog, run on an empty PGlite, builds a schema whose
// document equals the static one; for the examples workspace too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/core/parse/parse';
import { join } from 'node:path';
import {
  catalogFromMigrations,
  catalogSql,
  diffSchemaJson,
  differenceText,
  schemaFromCatalog,
  schemaFromRows,
  type SchemaJson,
} from '../../server/src/core/schema';
import { workspaceMigrations } from '../../server/src/engine';
import { nodeWorkspaceFiles } from '../../server/src/node/workspace-files';
import { createPgliteEngine, type PgliteEngine } from '../../server/src/engine';
import { introspectRows } from '../../server/src/engine/introspect';

let engine: PgliteEngine;

before(async () => {
  await initParser();
  engine = await createPgliteEngine({ statementTimeoutMs: 60_000, extensions: ['pg_trgm'] });
  await engine.exec('CREATE ROLE app');
});

after(async () => {
  await engine?.close();
});

const FIXTURE = `
CREATE SCHEMA billing;
CREATE EXTENSION pg_trgm;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%');
CREATE TYPE pair AS (a int, b text);
CREATE SEQUENCE billing.invoice_no START 1000 INCREMENT 5;
CREATE TABLE tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE, "Mixed Case" int);
CREATE TABLE users (
  id serial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE, mail email, mood mood DEFAULT 'ok',
  score numeric(10, 2) CHECK (score >= 0), total int GENERATED ALWAYS AS (id * 2) STORED, during tsrange,
  EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE users ALTER COLUMN mail SET STATISTICS 500, ALTER COLUMN mood SET STORAGE PLAIN;
ALTER TABLE users SET (fillfactor = 70);
CREATE INDEX users_mail_trgm ON users USING gin (mail gin_trgm_ops);
CREATE UNIQUE INDEX users_tenant_mail ON users (tenant_id, lower(mail)) INCLUDE (id) WHERE mail IS NOT NULL;
ALTER TABLE users REPLICA IDENTITY FULL;
CREATE INDEX users_tenant ON users (tenant_id);
ALTER TABLE users CLUSTER ON users_tenant;
CREATE TABLE events (tenant_id bigint, at timestamptz NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a comment that must not swallow the rest of the body
  NEW.score := coalesce(NEW.score, 0);
  RETURN NEW;
END $$;
CREATE FUNCTION billing.count_users(p_tenant bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT count(*) FROM public.users WHERE tenant_id = p_tenant $$;
REVOKE EXECUTE ON FUNCTION billing.count_users(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.count_users(bigint) TO app;
CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE OF score ON users FOR EACH ROW WHEN (NEW.score IS NULL) EXECUTE FUNCTION touch();
CREATE VIEW active_users AS SELECT u.id, u.mail FROM users u WHERE u.mood <> 'sad';
CREATE VIEW happy_users AS SELECT id FROM active_users;
CREATE MATERIALIZED VIEW tenant_sizes AS SELECT tenant_id, count(*) AS n FROM users GROUP BY tenant_id;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON users AS RESTRICTIVE FOR SELECT TO app USING (tenant_id = current_setting('app.tenant')::bigint);
GRANT SELECT, INSERT ON users TO app;
GRANT SELECT ON active_users TO app;
`;

async function reset(): Promise<void> {
  await engine.exec(
    'DROP SCHEMA IF EXISTS billing CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP EXTENSION IF EXISTS pg_trgm CASCADE; DROP TYPE IF EXISTS mood CASCADE;',
    60_000,
  );
}

async function rebuilt(sql: string): Promise<SchemaJson> {
  await reset();
  await engine.exec(sql, 60_000);
  return schemaFromRows(await introspectRows(engine));
}

function assertSame(a: SchemaJson, b: SchemaJson, sides: [string, string]): void {
  const diffs = diffSchemaJson(a, b).map((d) => differenceText(d, sides));
  assert.deepEqual(diffs, [], diffs.join('\n'));
}

describe('pgdba schema --format sql', () => {
  test('the DDL rebuilds the same schema: columns in their order, comments in bodies, casts in policies intact', async () => {
    const catalog = catalogFromMigrations([{ id: 'm.sql', sql: FIXTURE }]);
    const doc = schemaFromCatalog(catalog);
    const sql = catalogSql(catalog);
    assert.equal(catalogSql(catalogFromMigrations([{ id: 'm.sql', sql: FIXTURE }])), sql, 'deterministic');
    assert.match(sql, /-- a comment that must not swallow the rest of the body/);
    assertSame(doc, await rebuilt(sql), ['printed', 'rebuilt']);
    const rows = await introspectRows(engine);
    assert.deepEqual(
      rows.columns.filter((r) => r.rel === 'public.tenants').map((r) => r.name),
      ['id', 'name', 'Mixed Case'],
    );
    const policy = (await engine.query<{ qual: string }>("SELECT qual FROM pg_policies WHERE policyname = 'users_tenant'")).rows[0];
    assert.match(policy.qual, /::bigint/);
  });

  test('the examples workspace rebuilds from its printed DDL', async () => {
    const catalog = catalogFromMigrations(workspaceMigrations(nodeWorkspaceFiles(join(__dirname, '..', '..', 'examples', 'saas'))));
    assertSame(schemaFromCatalog(catalog), await rebuilt(catalogSql(catalog)), ['printed', 'rebuilt']);
  });
});
