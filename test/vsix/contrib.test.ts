// The packaged extension loads every PGlite contrib extension: unzip the real VSIX and run its own bundled worker on it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PgliteEngine } from '../../server/src/engine/pglite-engine';
import { PGLITE_CONTRIB } from '../../server/src/engine/pglite-extensions';
import { REPO_ROOT, unzipVsix, vsixUnderTest } from './vsix';

const temp = mkdtempSync(join(tmpdir(), 'pgdba-vsix-test-'));
const extension = unzipVsix(vsixUnderTest(temp));
const worker = join(extension, 'dist', 'pglite-worker.js');
after(() => {
  rmSync(temp, { recursive: true, force: true });
  rmSync(dirname(extension), { recursive: true, force: true });
});

// auto_explain is a loadable module, not an extension: it has no control file, so CREATE EXTENSION refuses it in any
// PostgreSQL; a session uses it with LOAD.
const LOAD_ONLY = new Set(['auto_explain']);

test('the VSIX is unpacked outside this repository, so nothing resolves from its node_modules', () => {
  assert.ok(relative(REPO_ROOT, extension).startsWith('..'), extension);
  assert.ok(existsSync(worker), 'dist/pglite-worker.js is in the VSIX');
});

test('every contrib module the bundled worker requires resolves inside the VSIX (its tarball is proven by creating it, below)', () => {
  const bundle = readFileSync(worker, 'utf8');
  const specifiers = [...new Set([...bundle.matchAll(/\brequire\(["'](@electric-sql\/pglite\/contrib\/[\w-]+)["']\)/g)].map((m) => m[1]))].sort();
  assert.equal(
    specifiers.length,
    Object.keys(PGLITE_CONTRIB).length,
    'the bundle require()s one module per contrib extension (an import() would resolve to the ESM files)',
  );
  // The bundle is CommonJS: Node resolves its require() calls with the "require" condition, from dist/ upwards.
  const requireFromWorker = createRequire(worker);
  const missing: string[] = [];
  for (const spec of specifiers) {
    let file: string;
    try {
      file = requireFromWorker.resolve(spec);
    } catch (err) {
      missing.push(`${spec}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    assert.ok(file.startsWith(extension), `${spec} resolved outside the VSIX: ${file}`);
    const ext = requireFromWorker(spec) as Record<string, { name: string; setup: unknown }>;
    const name = spec.split('/').pop()!;
    assert.equal(typeof ext[name]?.setup, 'function', `${spec} exports ${name}.setup`);
  }
  assert.deepEqual(missing, []);
});

test('the packaged worker creates every contrib extension PGlite ships', { timeout: 300_000 }, async () => {
  const names = Object.keys(PGLITE_CONTRIB);
  const engine = new PgliteEngine({ extensions: names, workerPath: worker, statementTimeoutMs: 120_000 });
  try {
    const failed: string[] = [];
    for (const name of names) {
      const sql = LOAD_ONLY.has(name) ? `LOAD '${name}'` : `CREATE EXTENSION "${name}" CASCADE`;
      await engine.exec(sql).catch((err: Error) => failed.push(`${name}: ${err.message}`));
    }
    assert.deepEqual(failed, []);
    const { rows } = await engine.query<{ extname: string }>('SELECT extname FROM pg_extension');
    const created = new Set(rows.map((r) => r.extname));
    assert.deepEqual(
      names.filter((n) => !LOAD_ONLY.has(n) && !created.has(n)),
      [],
    );
    const setting = await engine.query<{ v: string }>("SELECT current_setting('auto_explain.log_min_duration') AS v");
    assert.equal(setting.rows[0].v, '-1', 'auto_explain is loaded (its settings exist)');
  } finally {
    await engine.close();
  }
});

test('the E2E contrib workspace creates every contrib extension PGlite ships', () => {
  const up = readFileSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'contrib', 'migrations', '000001_contrib_extensions.up.sql'), 'utf8');
  const created = [...up.matchAll(/CREATE EXTENSION IF NOT EXISTS "([\w-]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(
    created,
    Object.keys(PGLITE_CONTRIB)
      .filter((n) => !LOAD_ONLY.has(n))
      .sort(),
  );
});
