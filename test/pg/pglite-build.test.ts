// Building PGlite from a workspace's migrations: skipped statements, contrib extensions, the on-disk cache, and `pgdba explain` on top.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPgliteFromMigrations, workspaceMigrations, type Migration } from '../../server/src/engine';
import { runExplain } from '../../server/src/cli/commands/explain';
import { nodeWorkspaceFiles } from '../../server/src/node/workspace-files';
import { parsePlan } from '../../server/src/core/explain';
import { HANDLE_NEW_USER } from '../../server/src/testing/supabase';

const MIGRATIONS: Record<string, string> = {
  'migrations/001_users.sql': `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, tenant_id int NOT NULL);
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
INSERT INTO users (name, tenant_id) SELECT 'user ' || g, g % 50 FROM generate_series(1, 20000) g;
ANALYZE users;`,
  'migrations/002_posts.sql': `
BEGIN;
CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, body text);
COMMIT;`,
  'migrations/003_geo.sql': `
CREATE INDEX CONCURRENTLY posts_user_id ON posts (user_id);
CREATE EXTENSION postgis;
CREATE TABLE places (id int, geom geometry(Point, 4326));`,
  'migrations/004_views.sql': `
CREATE VIEW active_users AS SELECT * FROM users;
\\echo done
`,
};
const QUERIES = `-- queries the app runs
SELECT * FROM users
 WHERE tenant_id = 7;

SELECT * FROM users WHERE name LIKE '%er 12%';
`;

let ws: string;
let cacheDir: string;
let migrations: Migration[];

before(() => {
  ws = mkdtempSync(join(tmpdir(), 'pgdba-ws-'));
  cacheDir = join(ws, '.cache');
  mkdirSync(join(ws, 'migrations'));
  mkdirSync(join(ws, '.git'));
  for (const [path, sql] of Object.entries(MIGRATIONS)) writeFileSync(join(ws, path), sql);
  writeFileSync(join(ws, 'queries.sql'), QUERIES);
  migrations = workspaceMigrations(nodeWorkspaceFiles(ws));
});

after(() => {
  rmSync(ws, { recursive: true, force: true });
});

describe('buildPgliteFromMigrations', () => {
  test('the workspace migrations are found in apply order', () => {
    assert.deepEqual(
      migrations.map((m) => m.id),
      Object.keys(MIGRATIONS),
    );
  });

  test('cold build: applies what it can, loads pg_trgm, and says which statements it skipped and why', async () => {
    const b = await buildPgliteFromMigrations(migrations, { cacheDir });
    try {
      assert.equal(b.cache, 'none');
      assert.deepEqual(b.extensions, ['pg_trgm']);
      const skipped = b.skipped.map((s) => `${s.migration} | ${s.excerpt} | ${s.reason}`);
      assert.equal(skipped.length, 3, skipped.join('\n'));
      assert.match(skipped[0], /003_geo\.sql \| CREATE EXTENSION postgis \| .*postgis/);
      assert.match(skipped[1], /003_geo\.sql \| CREATE TABLE places .* \| type "geometry" does not exist/);
      assert.match(skipped[2], /004_views\.sql \| \\echo done \| psql meta-command \\echo: psql runs it itself/);
      // The migration's own BEGIN/COMMIT were dropped, CONCURRENTLY ran outside a transaction, the view exists.
      const r = await b.engine.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('posts', 'posts_user_id', 'active_users', 'users_name_trgm')",
      );
      assert.equal(r.rows[0].n, 4);
      const plan = parsePlan((await b.engine.explain("SELECT * FROM users WHERE name LIKE '%er 12%'")).json);
      assert.ok(
        plan.nodes.some((n) => n.indexName === 'users_name_trgm'),
        'the trigram index is used',
      );
    } finally {
      await b.engine.close();
    }
  });

  test('warm start: the same migrations load from the cache with the same skipped list', async () => {
    const b = await buildPgliteFromMigrations(migrations, { cacheDir });
    try {
      assert.equal(b.cache, 'full');
      assert.equal(b.skipped.length, 3);
      assert.equal((await b.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n, 20000);
    } finally {
      await b.engine.close();
    }
    assert.deepEqual(readdirSync(join(cacheDir, 'run')), [], 'private copies are removed on close');
  });

  test('spare: a ready copy is made after a start, and the next start takes it instead of copying', async () => {
    const run = join(cacheDir, 'run');
    const first = await buildPgliteFromMigrations(migrations, { cacheDir, spare: true });
    await first.engine.close();
    const spares = readdirSync(run);
    assert.equal(spares.length, 1, spares.join(', '));
    assert.match(spares[0], /^spare-pglite-[0-9a-f]{64}$/);
    const spareInode = statSync(join(run, spares[0])).ino;

    const second = await buildPgliteFromMigrations(migrations, { cacheDir, spare: true });
    try {
      assert.equal(second.cache, 'full');
      // The private copy this start runs on is the spare, renamed (same inode): nothing was copied before it opened.
      const runs = readdirSync(run).filter((n) => n.startsWith(`${process.pid}-`) && !n.includes('spare'));
      assert.deepEqual(
        runs.map((n) => statSync(join(run, n)).ino),
        [spareInode],
      );
      assert.equal((await second.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n, 20000);
    } finally {
      await second.engine.close();
    }
    // The start made the next spare; its own copy is gone.
    assert.deepEqual(readdirSync(run), spares);
  });

  test('editing the newest migration replays only that one', async () => {
    const edited = [...migrations.slice(0, -1), { ...migrations[3], sql: 'CREATE VIEW big_tenants AS SELECT tenant_id FROM users GROUP BY 1;' }];
    const b = await buildPgliteFromMigrations(edited, { cacheDir });
    try {
      assert.equal(b.cache, 'prefix');
      assert.equal(b.reused, 3);
      assert.equal(b.skipped.length, 2);
      assert.equal((await b.engine.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'big_tenants'")).rows[0].n, 1);
      assert.notEqual(b.schemaVersion, await buildPgliteFromMigrations(migrations, { cacheDir }).then(async (x) => (await x.engine.close(), x.schemaVersion)));
    } finally {
      await b.engine.close();
    }
  });
});

describe('pgdba explain', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
  };

  test('text: the plan of the statement on the line, with its finding, on PGlite from the workspace', async () => {
    const { out, io } = capture();
    const code = await runExplain({ file: join(ws, 'queries.sql'), line: 3, format: 'text', cacheDir }, io);
    assert.equal(code, 0, out.stderr);
    assert.match(out.stderr, /PGlite: .*from cache.*3 skipped/);
    assert.match(out.stdout, /^Seq Scan on users/);
    assert.match(out.stdout, /Filter: \(tenant_id = 7\)/);
    assert.match(out.stdout, /Sequential scan on users reads 20,000 rows/);
    assert.match(out.stdout, /CREATE INDEX CONCURRENTLY ON users \(tenant_id\)/);
  });

  test('json with --analyze: the raw plan, analysed and rolled back, plus the skipped statements', async () => {
    const { out, io } = capture();
    const code = await runExplain({ file: join(ws, 'queries.sql'), line: 5, format: 'json', analyze: true, cacheDir }, io);
    assert.equal(code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.equal(report.analyzed, true);
    assert.equal(report.line, 5);
    assert.equal(parsePlan(report.plan).analyzed, true);
    assert.equal(report.pglite.skipped.length, 3);
  });

  test('a line without a statement is a usage error', async () => {
    const { out, io } = capture();
    assert.equal(await runExplain({ file: join(ws, 'queries.sql'), line: 4, format: 'text', cacheDir }, io), 2);
    assert.match(out.stderr, /no statement on line 4/);
  });

  test('--db with a host off the allow-list fails with one clear message', async () => {
    const { out, io } = capture();
    assert.equal(await runExplain({ file: join(ws, 'queries.sql'), line: 2, db: 'postgresql://u@db.example.com/app', format: 'text' }, io), 1);
    assert.match(out.stderr, /not on the host allow-list/);
    assert.equal(out.stdout, '');
  });
});

describe('a Supabase project', () => {
  const INIT = `create table public.profiles (
  id uuid not null primary key references auth.users on delete cascade,
  username text unique
);
alter table public.profiles enable row level security;
create policy "own profile" on public.profiles for update to authenticated using ((select auth.uid()) = id);
${HANDLE_NEW_USER}insert into storage.buckets (id, name) values ('avatars', 'avatars');
create policy "avatars are theirs" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid()::text));
alter publication supabase_realtime add table public.profiles;
create extension if not exists "uuid-ossp" with schema extensions;
`;
  let sb: string;
  before(() => {
    sb = mkdtempSync(join(tmpdir(), 'pgdba-supabase-'));
    mkdirSync(join(sb, 'supabase', 'migrations'), { recursive: true });
    mkdirSync(join(sb, '.git'));
    writeFileSync(join(sb, 'supabase', 'migrations', '20240101000000_init.sql'), INIT);
  });
  after(() => rmSync(sb, { recursive: true, force: true }));

  test("PGlite starts from the platform's auth, storage and extensions schemas: nothing the migrations need is skipped", async () => {
    const ms = workspaceMigrations(nodeWorkspaceFiles(sb));
    assert.deepEqual(
      ms.map((m) => m.kind ?? 'migration'),
      ['platform', 'migration'],
    );
    const b = await buildPgliteFromMigrations(ms);
    try {
      assert.deepEqual(
        b.skipped.map((s) => `${s.migration}: ${s.reason}`),
        [],
      );
      const r = await b.engine.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'on_auth_user_created' UNION ALL SELECT count(*)::int FROM pg_policy WHERE polname IN ('own profile', 'avatars are theirs')",
      );
      assert.deepEqual(
        r.rows.map((x) => x.n),
        [1, 2],
      );
      const plan = parsePlan(
        (await b.engine.explain('SELECT p.username, u.email FROM public.profiles p JOIN auth.users u ON u.id = p.id WHERE p.id = auth.uid()')).json,
      );
      assert.ok(plan.nodes.length > 0);
    } finally {
      await b.engine.close();
    }
  });
});
