// Tests for ory/pop discovery: postgres files beat generic ones, other dialects are ignored, autocommit unwraps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

const dir = 'persistence/sql/migrations/sql';
const tree = Object.fromEntries(
  [
    // version 1: postgres up and down beat the generic ones; other dialects are left out.
    '20200101000000000000_networks.up.sql',
    '20200101000000000000_networks.down.sql',
    '20200101000000000000_networks.postgres.up.sql',
    '20200101000000000000_networks.postgres.down.sql',
    '20200101000000000000_networks.mysql.up.sql',
    '20200101000000000000_networks.sqlite3.up.sql',
    '20200101000000000000_networks.cockroach.down.sql',
    // version 2: postgres up, generic down.
    '20200101000000000001_nid.postgres.up.sql',
    '20200101000000000001_nid.down.sql',
    // version 3: generic only, and empty (pop folders are full of empty files).
    '20200101000000000002_noop.up.sql',
    '20200101000000000002_noop.down.sql',
    // version 4: autocommit, generic and postgres flavours.
    '20200101000000000003_idx.autocommit.up.sql',
    '20200101000000000003_idx.autocommit.down.sql',
    '20200101000000000004_idx2.postgres.autocommit.up.sql',
    '20200101000000000004_idx2.postgres.autocommit.down.sql',
  ].map((n) => [`${dir}/${n}`, '']),
);

describe('pop', () => {
  const l = discoverLayout(memoryWorkspaceFiles(tree));

  test('detects the folder and keeps every version once', () => {
    assert.deepEqual(l.roots, [{ path: dir, layout: 'pop' }]);
    assert.deepEqual(
      l.migrations.map((m) => m.name),
      ['networks', 'nid', 'noop', 'idx', 'idx2'],
    );
    assert.ok(l.migrations.every((m) => m.downExpected && m.down));
  });

  test('a postgres file beats the generic file of the same version and direction', () => {
    const [networks, nid, noop] = l.migrations;
    assert.equal(networks.up.path, `${dir}/20200101000000000000_networks.postgres.up.sql`);
    assert.equal(networks.down?.path, `${dir}/20200101000000000000_networks.postgres.down.sql`);
    assert.equal(nid.up.path, `${dir}/20200101000000000001_nid.postgres.up.sql`);
    assert.equal(nid.down?.path, `${dir}/20200101000000000001_nid.down.sql`);
    assert.equal(noop.up.path, `${dir}/20200101000000000002_noop.up.sql`);
  });

  test('other dialects and shadowed generic files are ignored, not plain', () => {
    assert.deepEqual(l.plain, []);
    const ignored = Object.fromEntries(l.ignored.map((i) => [i.path.slice(dir.length + 1), i.reason]));
    assert.deepEqual(Object.keys(ignored).sort(), [
      '20200101000000000000_networks.cockroach.down.sql',
      '20200101000000000000_networks.down.sql',
      '20200101000000000000_networks.mysql.up.sql',
      '20200101000000000000_networks.sqlite3.up.sql',
      '20200101000000000000_networks.up.sql',
    ]);
    assert.match(ignored['20200101000000000000_networks.up.sql'], /shadowed by .*networks\.postgres\.up\.sql/);
    assert.match(ignored['20200101000000000000_networks.mysql.up.sql'], /mysql dialect/);
  });

  test('.autocommit files run outside a transaction', () => {
    const tx = l.migrations.map((m) => [m.name, m.transaction, m.downTransaction]);
    assert.deepEqual(tx, [
      ['networks', 'wrapped', 'wrapped'],
      ['nid', 'wrapped', 'wrapped'],
      ['noop', 'wrapped', 'wrapped'],
      ['idx', 'none', 'none'],
      ['idx2', 'none', 'none'],
    ]);
  });

  test('a dotted golang-migrate name is not mistaken for a pop dialect', () => {
    const g = discoverLayout(memoryWorkspaceFiles({ 'm/1_add.users.up.sql': '', 'm/1_add.users.down.sql': '' }));
    assert.equal(g.roots[0].layout, 'golang-migrate');
    assert.equal(g.migrations[0].name, 'add.users');
  });
});
