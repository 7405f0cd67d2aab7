// A DBA package filled from the workspace (a migration and its rollback, a PGlite EXPLAIN, the catalog's security
// posture, a validation log), sealed, verified clean, then tampered with one byte per file: verify names each file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPackage } from '../../server/src/cli/commands/package';
import { listedFiles, parseManifest } from '../../server/src/core/package/manifest';
import { requireCorpus } from '../../server/src/testing/corpus';

const root = join(__dirname, '..', '..');
const corpusLemmy = join(root, '..', 'shared', 'corpus', 'LemmyNet+lemmy', 'migrations');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-filled-'));
  cpSync(join(root, 'examples', 'saas'), join(dir, 'saas'), { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runPackage(argv, { cwd: dir, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

describe('a filled DBA package', () => {
  test('created from the workspace with a PGlite EXPLAIN, sealed, verifies clean; one changed byte in any file fails verify naming it', async () => {
    const from = ['saas/migrations/000001_create_tenants.up.sql'];
    const lemmy = join(corpusLemmy, '2019-02-26-002946_create_user');
    // Under CI=true the corpus must be there; elsewhere the package is built from the example alone.
    if (existsSync(lemmy) || process.env.CI) {
      requireCorpus(lemmy);
      cpSync(lemmy, join(dir, 'lemmy', '2019-02-26-002946_create_user'), { recursive: true });
      from.push('lemmy/2019-02-26-002946_create_user/up.sql');
    }
    const created = await run([
      'new',
      'PERF-42',
      '--date',
      '20261123',
      '--dir',
      'out',
      '--from',
      ...from,
      '--explain',
      'saas/queries/reports.sql:2',
      '--security',
      'saas',
      '--check',
      'saas',
      '--rehearse',
      'saas/migrations',
    ]);
    assert.equal(created.code, 0, created.err + created.out);
    const manifestPath = join(dir, 'out', 'DBA_PERF-42_20261123_package.json');
    const manifest = parseManifest(readFileSync(manifestPath, 'utf8'));
    assert.ok(manifest.ok);
    assert.ok(manifest.manifest.perf.some((p) => p.endsWith('.json')) && manifest.manifest.perf.some((p) => p.endsWith('.txt')));
    const planJson = JSON.parse(
      readFileSync(
        join(
          dir,
          'out',
          manifest.manifest.perf.find((p) => p.endsWith('.json'))!,
        ),
        'utf8',
      ),
    );
    assert.match(planJson.source, /PGlite/);
    assert.ok(JSON.stringify(planJson.plan).includes('"Relation Name":"accounts"'), "the plan scans the query's tables");
    assert.ok(
      manifest.manifest.migrations.some((p) => p.includes('rollback/')),
      'the rollback is packaged',
    );
    if (from.length > 1)
      assert.ok(
        manifest.manifest.migrations.some((p) => p.includes('create_user')),
        'the corpus migration is packaged',
      );
    assert.match(
      readFileSync(join(dir, 'out', manifest.manifest.security[0]), 'utf8'),
      /public\.accounts \| tenant_id \| yes \| yes \| accounts_tenant_isolation/,
    );
    const evidence = manifest.manifest.evidence.map((p) => readFileSync(join(dir, 'out', p), 'utf8')).join('\n');
    assert.match(evidence, /missing-tenant-filter/, 'validation.log');
    assert.match(evidence, /000001_create_tenants\.up\.sql/, 'rehearsal transcript');

    assert.equal((await run(['seal', manifestPath])).code, 0);
    const clean = await run(['verify', manifestPath]);
    assert.equal(clean.code, 0, clean.out + clean.err);

    const sealed = parseManifest(readFileSync(manifestPath, 'utf8'));
    assert.ok(sealed.ok);
    for (const { path: rel } of listedFiles(sealed.manifest)) {
      const path = join(dir, 'out', rel);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      changed[Math.floor(changed.length / 2)] ^= 1;
      writeFileSync(path, changed);
      const broken = await run(['verify', manifestPath]);
      assert.equal(broken.code, 1, `verify must fail after changing ${rel}`);
      assert.ok((broken.out + broken.err).includes(rel), `verify must name ${rel}:\n${broken.out}${broken.err}`);
      writeFileSync(path, original);
    }
    assert.equal((await run(['verify', manifestPath])).code, 0);
  });
});
