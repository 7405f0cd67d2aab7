// The differential test of the catalog: for every project of ../shared/corpus, the static schema JSON equals the one read
// from PGlite built from the same migrations, after the last migration and at points along the way. What PGlite had to
// skip is left out of the static side too (that is the engine's gap, not the catalog's); known differences are listed,
// with their reason, in schema-corpus-allow.json, and an entry that no longer matches anything fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initParser } from '../../server/src/core/parse/parse';
import { catalogFromMigrations, diffSchemaJson, differenceText, schemaFromCatalog } from '../../server/src/core/schema';
import { buildPgliteFromMigrations, defaultPgliteCacheDir, workspaceMigrations } from '../../server/src/engine';
import { introspectSchema } from '../../server/src/engine/introspect';
import { nodeWorkspaceFiles } from '../../server/src/node/workspace-files';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');
const present = existsSync(CORPUS);
// In CI the corpus must be there: a missing corpus fails instead of skipping.
const skip = !present && !process.env.CI ? '../shared/corpus is absent' : false;

interface Allowed {
  project: string;
  /** A difference path from diffSchemaJson, or a prefix of one; `.*` stands for any one step (`.name` or `["name"]`). */
  path: string;
  reason: string;
}

function matcher(path: string): RegExp {
  const step = String.raw`(?:\.[^.[]+|\["[^"]*"\])`;
  const parts = path.split('.*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(step)}(?:$|[.[])`);
}

const ALLOWED: Allowed[] = JSON.parse(readFileSync(join(__dirname, 'schema-corpus-allow.json'), 'utf8'));

const projects = present
  ? readdirSync(CORPUS)
      .filter((p) => statSync(join(CORPUS, p)).isDirectory())
      .sort()
  : [];

test('the corpus is there', { skip }, () => {
  assert.ok(present, `${CORPUS} is missing`);
  assert.ok(projects.length >= 8, `${projects.length} projects`);
});

for (const project of projects) {
  test(`${project}: static schema JSON equals PGlite's, along the way and at the end`, { skip, timeout: 1_800_000 }, async (t) => {
    await initParser();
    const dir = join(CORPUS, project);
    const migrations = workspaceMigrations(nodeWorkspaceFiles(dir));
    assert.ok(migrations.length > 0, 'no migrations found');
    const n = migrations.length;
    const points = [...new Set([Math.ceil(n / 3), Math.ceil((2 * n) / 3), n])];
    const allowed = ALLOWED.filter((a) => a.project === project);
    const used = new Set<Allowed>();
    const unexpected: string[] = [];
    let total = 0;
    for (const k of points) {
      const slice = migrations.slice(0, k);
      // The per-workspace cache the CLI uses: each point resumes from the longest built prefix.
      const build = await buildPgliteFromMigrations(slice, { cacheDir: defaultPgliteCacheDir(dir) });
      let engineSide;
      try {
        engineSide = await introspectSchema(build.engine);
      } finally {
        await build.engine.close();
      }
      const staticSide = schemaFromCatalog(catalogFromMigrations(slice, build.skipped));
      const diffs = diffSchemaJson(staticSide, engineSide);
      total += new Set(diffs.map((d) => d.object)).size;
      for (const d of diffs) {
        const allow = allowed.find((a) => matcher(a.path).test(d.path));
        if (allow) used.add(allow);
        else unexpected.push(`after ${k}/${n}: ${differenceText(d, ['static', 'engine'])}`);
      }
      t.diagnostic(`after ${k}/${n} migrations: ${diffs.length} differences (${build.skipped.length} statements skipped by PGlite)`);
    }
    t.diagnostic(`${total} differing objects over ${points.length} points`);
    assert.deepEqual(unexpected, [], `static and PGlite schemas differ:\n${unexpected.join('\n')}`);
    const stale = allowed.filter((a) => !used.has(a)).map((a) => a.path);
    assert.deepEqual(stale, [], 'allow-list entries that match no difference any more: remove them');
  });
}
