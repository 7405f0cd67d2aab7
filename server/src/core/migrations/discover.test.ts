// Tests for discoverLayout as a whole: several roots, robustness, whole-file sections.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';
import { WHOLE_FILE_END, resolveSection, type WorkspaceFiles } from './types';

describe('discoverLayout', () => {
  test('several roots: ordered by path, each in its own tool order', () => {
    const l = discoverLayout(
      memoryWorkspaceFiles({
        'services/b/migrations/2_x.up.sql': '',
        'services/b/migrations/2_x.down.sql': '',
        'services/b/migrations/1_y.up.sql': '',
        'services/b/migrations/1_y.down.sql': '',
        'services/a/prisma/migrations/20240101000000_init/migration.sql': '',
        'services/a10/db/V2__b.sql': '',
        'services/a2/db/V1__a.sql': '',
        'queries/q.sql': '',
      }),
    );
    assert.deepEqual(l.roots, [
      { path: 'services/a/prisma/migrations', layout: 'prisma' },
      { path: 'services/a2/db', layout: 'flyway' },
      { path: 'services/a10/db', layout: 'flyway' },
      { path: 'services/b/migrations', layout: 'golang-migrate' },
    ]);
    assert.deepEqual(
      l.migrations.map((m) => m.name),
      ['init', 'a', 'b', 'y', 'x'],
    );
    assert.deepEqual(l.plain, ['queries/q.sql']);
  });

  test('an empty workspace, or no SQL at all, is an empty layout', () => {
    const empty = { migrations: [], plain: [], roots: [], ignored: [], problems: [] };
    assert.deepEqual(discoverLayout(memoryWorkspaceFiles({})), empty);
    assert.deepEqual(discoverLayout(memoryWorkspaceFiles({ 'README.md': '', 'src/a.ts': '' })), empty);
  });

  test('never throws on odd names or failing file access', () => {
    const odd = [
      '',
      '/',
      'a//b.sql',
      '.sql',
      '_.sql',
      '1_.sql',
      '1__.sql',
      'V__x.sql',
      'V1__.sql',
      'R__.sql',
      'U1__x.sql',
      'm/1_.up.sql',
      'm/1_x.up.down.sql',
      'x/sqitch.plan',
      'x/up.sql/up.sql',
      'p/1_x/migration.sql/z',
      'supabase/migrations/abc.sql',
      'db/migrations/9_x.SQL',
      'v/v1/a.sql',
      'v/v2/b.sql',
      'm/00_.down.sql',
    ];
    const throwing: WorkspaceFiles = {
      list: () => odd,
      read: () => {
        throw new Error('EACCES');
      },
    };
    const l = discoverLayout(throwing);
    assert.ok(Array.isArray(l.migrations));
    const all = [...l.migrations.flatMap((m) => [m.up.path, m.down?.path]), ...l.plain, ...l.ignored.map((i) => i.path)];
    assert.equal(new Set(all.filter(Boolean)).size, all.filter(Boolean).length, 'no file lands twice');
    const failingList: WorkspaceFiles = {
      list: () => {
        throw new Error('boom');
      },
      read: () => undefined,
    };
    assert.deepEqual(discoverLayout(failingList).migrations, []);
  });

  test('whole-file sections run to the end of the file', () => {
    const l = discoverLayout(memoryWorkspaceFiles({ 'm/1_a.up.sql': 'select 1;', 'm/1_a.down.sql': '' }));
    assert.deepEqual(l.migrations[0].up, { path: 'm/1_a.up.sql', start: 0, end: WHOLE_FILE_END });
    assert.deepEqual(resolveSection(l.migrations[0].up, 'select 1;'), { start: 0, end: 9 });
    assert.equal(JSON.parse(JSON.stringify(l.migrations[0].up)).end, WHOLE_FILE_END, 'survives JSON');
  });
});
