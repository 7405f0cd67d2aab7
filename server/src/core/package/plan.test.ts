// Tests for planning a new package: folders, spec sections with honest gaps, manifest, and refused names.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GATES, fullGateChecklist } from './gates';
import { PackageError } from './naming';
import { planPackage, type FillResult } from './plan';

const ISSUE_SECTIONS = [
  'Summary',
  'Inputs Used',
  'Data Model (ER & constraints)',
  'Index/Partition plan',
  'Perf budgets',
  'Security (roles/RLS/crypto)',
  'HA/DR',
  'Observability',
  'Risks',
];

function specOf(fills: FillResult[]): string {
  const plan = planPackage('CHG-9', '20250131', fills);
  const spec = plan.files.find((f) => f.path === plan.layout.spec);
  assert.ok(spec && typeof spec.content === 'string');
  return spec.content;
}

/** The body of one `## title` section. */
function section(spec: string, title: string): string {
  const start = spec.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `section ${title}`);
  const next = spec.indexOf('\n## ', start + 1);
  return spec.slice(start, next < 0 ? undefined : next);
}

describe('planPackage', () => {
  test('an empty package has every folder, an empty manifest and a spec with the issue sections in order', () => {
    const plan = planPackage('CHG-9', '20250131', []);
    assert.deepEqual([...plan.dirs].sort(), [
      'DBA_CHG-9_20250131_evidence',
      'DBA_CHG-9_20250131_ha_dr',
      'DBA_CHG-9_20250131_migrations',
      'DBA_CHG-9_20250131_migrations/rollback',
      'DBA_CHG-9_20250131_observability',
      'DBA_CHG-9_20250131_perf',
      'DBA_CHG-9_20250131_security',
    ]);
    assert.ok(plan.dirs.indexOf('DBA_CHG-9_20250131_migrations') < plan.dirs.indexOf('DBA_CHG-9_20250131_migrations/rollback'), 'parents first');
    assert.deepEqual(plan.manifest, {
      briefId: 'CHG-9',
      date: '2025-01-31',
      spec: 'DBA_CHG-9_20250131_DB_SPEC.md',
      migrations: [],
      perf: [],
      security: [],
      ha_dr: [],
      observability: [],
      evidence: [],
    });
    const spec = specOf([]);
    const positions = ISSUE_SECTIONS.map((t) => spec.indexOf(`\n## ${t}\n`));
    assert.ok(
      positions.every((p) => p > 0),
      'every issue section is present',
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'in the issue order',
    );
  });

  test('sections without data say so and list their DBA gate items; nothing is invented', () => {
    const spec = specOf([]);
    for (const t of ISSUE_SECTIONS.slice(1)) assert.match(section(spec, t), /_Missing: the package holds nothing for this section yet\._/, t);
    assert.doesNotMatch(section(spec, 'Summary'), /_Missing/);
    assert.match(section(spec, 'HA/DR'), /DBA gate "HA and DR", still to provide:\n\n- \[ \] WAL volume/);
    assert.match(section(spec, 'Evidence and repo hygiene'), /DBA gate "Repo hygiene", still to provide/);
    // Every gate item appears somewhere in the spec, so no gate is forgotten.
    for (const g of GATES) for (const item of g.items) assert.ok(spec.includes(`- [ ] ${item.text}`), `${g.id}/${item.id}`);
    assert.doesNotMatch(spec, /Evidence in this package/);
  });

  test('filled files land in their folders, the manifest and the spec; notes are shown where they belong', () => {
    const fills: FillResult[] = [
      {
        files: [
          { section: 'migrations', name: '001.up.sql', content: 'CREATE TABLE t (id int);' },
          { section: 'migrations', name: 'rollback/001.down.sql', content: 'DROP TABLE t;' },
          { section: 'perf', name: 'q1/plan.json', content: '{}' },
        ],
        inputs: ['`db/001.up.sql` → `DBA_CHG-9_20250131_migrations/001.up.sql`'],
        notes: [{ about: 'rollback', text: 'the rollback of db/001.up.sql is empty: it changes nothing' }],
      },
    ];
    const plan = planPackage('CHG-9', '20250131', fills);
    assert.deepEqual(plan.manifest.migrations, ['DBA_CHG-9_20250131_migrations/001.up.sql', 'DBA_CHG-9_20250131_migrations/rollback/001.down.sql']);
    assert.deepEqual(plan.manifest.perf, ['DBA_CHG-9_20250131_perf/q1/plan.json']);
    assert.ok(plan.dirs.includes('DBA_CHG-9_20250131_perf/q1'));
    const spec = specOf(fills);
    assert.match(section(spec, 'Inputs Used'), /- `db\/001.up.sql` → `DBA_CHG-9_20250131_migrations\/001.up.sql`/);
    assert.match(section(spec, 'Data Model (ER & constraints)'), /Evidence in this package:\n\n- `DBA_CHG-9_20250131_migrations\/001.up.sql`\n\n/);
    assert.match(section(spec, 'Risks'), /- `DBA_CHG-9_20250131_migrations\/rollback\/001.down.sql`/);
    assert.match(section(spec, 'Risks'), /- the rollback of db\/001.up.sql is empty/);
    assert.match(section(spec, 'Perf budgets'), /to confirm:/);
    assert.match(section(spec, 'Security (roles/RLS/crypto)'), /_Missing/);
  });

  test('bad ids, dates, unsafe names and collisions are refused', () => {
    assert.throws(() => planPackage('a b', '20250131', []), PackageError);
    assert.throws(() => planPackage('a', '2025-01-31', []), PackageError);
    const file = (name: string) => ({ files: [{ section: 'perf' as const, name, content: '' }], inputs: [], notes: [] });
    assert.throws(() => planPackage('a', '20250131', [file('../escape.json')]), /unsafe file name/);
    assert.throws(() => planPackage('a', '20250131', [file('x.json'), file('x.json')]), /two inputs would both be written to DBA_a_20250131_perf\/x.json/);
  });
});

test('the full gate checklist has the seven DBA gates in order', () => {
  assert.deepEqual(
    [...fullGateChecklist().matchAll(/^### \d\. (.+)$/gm)].map((m) => m[1]),
    ['Inputs complete', 'Migrations and data safety', 'Performance and indexing', 'Security and compliance', 'HA and DR', 'Observability', 'Repo hygiene'],
  );
});
