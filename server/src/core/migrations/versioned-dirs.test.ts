// Tests for version-directory layouts (temporal) with and without manifest.json.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

const root = 'schema/postgresql/v12/temporal/versioned';

describe('version directories (temporal)', () => {
  test('orders version folders naturally and files by name inside them', () => {
    const l = discoverLayout(
      memoryWorkspaceFiles({
        [`${root}/v1.10/task_queue.sql`]: '',
        [`${root}/v1.2/queue.sql`]: '',
        [`${root}/v1.0/schema.sql`]: '',
        [`${root}/v1.5/executions.sql`]: '',
        [`${root}/v1.5/event.sql`]: '',
        'schema/postgresql/v12/temporal/schema.sql': '',
      }),
    );
    assert.deepEqual(l.roots, [{ path: root, layout: 'numbered' }]);
    assert.deepEqual(
      l.migrations.map((m) => `${m.version}/${m.name}`),
      ['1.0/schema', '1.2/queue', '1.5/event', '1.5/executions', '1.10/task_queue'],
    );
    assert.ok(l.migrations.every((m) => !m.downExpected && m.transaction === 'none' && m.root === root));
    assert.deepEqual(l.plain, ['schema/postgresql/v12/temporal/schema.sql']);
  });

  test('a manifest.json decides the order and which files run', () => {
    const l = discoverLayout(
      memoryWorkspaceFiles({
        'v/v1.0/a.sql': '',
        'v/v1.0/manifest.json': JSON.stringify({ CurrVersion: '1.0', SchemaUpdateCqlFiles: ['b.sql', 'a.sql'] }),
        'v/v1.0/b.sql': '',
        'v/v1.0/unlisted.sql': '',
      }),
    );
    assert.deepEqual(
      l.migrations.map((m) => m.name),
      ['b', 'a'],
    );
    assert.deepEqual(l.plain, ['v/v1.0/unlisted.sql']);
  });

  test('a lone version folder is not a sequence', () => {
    const l = discoverLayout(memoryWorkspaceFiles({ 'lib/v2/query.sql': '' }));
    assert.deepEqual(l.roots, []);
    assert.deepEqual(l.plain, ['lib/v2/query.sql']);
  });
});
