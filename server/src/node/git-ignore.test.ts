// Tests for .gitignore handling in the node layer: nested files, negation, .git/info/exclude and files above the root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeWorkspaceFiles } from './workspace-files';

describe('nodeWorkspaceFiles and .gitignore', () => {
  let repo = '';
  const write = (rel: string, text = 'select 1;') => {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), text);
  };

  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'pgdba-ignore-'));
    mkdirSync(join(repo, '.git', 'info'), { recursive: true });
    writeFileSync(join(repo, '.git', 'info', 'exclude'), 'scratch.sql\n');
    write('.gitignore', 'vendor/\n*.tmp.sql\n');
    write('app/.gitignore', 'fixtures/*.sql\n!fixtures/keep.sql\n');
    for (const f of [
      'app/q.sql',
      'app/fixtures/dump.sql',
      'app/fixtures/keep.sql',
      'app/x.tmp.sql',
      'app/scratch.sql',
      'vendor/lib/schema.sql',
      'app/vendor/y.sql',
    ])
      write(f);
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test('the listing leaves out what git ignores, nested rules and negations included', () => {
    assert.deepEqual(
      nodeWorkspaceFiles(repo)
        .list()
        .filter((p) => p.endsWith('.sql')),
      ['app/fixtures/keep.sql', 'app/q.sql'],
    );
  });

  test('a root below the repository still sees the rules above it', () => {
    const files = nodeWorkspaceFiles(join(repo, 'app'));
    assert.deepEqual(
      files.list().filter((p) => p.endsWith('.sql')),
      ['fixtures/keep.sql', 'q.sql'],
    );
    assert.equal(files.ignored?.('vendor/y.sql'), true);
    assert.equal(files.ignored?.('fixtures/dump.sql'), true);
    assert.equal(files.ignored?.('new.sql'), false);
  });

  test('without git rules everything is listed', () => {
    assert.equal(
      nodeWorkspaceFiles(repo, { gitignore: false })
        .list()
        .filter((p) => p.endsWith('.sql')).length,
      7,
    );
  });
});
