// PGlite built from a real project's migrations (LemmyNet/lemmy in ../shared/corpus): how much applies, what is skipped and why.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPgliteFromMigrations, workspaceMigrations } from '../../server/src/engine';
import { nodeWorkspaceFiles } from '../../server/src/node/workspace-files';
import { parsePlan } from '../../server/src/core/explain';
import { corpusSkip, requireCorpus } from '../../server/src/testing/corpus';

const LEMMY = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'LemmyNet+lemmy');
const cacheDir = mkdtempSync(join(tmpdir(), 'pgdba-lemmy-cache-'));

after(() => rmSync(cacheDir, { recursive: true, force: true }));

test('LemmyNet/lemmy: 342 diesel migrations build, plan, and load warm from the cache', { skip: corpusSkip(LEMMY) }, async (t) => {
  requireCorpus(LEMMY);
  const migrations = workspaceMigrations(nodeWorkspaceFiles(LEMMY));
  assert.equal(migrations.length, 342);
  const cold = await buildPgliteFromMigrations(migrations, { cacheDir });
  await cold.engine.close();
  t.diagnostic(`cold build ${cold.ms} ms: ${cold.applied} statements applied, ${cold.skipped.length} skipped, extensions ${cold.extensions.join(', ')}`);
  for (const s of cold.skipped) t.diagnostic(`skipped ${s.migration}: ${s.excerpt} — ${s.reason}`);
  assert.ok(cold.applied > 2000, `${cold.applied} statements applied`);
  // Lemmy's migrations are written for PostgreSQL; nearly all of them run on PGlite.
  assert.ok(cold.skipped.length <= 5, cold.skipped.map((s) => s.reason).join('\n'));
  assert.deepEqual(cold.extensions, ['ltree', 'pg_trgm', 'pgcrypto']);

  const warm = await buildPgliteFromMigrations(migrations, { cacheDir });
  try {
    t.diagnostic(`warm start ${warm.ms} ms`);
    assert.equal(warm.cache, 'full');
    assert.deepEqual(warm.skipped, cold.skipped);
    const r = await warm.engine.explain('SELECT * FROM post WHERE community_id = $1 ORDER BY published_at DESC LIMIT 20');
    assert.equal(r.generic, 'generic-plan');
    assert.ok(parsePlan(r.json).nodes.some((n) => n.relation === 'post'));
  } finally {
    await warm.engine.close();
  }
});
