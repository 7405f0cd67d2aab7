// Tests for diesel and Prisma discovery on in-memory trees.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

describe('diesel', () => {
  const tree = {
    'Cargo.toml': '',
    'migrations/.keep': '',
    'migrations/00000000000000_diesel_initial_setup/up.sql': 'select 1;',
    'migrations/00000000000000_diesel_initial_setup/down.sql': 'select 2;',
    'migrations/2025-11-11-140459-0000_refactor/up.sql': 'alter table t add c int;',
    'migrations/2025-11-11-140459-0000_refactor/down.sql': 'alter table t drop c;',
    'migrations/2025-10-01-085546_add_f_cnt/up.sql': 'create index concurrently i on t (a);',
    'migrations/2025-10-01-085546_add_f_cnt/metadata.toml': 'run_in_transaction = false # CIC\n',
    'migrations/2019-02-26-002946_no_down/up.sql': 'create table u ();',
    'migrations/README.sql': 'select 1;',
  };

  test('pairs up.sql with down.sql per directory, in diesel version order', () => {
    const l = discoverLayout(memoryWorkspaceFiles(tree));
    assert.deepEqual(l.roots, [{ path: 'migrations', layout: 'diesel' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.id, m.version, m.name]),
      [
        ['migrations/00000000000000_diesel_initial_setup', '00000000000000', 'diesel_initial_setup'],
        ['migrations/2019-02-26-002946_no_down', '20190226002946', 'no_down'],
        ['migrations/2025-10-01-085546_add_f_cnt', '20251001085546', 'add_f_cnt'],
        ['migrations/2025-11-11-140459-0000_refactor', '202511111404590000', 'refactor'],
      ],
    );
    const [init, noDown] = l.migrations;
    assert.equal(init.up.path, 'migrations/00000000000000_diesel_initial_setup/up.sql');
    assert.equal(init.down?.path, 'migrations/00000000000000_diesel_initial_setup/down.sql');
    assert.equal(noDown.down, undefined);
    assert.ok(l.migrations.every((m) => m.downExpected && m.layout === 'diesel'));
    assert.deepEqual(l.plain, ['migrations/README.sql']);
  });

  test('metadata.toml run_in_transaction = false turns the wrapping off', () => {
    const l = discoverLayout(memoryWorkspaceFiles(tree));
    const tx = Object.fromEntries(l.migrations.map((m) => [m.name, m.transaction]));
    assert.deepEqual(tx, { diesel_initial_setup: 'wrapped', no_down: 'wrapped', add_f_cnt: 'none', refactor: 'wrapped' });
    assert.equal(l.migrations[0].downTransaction, 'wrapped');
  });

  test('reads metadata.toml only, never the SQL', () => {
    const files = memoryWorkspaceFiles(tree);
    discoverLayout(files);
    assert.deepEqual(files.reads, ['migrations/2025-10-01-085546_add_f_cnt/metadata.toml']);
  });
});

describe('prisma', () => {
  test('finds migration.sql directories, up only and wrapped', () => {
    const l = discoverLayout(
      memoryWorkspaceFiles({
        'prisma/schema.prisma': '',
        'prisma/migrations/migration_lock.toml': '',
        'prisma/migrations/20240102000000_add_posts/migration.sql': 'create table posts ();',
        'prisma/migrations/20240101000000_init/migration.sql': 'create table users ();',
      }),
    );
    assert.deepEqual(l.roots, [{ path: 'prisma/migrations', layout: 'prisma' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.id, m.name, m.version, m.transaction, m.downExpected]),
      [
        ['prisma/migrations/20240101000000_init', 'init', '20240101000000', 'wrapped', false],
        ['prisma/migrations/20240102000000_add_posts', 'add_posts', '20240102000000', 'wrapped', false],
      ],
    );
    assert.equal(l.migrations[0].up.path, 'prisma/migrations/20240101000000_init/migration.sql');
  });
});
