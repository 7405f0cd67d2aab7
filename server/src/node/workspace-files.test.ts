// Tests for the fs-backed WorkspaceFiles on a temporary directory tree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverLayout } from '../core/migrations';
import { nodeWorkspaceFiles } from './workspace-files';

describe('nodeWorkspaceFiles', () => {
  let root = '';
  const write = (rel: string, text = '') => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgdba-wsf-'));
    write('db/migrations/1_a.up.sql', 'select 1;');
    write('db/migrations/1_a.down.sql');
    write('queries/é.sql', "select 'é';");
    for (const skipped of ['node_modules/pkg', '.git', 'dist', 'out', '.vscode-test']) write(`${skipped}/x.sql`);
    write('nested/node_modules_not/y.sql');
    symlinkSync(join(root, 'db'), join(root, 'loop'));
    symlinkSync(join(root, 'queries/é.sql'), join(root, 'linked.sql'));
    symlinkSync(join(root, 'missing.sql'), join(root, 'dangling.sql'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lists files recursively with posix paths, skipping tool folders and linked folders', () => {
    assert.deepEqual(nodeWorkspaceFiles(root).list(), [
      'db/migrations/1_a.down.sql',
      'db/migrations/1_a.up.sql',
      'linked.sql',
      'nested/node_modules_not/y.sql',
      'queries/é.sql',
    ]);
  });

  test('reads inside the root only', () => {
    const files = nodeWorkspaceFiles(root);
    assert.equal(files.read('queries/é.sql'), "select 'é';");
    assert.equal(files.read('nope.sql'), undefined);
    assert.equal(files.read('../outside.sql'), undefined);
    assert.equal(files.read('/etc/hostname'), undefined);
  });

  test('sees changes on the next list()', () => {
    const files = nodeWorkspaceFiles(root);
    write('db/migrations/2_b.up.sql');
    write('db/migrations/2_b.down.sql');
    const layout = discoverLayout(files);
    assert.deepEqual(
      layout.migrations.map((m) => m.name),
      ['a', 'b'],
    );
  });
});
