// Tests for golang-migrate, sqlx, dbmate, Supabase and numbered folders on in-memory trees.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

const discover = (tree: Record<string, string>) => discoverLayout(memoryWorkspaceFiles(tree));

describe('golang-migrate', () => {
  const tree = {
    'go.mod': 'module x',
    'db/migrations/10_third.up.sql': 'c',
    'db/migrations/10_third.down.sql': 'c',
    'db/migrations/2_second.up.sql': 'b',
    'db/migrations/2_second.down.sql': 'b',
    'db/migrations/1_first.up.sql': 'a',
    'db/migrations/1_first.down.sql': 'a',
    'db/migrations/3_no_down.up.sql': 'd',
    'db/migrations/seed.sql': 'x',
  };

  test('pairs by version, orders numerically, does not wrap', () => {
    const l = discover(tree);
    assert.deepEqual(l.roots, [{ path: 'db/migrations', layout: 'golang-migrate' }]);
    assert.deepEqual(
      l.migrations.map((m) => m.name),
      ['first', 'second', 'no_down', 'third'],
    );
    const first = l.migrations[0];
    assert.equal(first.id, 'db/migrations/1_first.up.sql');
    assert.equal(first.down?.path, 'db/migrations/1_first.down.sql');
    assert.equal(l.migrations[2].down, undefined);
    assert.ok(l.migrations.every((m) => m.transaction === 'none' && m.downExpected));
    assert.deepEqual(l.plain, ['db/migrations/seed.sql']);
  });

  test('reads no file at all', () => {
    const files = memoryWorkspaceFiles(tree);
    discoverLayout(files);
    assert.deepEqual(files.reads, []);
  });

  test('pairs a single up and down of one version even when their names differ', () => {
    const l = discover({ 'm/5_add_jobs.up.sql': '', 'm/5_add_job.down.sql': '' });
    assert.equal(l.migrations.length, 1);
    assert.equal(l.migrations[0].down?.path, 'm/5_add_job.down.sql');
  });

  test('reports duplicate versions and orphan downs, still pairing duplicates by name', () => {
    const l = discover({
      'm/7_a.up.sql': '',
      'm/7_a.down.sql': '',
      'm/7_b.up.sql': '',
      'm/7_b.down.sql': '',
      'm/8_gone.down.sql': '',
    });
    assert.deepEqual(
      l.migrations.map((m) => [m.name, m.down?.path]),
      [
        ['a', 'm/7_a.down.sql'],
        ['b', 'm/7_b.down.sql'],
      ],
    );
    assert.ok(l.problems.some((p) => p.path === 'm/7_b.up.sql' && /two migration files/.test(p.message)));
    assert.ok(l.problems.some((p) => p.path === 'm/8_gone.down.sql' && /no up/.test(p.message)));
    assert.deepEqual(l.plain, ['m/8_gone.down.sql']);
  });
});

describe('sqlx', () => {
  test('a Rust crate makes an up/down folder sqlx; `-- no-transaction` unwraps a file', () => {
    const l = discover({
      'Cargo.toml': '[package]',
      'migrations/20220101000000_init.up.sql': 'create table t ();',
      'migrations/20220101000000_init.down.sql': 'drop table t;',
      'migrations/20220102000000_idx.up.sql': '-- no-transaction\ncreate index concurrently i on t (a);',
      'migrations/20220102000000_idx.down.sql': '-- no-transaction\ndrop index concurrently i;',
    });
    assert.deepEqual(l.roots, [{ path: 'migrations', layout: 'sqlx' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.name, m.transaction, m.downTransaction]),
      [
        ['init', 'wrapped', 'wrapped'],
        ['idx', 'none', 'none'],
      ],
    );
  });

  test('simple `<v>_<name>.sql` files are irreversible migrations', () => {
    const l = discover({
      'api/Cargo.toml': '',
      'api/migrations/1_init.sql': 'create table t ();',
      'api/migrations/2_more.sql': '-- no-transaction\nvacuum t;',
    });
    assert.deepEqual(l.roots, [{ path: 'api/migrations', layout: 'sqlx' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.name, m.downExpected, m.transaction]),
      [
        ['init', false, 'wrapped'],
        ['more', false, 'none'],
      ],
    );
  });

  test('a folder mixing simple and reversible files is sqlx even without Cargo.toml', () => {
    const l = discover({ 'm/1_a.sql': '', 'm/2_b.up.sql': '', 'm/2_b.down.sql': '' });
    assert.equal(l.roots[0].layout, 'sqlx');
    assert.deepEqual(
      l.migrations.map((m) => [m.name, m.downExpected, m.down !== undefined]),
      [
        ['a', false, false],
        ['b', true, true],
      ],
    );
  });

  test('the nearest manifest wins: a Go module inside a Rust repo is golang-migrate', () => {
    const l = discover({ 'Cargo.toml': '', 'svc/go.mod': '', 'svc/migrations/1_a.up.sql': '', 'svc/migrations/1_a.down.sql': '' });
    assert.equal(l.roots[0].layout, 'golang-migrate');
  });
});

describe('dbmate', () => {
  test('single files with up/down sections and transaction:false', () => {
    const a = '-- migrate:up\ncreate table t ();\n-- migrate:down\ndrop table t;\n';
    const b = '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n\n-- migrate:down\n';
    const c = '-- migrate:up\nselect 1;\n';
    const l = discover({
      'db/migrations/20240101000000_create_t.sql': a,
      'db/migrations/20240102000000_index_t.sql': b,
      'db/migrations/20240103000000_up_only.sql': c,
      'db/migrations/20240104000000_broken.sql': 'select 1;',
      'db/schema.sql': 'create table t ();',
    });
    assert.deepEqual(l.roots, [{ path: 'db/migrations', layout: 'dbmate' }]);
    const [ma, mb, mc] = l.migrations;
    assert.equal(l.migrations.length, 3);
    assert.deepEqual([ma.name, ma.version], ['create_t', '20240101000000']);
    assert.equal(a.slice(ma.up.start, ma.up.end), 'create table t ();\n');
    assert.equal(a.slice(ma.down!.start, ma.down!.end), 'drop table t;\n');
    assert.equal(ma.up.path, ma.down?.path);
    assert.deepEqual([mb.transaction, mb.downTransaction], ['none', 'wrapped']);
    assert.equal(mc.down, undefined);
    assert.ok(mc.downExpected);
    assert.ok(l.problems.some((p) => p.path.endsWith('_broken.sql')));
    assert.deepEqual(l.plain, ['db/migrations/20240104000000_broken.sql', 'db/schema.sql']);
  });
});

describe('supabase', () => {
  test('supabase/migrations files are up-only and run as one implicit transaction', () => {
    const l = discover({
      'supabase/config.toml': '',
      'supabase/migrations/20240102000000_b.sql': '',
      'supabase/migrations/20240101000000_a.sql': '',
      'supabase/seed.sql': '',
    });
    assert.deepEqual(l.roots, [{ path: 'supabase/migrations', layout: 'supabase' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.name, m.transaction, m.downExpected]),
      [
        ['a', 'wrapped', false],
        ['b', 'wrapped', false],
      ],
    );
    assert.deepEqual(l.plain, ['supabase/seed.sql']);
  });

  test('a .down.sql there is just another migration, as the CLI pattern says', () => {
    const l = discover({ 'supabase/migrations/1_a.up.sql': '', 'supabase/migrations/2_a.down.sql': '' });
    assert.deepEqual(
      l.migrations.map((m) => m.name),
      ['a.up', 'a.down'],
    );
  });
});

describe('up-only golang-migrate', () => {
  test('a folder of only `.up.sql` files (harbor) is golang-migrate, ordered naturally, expecting no downs', () => {
    const l = discover({
      'make/migrations/postgresql/0010_1.9.0_schema.up.sql': '',
      'make/migrations/postgresql/0002_1.7.0_schema.up.sql': '',
      'make/migrations/postgresql/0001_initial_schema.up.sql': '',
    });
    assert.deepEqual(l.roots, [{ path: 'make/migrations/postgresql', layout: 'golang-migrate' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.version, m.name, m.downExpected, m.transaction]),
      [
        ['0001', 'initial_schema', false, 'none'],
        ['0002', '1.7.0_schema', false, 'none'],
        ['0010', '1.9.0_schema', false, 'none'],
      ],
    );
  });

  test('a `.up.sql` beside simple `<v>_<name>.sql` files stays a numbered sequence', () => {
    const l = discover({ 'm/1_a.up.sql': '', 'm/2_b.sql': '' });
    assert.equal(l.roots[0]?.layout, 'numbered');
  });
});

describe('numbered', () => {
  test('bare NNNN_name.sql files need two of them (or a migrations folder) to count', () => {
    assert.equal(
      discover({ 'sql/1_a.sql': '', 'sql/2_b.sql': '', 'sql/10_c.sql': '' })
        .migrations.map((m) => m.name)
        .join(),
      'a,b,c',
    );
    assert.deepEqual(discover({ 'reports/2024_totals.sql': '' }).plain, ['reports/2024_totals.sql']);
    assert.equal(discover({ 'migrations/001_init.sql': '' }).roots[0]?.layout, 'numbered');
  });
});
