// pgdba check --cache: after each kind of change, cached findings equal a cold run's, and only what changed is analysed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCheck } from './check';
import { runCheckWithOptions, type CheckRunOptions } from './check-run';
import type { CheckCache } from './check-cache';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgdba-cache-'));
  dirs.push(root);
  write(root, files);
  return root;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function cold(root: string) {
  let stdout = '';
  const code = await runCheck({ paths: ['app'], format: 'json', cwd: root }, { stdout: (s) => (stdout += s), stderr: () => undefined });
  return { code, stdout };
}

async function cached(root: string, version = '1.0.0', more: Partial<CheckRunOptions> = {}) {
  let stdout = '';
  let stats: CheckCache['stats'] | undefined;
  const code = await runCheckWithOptions(
    { paths: ['app'], format: 'json', cwd: root, cache: true, cacheLocation: 'cache', version, onCacheStats: (s) => (stats = { ...s }), ...more },
    { stdout: (s) => (stdout += s), stderr: () => undefined },
  );
  return { code, stdout, stats: stats! };
}

/** Runs cached and cold; they must agree; returns what the cache did. */
async function same(root: string, version?: string) {
  const c = await cached(root, version);
  const reference = await cold(root);
  assert.deepEqual(JSON.parse(c.stdout), JSON.parse(reference.stdout));
  assert.equal(c.code, reference.code);
  assert.ok(JSON.parse(c.stdout).diagnostics.length > 0, 'the fixture has findings to compare');
  return c.stats;
}

const UP1 = 'app/migrations/2020-01-01-000000_users/up.sql';
const DOWN1 = 'app/migrations/2020-01-01-000000_users/down.sql';
const UP2 = 'app/migrations/2020-02-01-000000_orders/up.sql';
const DOWN2 = 'app/migrations/2020-02-01-000000_orders/down.sql';
const QUERY = 'app/queries/report.sql';
const files = {
  'app/pgdba.json': '{ "tenant": { "columns": ["tenant_id"] } }\n',
  [UP1]: 'CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, email text);\nCREATE INDEX users_email ON users (email);\n',
  [DOWN1]: 'DROP TABLE users;\n',
  [UP2]: 'CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total int);\nALTER TABLE users ADD COLUMN age int;\n',
  [DOWN2]: 'ALTER TABLE users DROP COLUMN age;\nDROP TABLE orders;\n',
  [QUERY]: 'SELECT * FROM orders;\n',
  'app/queries/other.sql': 'SELECT id FROM users WHERE tenant_id = $1;\n',
};

describe('pgdba check --cache', () => {
  test('each kind of change: cached findings equal a cold run, and only what depends on the change is analysed', async () => {
    const root = tree(files);
    const first = await same(root);
    assert.deepEqual([first.replayed, first.filesReused], [0, 0]);
    const warm = await same(root);
    assert.equal(warm.replayed, 1, 'nothing changed: replayed whole');

    write(root, { [QUERY]: 'SELECT * FROM orders;\nDELETE FROM orders;\n' });
    const query = await same(root);
    assert.deepEqual([query.replayed, query.filesAnalysed], [0, 1], 'a query file: only it is analysed again');

    write(root, { [DOWN2]: 'DROP TABLE orders;\n' });
    const down = await same(root);
    assert.deepEqual([down.filesAnalysed], [2], 'a down: it and its up are analysed again');

    write(root, { [UP1]: files[UP1].replace('email text', 'email text, name text') });
    const ddl = await same(root);
    assert.equal(ddl.filesReused, 0, 'DDL in a migration: everything is analysed again');

    // Statements that change no schema object by themselves but reach the catalog when a migration runs them: a DO block
    // (here a guarded CREATE TABLE) and a seeded reference table. The query files read what they make.
    const guarded = (columns: string) =>
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'audit') THEN CREATE TABLE audit (${columns}); END IF; END $$;\n`;
    write(root, { [UP2]: files[UP2] + guarded('id bigint, tenant_id bigint'), 'app/queries/audit.sql': 'SELECT id FROM audit;\n' });
    const doBlock = await same(root);
    write(root, { [UP2]: files[UP2] + guarded('id bigint') });
    const doEdit = await same(root);
    assert.equal(doEdit.filesReused, 0, 'a DO block in a migration: everything is analysed again');
    assert.ok(doBlock.filesAnalysed > 0);

    write(root, {
      [UP2]: files[UP2] + "CREATE TABLE plans (id int, name text);\nINSERT INTO plans VALUES (1, 'free');\n",
      'app/queries/plans.sql': 'SELECT * FROM plans;\n',
    });
    await same(root);
    write(root, { [UP2]: files[UP2] + "CREATE TABLE plans (id int, name text);\nINSERT INTO plans SELECT 1, 'free';\n" });
    const seeded = await same(root);
    assert.equal(seeded.filesReused, 0, 'INSERT … VALUES in a migration seeds a reference table: everything is analysed again');

    write(root, { 'app/pgdba.json': '{ "tenant": { "columns": ["tenant_id"] }, "rules": { "missing-rollback": "off" } }\n' });
    const config = await same(root);
    assert.deepEqual([config.replayed, config.filesReused], [0, 0], 'the config: everything is analysed again');

    const version = await same(root, '2.0.0');
    assert.deepEqual([version.replayed, version.filesReused], [0, 0], "pgdba's version: the cache is not used");
    assert.equal((await same(root, '2.0.0')).replayed, 1);
  });

  test('a run that analyses part of a project takes the signatures, catalog and rollback reports earlier runs derived', async () => {
    const root = tree(files);
    const first = await same(root);
    assert.deepEqual([first.signaturesReused, first.catalogsReused, first.rollbacksReused], [0, 0, 0]);

    // A query file: the other files' signatures and the catalog are taken, not derived (no migration is parsed).
    write(root, { [QUERY]: 'SELECT * FROM orders;\nDELETE FROM orders;\n' });
    const query = await same(root);
    assert.deepEqual([query.filesAnalysed, query.signaturesReused, query.catalogsReused], [1, 3, 1]);

    // An up edited without changing what it runs: its partial-rollback report is taken too.
    write(root, { [UP2]: `${files[UP2]}-- reviewed\n` });
    const up = await same(root);
    assert.deepEqual([up.catalogsReused, up.rollbacksReused], [1, 1]);
    // A query added to it: the report holds (its opaque statements are counted afresh).
    write(root, { [UP2]: `${files[UP2]}-- reviewed\nSELECT 1;\n` });
    const query2 = await same(root);
    assert.deepEqual([query2.catalogsReused, query2.rollbacksReused], [1, 1]);

    // DDL in the second migration: a new catalog, and a new report for it; the first migration's report still holds.
    write(root, { [UP2]: files[UP2].replace('total int', 'total bigint') });
    const ddl = await same(root);
    assert.deepEqual([ddl.filesReused, ddl.catalogsReused, ddl.rollbacksReused], [0, 0, 1]);

    // An unreadable derived part is derived again and written back.
    const derived = readdirSync(join(root, 'cache')).filter((f) => f.endsWith('.derived.bin'));
    assert.equal(derived.length, 1);
    writeFileSync(join(root, 'cache', derived[0]), 'not a serialized value');
    write(root, { [QUERY]: 'SELECT id FROM orders;\n' });
    assert.deepEqual([(await same(root)).catalogsReused], [0]);
    write(root, { [QUERY]: 'SELECT id FROM orders LIMIT 1;\n' });
    assert.deepEqual([(await same(root)).catalogsReused], [1]);
  });

  test('a corrupt or foreign cache is ignored and written again', async () => {
    const root = tree(files);
    await same(root);
    for (const f of readdirSync(join(root, 'cache')))
      writeFileSync(join(root, 'cache', f), f.endsWith('files.json') ? '{"list":1}' : '{"kind":"something-else"');
    const corrupt = await same(root);
    assert.deepEqual([corrupt.replayed, corrupt.filesReused], [0, 0]);
    assert.equal((await same(root)).replayed, 1, 'rewritten');
  });

  test("a run whose findings are all on record prints the kept report, and only that invocation's", async () => {
    const root = tree(files);
    const first = await same(root);
    assert.equal(first.reports, 0);
    const warm = await same(root);
    assert.deepEqual([warm.replayed, warm.reports], [1, 1], 'nothing changed: the report of the last run, as printed');
    const text = await cached(root, '1.0.0', { format: 'text' });
    assert.equal(text.stats.reports, 0, 'another format has its own report');
    assert.match(text.stdout, /unbounded-select|missing-tenant-filter/);
    assert.equal((await cached(root, '1.0.0', { format: 'text' })).stats.reports, 1);

    // Findings that change drop the kept report, even when the query file's new findings are its old ones moved.
    write(root, { [QUERY]: '\nSELECT * FROM orders;\n' });
    const moved = await same(root);
    assert.deepEqual([moved.reports, moved.filesAnalysed], [0, 1]);
    assert.equal((await same(root)).reports, 1);

    // A corrupt findings part or report: rendered (and analysed) again, then kept again.
    const cacheDir = join(root, 'cache');
    for (const f of readdirSync(cacheDir).filter((f) => f.endsWith('.findings.json'))) writeFileSync(join(cacheDir, f), '{"id":"x"');
    for (const f of readdirSync(cacheDir).filter((f) => f.endsWith('.report')))
      writeFileSync(join(cacheDir, f), readFileSync(join(cacheDir, f), 'utf8').slice(8));
    const broken = await same(root);
    assert.equal(broken.reports, 0);
    assert.equal((await same(root)).reports, 1);

    // A baseline filters the report: the kept one is neither printed nor replaced.
    const baseline = join(root, 'baseline.json');
    writeFileSync(baseline, JSON.stringify({ pgdba: 'baseline', version: 1, findings: [] }));
    const withBaseline = await cached(root, '1.0.0', { baseline });
    assert.equal(withBaseline.stats.reports, 0);
    assert.deepEqual(JSON.parse(withBaseline.stdout), JSON.parse((await cold(root)).stdout), 'an empty baseline accepts nothing');
    assert.equal((await same(root)).reports, 1);
  });

  test('a report rendered from replayed findings lists its rules as a cold run does (SARIF), whatever the paths order', async () => {
    const root = tree({
      // Rules listed after one another in pgdba's order, found by the paths in the other order.
      'late/q.sql': 'DELETE FROM users;\n',
      'early/q.sql': 'SELECT * FROM users;\n',
    });
    const io = () => {
      const out = { stdout: '' };
      return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: () => undefined } };
    };
    const opts = { paths: ['late', 'early'], format: 'sarif', cwd: root };
    const cold = io();
    await runCheck(opts, cold.io);
    const cachedOpts = { ...opts, cache: true, cacheLocation: 'cache', version: '1.0.0' };
    await runCheckWithOptions(cachedOpts, io().io);
    // Without the kept report, the replayed findings are rendered again.
    for (const f of readdirSync(join(root, 'cache'))) if (f.endsWith('.report')) rmSync(join(root, 'cache', f));
    const replayed = io();
    let stats: CheckCache['stats'] | undefined;
    await runCheckWithOptions({ ...cachedOpts, onCacheStats: (s) => (stats = { ...s }) }, replayed.io);
    assert.deepEqual([stats?.replayed, stats?.reports], [2, 0]);
    const rules = (sarif: string) =>
      (JSON.parse(sarif) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] }).runs[0].tool.driver.rules.map((r) => r.id);
    assert.ok(rules(cold.out.stdout).length > 1, 'the fixture has findings of several rules');
    assert.equal(replayed.out.stdout, cold.out.stdout);
  });

  test('a replay does not load the parser or the rules', () => {
    const root = tree(files);
    const script = join(root, 'probe.ts');
    writeFileSync(
      script,
      `import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCheckWithOptions } from ${JSON.stringify(join(__dirname, 'check-run'))};
const io = { stdout: () => undefined, stderr: () => undefined };
const opts = { paths: ['app'], format: 'sarif', cwd: ${JSON.stringify(root)}, cache: true, cacheLocation: 'cache', version: 'probe' };
void (async () => {
  if (process.argv[2] === 'warm') await runCheckWithOptions(opts, io);
  else {
    // Without the kept report: the findings are read and rendered, still without the analysis.
    if (process.argv[2] === 'render') for (const f of readdirSync(${JSON.stringify(join(root, 'cache'))})) if (f.endsWith('.report')) rmSync(join(${JSON.stringify(join(root, 'cache'))}, f));
    await runCheckWithOptions(opts, io);
    const loaded = Object.keys(require.cache).filter((p) => /libpg-query|core[\\\\/]rules[\\\\/]|core[\\\\/]parse[\\\\/]/.test(p));
    console.log(JSON.stringify(loaded));
  }
})();
`,
    );
    const run = (arg: string) => spawnSync(process.execPath, ['--import', 'tsx', script, arg], { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') });
    assert.equal(run('warm').status, 0);
    for (const mode of ['replay', 'render']) {
      const probe = run(mode);
      assert.equal(probe.status, 0, probe.stderr);
      assert.deepEqual(JSON.parse(probe.stdout), [], mode);
    }
  });

  test('the bundled CLI gives the same report cold, cached and replayed, keeping compiled code where Node does not', () => {
    const root = tree(files);
    const repo = join(__dirname, '..', '..', '..');
    const cli = join(repo, 'bin', 'pgdba.js');
    assert.ok(existsSync(join(repo, 'dist', 'cli-check.js')), 'build first: npm run build');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', 'app', '--format', 'json', ...args], { cwd: root, encoding: 'utf8' });
    const reference = run();
    assert.ok(JSON.parse(reference.stdout).diagnostics.length > 0, reference.stderr);
    for (let i = 0; i < 3; i++) {
      const r = run('--cache', '--cache-location', 'cache');
      assert.deepEqual([r.status, r.stdout], [reference.status, reference.stdout], `run ${i + 1}`);
      // A replay (run 2) needs no analysis; the analysis is loaded again once the report is gone (run 3).
      if (i === 1) for (const f of readdirSync(join(root, 'cache'))) if (!f.startsWith('code-')) rmSync(join(root, 'cache', f));
    }
    // Node 22.1+ keeps compiled code itself (bin/pgdba.js turns it on); older versions keep it beside the result cache.
    const keepsOwn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    assert.equal(
      readdirSync(join(root, 'cache')).some((f) => /^code-[0-9a-f]{40}\.bin$/.test(f)),
      !keepsOwn,
    );
  });
});
