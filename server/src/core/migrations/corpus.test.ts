// Discovers the layouts of the real projects in ../shared/corpus and checks them against its README.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import { corpusSkip, requireCorpus } from '../../testing/corpus';
import { compareLexical, compareNatural } from './compare';
import { discoverLayout } from './discover';
import type { LayoutKind } from './types';

const repoRoot = resolve(__dirname, '../../../..');
const corpus = resolve(repoRoot, '../shared/corpus');
const skip = corpusSkip(corpus);

interface Expected {
  roots: [string, LayoutKind][];
  migrations: number;
  /** Migrations that have a down part: the README's "pairs". */
  pairs: number;
  plain?: string[];
  ignored?: number;
}

// Pair counts are the README's; migration counts for up-only layouts come from the pinned commits.
const EXPECTED: Record<string, Expected> = {
  'LemmyNet+lemmy': { roots: [['migrations', 'diesel']], migrations: 342, pairs: 342 },
  'chirpstack+chirpstack': {
    roots: [
      ['chirpstack/migrations_postgres', 'diesel'],
      ['chirpstack/src/integration/postgresql/migrations', 'diesel'],
    ],
    migrations: 32,
    pairs: 32,
  },
  'ory+kratos': { roots: [['persistence/sql/migrations/sql', 'pop']], migrations: 346, pairs: 346, ignored: 0 },
  'ory+keto': { roots: [['internal/persistence/sql/migrations/sql', 'pop']], migrations: 15, pairs: 15 },
  'openmeterio+openmeter': { roots: [['tools/migrate/migrations', 'golang-migrate']], migrations: 269, pairs: 269 },
  // 149 ups; two down files belong to Go migrations (their ups are .go files), so they stay plain.
  'concourse+concourse': {
    roots: [['atc/db/migration/migrations', 'golang-migrate']],
    migrations: 149,
    pairs: 148,
    plain: ['atc/db/migration/migrations/1522178770_add_job_tags.down.sql', 'atc/db/migration/migrations/1561558376_add_type_to_resources.down.sql'],
  },
  'goharbor+harbor': { roots: [['make/migrations/postgresql', 'golang-migrate']], migrations: 39, pairs: 0 },
  'temporalio+temporal': {
    roots: [
      ['schema/postgresql/v12/temporal/versioned', 'numbered'],
      ['schema/postgresql/v12/visibility/versioned', 'numbered'],
    ],
    migrations: 44,
    pairs: 0,
  },
};

describe('corpus layouts', { skip }, () => {
  before(() => requireCorpus(corpus));
  test('the corpus holds exactly the projects we expect', () => {
    const projects = readdirSync(corpus)
      .filter((n) => n !== 'README.md')
      .sort();
    assert.deepEqual(projects, Object.keys(EXPECTED).sort());
  });

  for (const [project, want] of Object.entries(EXPECTED)) {
    test(project, () => {
      const files = nodeWorkspaceFiles(resolve(corpus, project));
      const layout = discoverLayout(files);
      assert.deepEqual(
        layout.roots.map((r) => [r.path, r.layout]),
        want.roots,
      );
      assert.equal(layout.migrations.length, want.migrations);
      assert.equal(layout.migrations.filter((m) => m.down).length, want.pairs);
      assert.deepEqual(layout.plain, want.plain ?? []);
      if (want.ignored !== undefined) assert.equal(layout.ignored.length, want.ignored);
      // Every .sql file is accounted for exactly once.
      const sql = files.list().filter((p) => p.endsWith('.sql'));
      const seen = [...layout.migrations.flatMap((m) => [m.up.path, ...(m.down ? [m.down.path] : [])]), ...layout.plain, ...layout.ignored.map((i) => i.path)];
      assert.deepEqual([...seen].sort(), [...sql].sort());
      // Within a root, versions never go backwards (diesel compares them as strings).
      for (const [root, kind] of want.roots) {
        const versions = layout.migrations.filter((m) => m.root === root).map((m) => m.version);
        const compare = kind === 'diesel' ? compareLexical : compareNatural;
        assert.ok(versions.length > 0);
        versions.slice(1).forEach((v, i) => assert.ok(compare(versions[i], v) <= 0, `${versions[i]} before ${v}`));
      }
    });
  }

  test('kratos: postgres files win, .autocommit files are unwrapped', () => {
    const layout = discoverLayout(nodeWorkspaceFiles(resolve(corpus, 'ory+kratos')));
    const ups = layout.migrations.map((m) => m.up.path);
    assert.equal(ups.filter((p) => p.includes('.postgres.')).length, 279);
    const unwrapped = layout.migrations.filter((m) => m.transaction === 'none').map((m) => m.name);
    assert.equal(unwrapped.length, 10);
    assert.ok(layout.migrations.every((m) => (m.up.path.includes('.autocommit.') ? m.transaction === 'none' : m.transaction === 'wrapped')));
  });

  test('lemmy: diesel order puts the initial setup first and follows the timestamps', () => {
    const layout = discoverLayout(nodeWorkspaceFiles(resolve(corpus, 'LemmyNet+lemmy')));
    assert.equal(layout.migrations[0].name, 'diesel_initial_setup');
    const ids = layout.migrations.map((m) => m.id);
    assert.deepEqual(ids, [...ids].sort());
  });
});
