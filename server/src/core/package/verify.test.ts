// Tests for seal and verify over an in-memory package: clean, changed, missing, extra, unsealed and stale files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from './manifest';
import { sealPackage, verifyPackage, type PackageReader, type VerifyResult } from './verify';

const B = 'DBA_T-1_20250131';
const MANIFEST = `${B}_package.json`;

/** Files by path; the "hash" is the content itself, which is all verify compares (the CLI injects sha256). */
function memoryReader(files: Map<string, string>): PackageReader {
  return {
    async list(dir, { recursive }) {
      const prefix = dir ? `${dir}/` : '';
      return [...files.keys()].filter((p) => p.startsWith(prefix) && (recursive || !p.slice(prefix.length).includes('/'))).sort();
    },
    async hash(path) {
      return files.get(path);
    },
  };
}

function samplePackage(): { files: Map<string, string>; manifest: Manifest } {
  const files = new Map([
    [`${B}_DB_SPEC.md`, '# spec'],
    [`${B}_migrations/001.up.sql`, 'CREATE TABLE t (id int);'],
    [`${B}_migrations/rollback/001.down.sql`, 'DROP TABLE t;'],
    [`${B}_perf/q1.json`, '{"Plan":{}}'],
    [`${B}_evidence/validation.log`, 'ok'],
    [MANIFEST, '{}'],
    ['unrelated.txt', 'not part of the package'],
  ]);
  const manifest: Manifest = {
    briefId: 'T-1',
    date: '2025-01-31',
    spec: `${B}_DB_SPEC.md`,
    migrations: [`${B}_migrations/001.up.sql`, `${B}_migrations/rollback/001.down.sql`],
    perf: [`${B}_perf/q1.json`],
    security: [],
    ha_dr: [],
    observability: [],
    evidence: [`${B}_evidence/validation.log`],
  };
  return { files, manifest };
}

async function sealed(): Promise<{ files: Map<string, string>; manifest: Manifest }> {
  const { files, manifest } = samplePackage();
  const r = await sealPackage(manifest, MANIFEST, memoryReader(files));
  assert.ok(r.manifest);
  return { files, manifest: r.manifest };
}

function summary(r: VerifyResult): string[] {
  return r.findings.map((f) => `${f.kind} ${f.path}`);
}

describe('seal', () => {
  test('hashes exactly the listed files', async () => {
    const { manifest } = await sealed();
    assert.deepEqual(Object.keys(manifest.hashes ?? {}).sort(), [
      `${B}_DB_SPEC.md`,
      `${B}_evidence/validation.log`,
      `${B}_migrations/001.up.sql`,
      `${B}_migrations/rollback/001.down.sql`,
      `${B}_perf/q1.json`,
    ]);
  });

  test('refuses when a listed file is missing, naming it', async () => {
    const { files, manifest } = samplePackage();
    files.delete(`${B}_perf/q1.json`);
    const r = await sealPackage(manifest, MANIFEST, memoryReader(files));
    assert.equal(r.manifest, undefined);
    assert.deepEqual(r.missing, [`${B}_perf/q1.json`]);
  });

  test('reports unlisted files but still seals the listed ones', async () => {
    const { files, manifest } = samplePackage();
    files.set(`${B}_security/grants.sql`, 'GRANT');
    const r = await sealPackage(manifest, MANIFEST, memoryReader(files));
    assert.ok(r.manifest);
    assert.deepEqual(r.extra, [`${B}_security/grants.sql`]);
  });
});

describe('verify', () => {
  test('a freshly sealed package verifies clean', async () => {
    const { files, manifest } = await sealed();
    const r = await verifyPackage(manifest, MANIFEST, memoryReader(files));
    assert.deepEqual(summary(r), []);
    assert.equal(r.ok, true);
    assert.equal(r.matched, 5);
  });

  test('changing any listed file fails and names that file', async () => {
    const { files, manifest } = await sealed();
    for (const path of Object.keys(manifest.hashes ?? {})) {
      const edited = new Map(files);
      edited.set(path, `${files.get(path)} `);
      const r = await verifyPackage(manifest, MANIFEST, memoryReader(edited));
      assert.equal(r.ok, false, path);
      assert.deepEqual(summary(r), [`changed ${path}`]);
      assert.deepEqual(r.findings[0].keyPath, ['hashes', path]);
    }
  });

  test('missing files are named with the key that lists them', async () => {
    const { files, manifest } = await sealed();
    files.delete(`${B}_migrations/rollback/001.down.sql`);
    const r = await verifyPackage(manifest, MANIFEST, memoryReader(files));
    assert.deepEqual(summary(r), [`missing ${B}_migrations/rollback/001.down.sql`]);
    assert.deepEqual(r.findings[0].keyPath, ['migrations', 1]);
  });

  test('extra files in the section folders or named after the package are reported; others are not', async () => {
    const { files, manifest } = await sealed();
    files.set(`${B}_ha_dr/notes/backup.txt`, 'x');
    files.set(`${B}_draft.md`, 'x');
    files.set('README.md', 'x');
    const r = await verifyPackage(manifest, MANIFEST, memoryReader(files));
    assert.deepEqual(summary(r), [`extra ${B}_draft.md`, `extra ${B}_ha_dr/notes/backup.txt`]);
  });

  test('an unsealed file and a stale hash are both mismatches', async () => {
    const { files, manifest } = await sealed();
    const hashes = { ...manifest.hashes };
    delete hashes[`${B}_perf/q1.json`];
    hashes[`${B}_perf/old.json`] = 'gone';
    const r = await verifyPackage({ ...manifest, hashes }, MANIFEST, memoryReader(files));
    assert.deepEqual(summary(r), [`unsealed ${B}_perf/q1.json`, `stale ${B}_perf/old.json`]);
  });
});
