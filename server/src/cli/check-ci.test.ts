// pgdba check --changed-since, --baseline / baseline write, and --format gitlab, on small git repositories.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from './main';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgdba-ci-'));
  dirs.push(root);
  write(root, files);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
  return root;
}

async function pgdba(root: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, root);
  return { code, stdout, stderr };
}

const files = {
  'db/migrations/2020-01-01-000000_users/up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
  'db/migrations/2020-01-01-000000_users/down.sql': 'DROP TABLE users;\n',
  'db/queries/a.sql': 'SELECT * FROM users;\n',
  'db/queries/b.sql': 'SELECT * FROM users;\n',
};
const filesOf = (stdout: string) => [...new Set((JSON.parse(stdout) as { diagnostics: { file: string }[] }).diagnostics.map((d) => d.file))].sort();

describe('pgdba check --changed-since', () => {
  test('reports changed and untracked files only, analysed with the whole schema', async () => {
    const root = repo(files);
    assert.deepEqual(filesOf((await pgdba(root, 'check', 'db', '--format', 'json', '--changed-since', 'HEAD')).stdout), []);
    write(root, { 'db/queries/b.sql': 'SELECT * FROM users;\nSELECT email FROM users;\n', 'db/queries/new.sql': 'SELECT * FROM users;\n' });
    const r = await pgdba(root, 'check', 'db', '--format', 'json', '--changed-since', 'HEAD');
    assert.deepEqual(filesOf(r.stdout), ['db/queries/b.sql', 'db/queries/new.sql']);
    const all = await pgdba(root, 'check', 'db', '--format', 'json');
    const full = (JSON.parse(all.stdout) as { diagnostics: { file: string }[] }).diagnostics.filter((d) => d.file === 'db/queries/b.sql');
    assert.deepEqual(
      (JSON.parse(r.stdout) as { diagnostics: { file: string }[] }).diagnostics.filter((d) => d.file === 'db/queries/b.sql'),
      full,
    );
  });

  test('a missing ref is a usage error that says what to do', async () => {
    const root = repo(files);
    const r = await pgdba(root, 'check', 'db', '--changed-since', 'origin/main');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--changed-since origin\/main: no such commit.*fetch/);
  });
});

describe('pgdba check --baseline', () => {
  test('accepts recorded findings across line shifts, fails on new ones, reports stale ones', async () => {
    const root = repo({ ...files, 'pgdba.json': '{ "rules": { "unbounded-select": "error" } }\n' });
    const before = await pgdba(root, 'check', 'db', '--format', 'json');
    assert.equal(before.code, 1, 'the fixture has an error finding');
    const w = await pgdba(root, 'baseline', 'write', 'pgdba-baseline.json', 'db');
    assert.equal(w.code, 0, w.stderr);
    const clean = await pgdba(root, 'check', 'db', '--format', 'json', '--baseline', 'pgdba-baseline.json');
    assert.deepEqual([clean.code, JSON.parse(clean.stdout).diagnostics], [0, []]);
    // Lines shift above the accepted finding; a new finding appears; another accepted one is fixed.
    write(root, {
      'db/queries/a.sql': '-- moved down\n\nSELECT * FROM users;\nSELECT *, 1 FROM users;\n',
      'db/queries/b.sql': 'SELECT id FROM users LIMIT 10;\n',
    });
    const r = await pgdba(root, 'check', 'db', '--format', 'json', '--baseline', 'pgdba-baseline.json');
    assert.equal(r.code, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).diagnostics.map((d: { file: string; line: number }) => `${d.file}:${d.line}`),
      ['db/queries/a.sql:4'],
    );
    assert.match(r.stderr, /stale: db\/queries\/b\.sql/);
  });

  test('a file that is not a baseline is refused with a clear message, and never overwritten', async () => {
    const root = repo({ ...files, 'notes.json': '{"hello": 1}\n' });
    const r = await pgdba(root, 'check', 'db', '--baseline', 'notes.json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a pgdba baseline: pgdba: /);
    assert.equal((await pgdba(root, 'baseline', 'write', 'notes.json', 'db')).code, 2);
    assert.equal(readFileSync(join(root, 'notes.json'), 'utf8'), '{"hello": 1}\n');
  });
});

describe('pgdba check --format gitlab', () => {
  test('GitLab Code Quality issues with unique fingerprints', async () => {
    const root = repo(files);
    const r = await pgdba(root, 'check', 'db', '--format', 'gitlab');
    const issues = JSON.parse(r.stdout) as {
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    assert.ok(issues.length > 0);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
    assert.ok(issues.some((i) => i.location.path === 'db/queries/a.sql' && i.location.lines.begin === 1));
    assert.ok(issues.every((i) => ['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity)));
  });
});

describe('pgdba check --cache without --cache-location', () => {
  test('keeps its cache in node_modules/.cache/pgdba beside a node_modules, else in .pgdba-cache (no node_modules made)', async () => {
    const plain = repo(files);
    assert.equal((await pgdba(plain, 'check', 'db', '--cache', '--format', 'json')).code, 0);
    assert.ok(existsSync(join(plain, '.pgdba-cache')));
    assert.ok(!existsSync(join(plain, 'node_modules')), 'no node_modules made in a project without one');

    const js = repo(files);
    mkdirSync(join(js, 'node_modules'));
    assert.equal((await pgdba(js, 'check', 'db', '--cache', '--format', 'json')).code, 0);
    assert.ok(existsSync(join(js, 'node_modules', '.cache', 'pgdba')));
    assert.ok(!existsSync(join(js, '.pgdba-cache')));
  });
});
