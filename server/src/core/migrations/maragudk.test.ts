// Tests for maragudk/migrate folders: unnamed ups, `_up.sql` / `_down.sql` names, pairing and order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

const discover = (tree: Record<string, string>) => discoverLayout(memoryWorkspaceFiles(tree));

describe('maragudk/migrate', () => {
  const tree = {
    'sqlite/migrations/0157.up.sql': 'create table c (id int);',
    'sqlite/migrations/0157.down.sql': 'drop table c;',
    'sqlite/migrations/0021_add_users_up.sql': 'create table users (id int);',
    'sqlite/migrations/0021_add_users_down.sql': 'drop table users;',
    'sqlite/migrations/0003.up.sql': 'create table a (id int);',
    'sqlite/migrations/0100-tags-up.sql': 'create table tags (id int);',
  };

  test('lists every up, unnamed ones included, in file-name order, with no down among the ups', () => {
    const l = discover(tree);
    assert.deepEqual(l.roots, [{ path: 'sqlite/migrations', layout: 'maragudk' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.version, m.name, m.up.path.replace('sqlite/migrations/', ''), m.down?.path.replace('sqlite/migrations/', '')]),
      [
        ['0003', '', '0003.up.sql', undefined],
        ['0021', 'add_users', '0021_add_users_up.sql', '0021_add_users_down.sql'],
        ['0100', 'tags', '0100-tags-up.sql', undefined],
        ['0157', '', '0157.up.sql', '0157.down.sql'],
      ],
    );
    assert.ok(l.migrations.every((m) => !/down\.sql$/.test(m.up.path) && m.transaction === 'wrapped' && m.downExpected));
    assert.deepEqual(l.plain, []);
  });

  test('an orphan down is a problem, never an up', () => {
    const l = discover({ 'm/0001.up.sql': '', 'm/0002_gone_down.sql': '' });
    assert.deepEqual(
      l.migrations.map((m) => m.up.path),
      ['m/0001.up.sql'],
    );
    assert.ok(l.problems.some((p) => p.path === 'm/0002_gone_down.sql' && /no up/.test(p.message)));
  });

  test('golang-migrate names alone, and words ending in "up", are not maragudk', () => {
    assert.equal(discover({ 'm/1_a.up.sql': '', 'm/1_a.down.sql': '' }).roots[0]?.layout, 'golang-migrate');
    const l = discover({ 'sql/cleanup.sql': '', 'sql/backup.sql': '' });
    assert.deepEqual(l.roots, []);
    assert.deepEqual(l.plain, ['sql/backup.sql', 'sql/cleanup.sql']);
  });
});
