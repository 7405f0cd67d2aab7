// One source list on PGlite: schema files after the migrations give the planner their tables, never query files' statements.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runExplain } from '../../server/src/cli/commands/explain';
import { initParser } from '../../server/src/core/parse/parse';
import { buildPgliteFromMigrations, workspaceMigrations } from '../../server/src/engine';
import { captureIo, removeTempWorkspaces, tempWorkspace } from '../../server/src/node/testing/temp-workspace';
import { nodeWorkspaceFiles } from '../../server/src/node/workspace-files';

// A dbmate-style dump: session settings, set_config and the tool's bookkeeping rows around the DDL.
const SCHEMA = `SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE public.audit_log (id bigint PRIMARY KEY, user_id bigint, at timestamptz NOT NULL);
CREATE INDEX audit_log_user ON public.audit_log (user_id);
CREATE TABLE public.broken (id int, geom geometry(Point, 4326));
INSERT INTO public.schema_migrations (version) VALUES ('20240101000000');
`;
const QUERIES = `select * from audit_log where user_id = 42;
`;

const workspace = (files: Record<string, string>) => tempWorkspace(files, { git: true });

before(() => initParser());
after(removeTempWorkspaces);

describe('schema files on PGlite', () => {
  test('pgdba explain plans a query on a table only db/schema.sql declares, and reports the schema statement it skipped', async () => {
    const ws = workspace({
      'db/migrations/20240101000000_users.sql':
        '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- migrate:down\nDROP TABLE users;\n',
      'db/schema.sql': SCHEMA,
      'app/queries.sql': QUERIES,
    });
    const { out, io } = captureIo();
    const code = await runExplain({ file: join(ws, 'app/queries.sql'), line: 1, format: 'json', cacheDir: join(ws, '.cache') }, io);
    assert.equal(code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.match(JSON.stringify(report.plan), /audit_log/);
    const skipped = report.pglite.skipped as { migration: string; excerpt: string; reason: string }[];
    assert.ok(
      skipped.some((s) => s.migration === 'db/schema.sql' && /geometry/.test(s.excerpt)),
      JSON.stringify(skipped),
    );
    // The dump's users table comes after the migration's: skipped as a duplicate, as PostgreSQL would refuse it.
    assert.ok(
      skipped.every((s) => !/schema_migrations|set_config/.test(s.excerpt)),
      'bookkeeping statements never run',
    );
  });

  test("a workspace without migrations builds PGlite from CREATE statements only: a query file's DELETE never runs", async () => {
    const ws = workspace({
      'schema.sql': 'create table t (id int);\ninsert into t values (1), (2);\n',
      'cleanup.sql': 'delete from t;\n',
    });
    const migrations = workspaceMigrations(nodeWorkspaceFiles(ws));
    assert.doesNotMatch(migrations.map((m) => m.sql).join('\n'), /delete|insert/i);
    const build = await buildPgliteFromMigrations(migrations);
    try {
      const { rows } = await build.engine.query<{ n: number }>('select count(*)::int as n from t');
      assert.equal(rows[0].n, 0);
    } finally {
      await build.engine.close();
    }
  });

  test('a file in one project of a monorepo builds PGlite from that project alone', async () => {
    const ws = workspace({
      'services/api/migrations/1_a.up.sql': 'create table api_only (id int);',
      'services/api/migrations/1_a.down.sql': 'drop table api_only;',
      'services/api/q.sql': 'select * from api_only;',
      'services/web/migrations/1_w.up.sql': 'create table web_only (id int);',
      'services/web/migrations/1_w.down.sql': 'drop table web_only;',
    });
    const migrations = workspaceMigrations(nodeWorkspaceFiles(ws), { forPath: 'services/api/q.sql' });
    assert.deepEqual(
      migrations.map((m) => m.id),
      ['services/api/migrations/1_a.up.sql'],
    );
  });

  test('a schema-file statement that does not parse is reported as skipped, and the rest of the file still builds', async () => {
    const ws = workspace({
      'db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n',
      'db/schema.sql': 'CREATE TABLE public.before_it (id bigint PRIMARY KEY);\nCREATE TABEL public.oops (id int);\nCREATE TABLE public.after_it (id int);\n',
    });
    const build = await buildPgliteFromMigrations(workspaceMigrations(nodeWorkspaceFiles(ws)), { cacheDir: join(ws, '.cache') });
    try {
      const skipped = build.skipped.filter((k) => k.migration === 'db/schema.sql');
      assert.equal(skipped.length, 1, JSON.stringify(build.skipped));
      assert.match(skipped[0].reason, /syntax error/);
      assert.match(skipped[0].excerpt, /CREATE TABEL public\.oops/);
      const tables = (await build.engine.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map(
        (r) => r.t,
      );
      assert.deepEqual(tables, ['after_it', 'before_it', 'users']);
    } finally {
      await build.engine.close();
    }
  });
});
