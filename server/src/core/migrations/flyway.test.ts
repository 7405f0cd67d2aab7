// Tests for Flyway discovery: version order, undo scripts, repeatables and script .conf files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { memoryWorkspaceFiles } from './memory-files';

const root = 'src/main/resources/db/migration';
const discover = (tree: Record<string, string>) => discoverLayout(memoryWorkspaceFiles(tree));

describe('flyway', () => {
  const tree = {
    [`${root}/V1__init.sql`]: '',
    [`${root}/V1.9__nine.sql`]: '',
    [`${root}/V1_10__ten.sql`]: '',
    [`${root}/V2__index.sql`]: '',
    [`${root}/V2__index.sql.conf`]: 'executeInTransaction=false\n',
    [`${root}/U2__index.sql`]: '',
    [`${root}/R__views.sql`]: '',
    [`${root}/R__a_functions.sql`]: '',
    [`${root}/archive/V1.5__nested.sql`]: '',
    [`${root}/notes.sql`]: '',
  };

  test('versioned by numeric parts, then repeatables by description', () => {
    const l = discover(tree);
    assert.deepEqual(l.roots, [{ path: root, layout: 'flyway' }]);
    assert.deepEqual(
      l.migrations.map((m) => [m.version, m.name]),
      [
        ['1', 'init'],
        ['1.5', 'nested'],
        ['1.9', 'nine'],
        ['1.10', 'ten'],
        ['2', 'index'],
        ['', 'a_functions'],
        ['', 'views'],
      ],
    );
    assert.deepEqual(l.plain, [`${root}/notes.sql`]);
  });

  test('U scripts are the downs; a folder with undo scripts expects them', () => {
    const l = discover(tree);
    const v2 = l.migrations.find((m) => m.version === '2');
    assert.equal(v2?.down?.path, `${root}/U2__index.sql`);
    assert.ok(l.migrations.filter((m) => m.version !== '').every((m) => m.downExpected));
    assert.ok(l.migrations.filter((m) => m.version === '').every((m) => !m.downExpected));
    const plain = discover({ 'db/V1__a.sql': '' });
    assert.equal(plain.migrations[0].downExpected, false);
  });

  test('a script .conf with executeInTransaction=false unwraps that script only', () => {
    const l = discover(tree);
    assert.deepEqual(
      l.migrations.filter((m) => m.transaction === 'none').map((m) => m.name),
      ['index'],
    );
    assert.equal(l.migrations.find((m) => m.name === 'index')?.downTransaction, 'wrapped');
  });

  test('reads only .conf files', () => {
    const files = memoryWorkspaceFiles(tree);
    discoverLayout(files);
    assert.deepEqual(files.reads, [`${root}/V2__index.sql.conf`]);
  });

  test('reports duplicate versions and orphan undo scripts', () => {
    const l = discover({ 'db/V1__a.sql': '', 'db/V1.0__b.sql': '', 'db/U3__c.sql': '' });
    assert.ok(l.problems.some((p) => /two migrations with version/.test(p.message)));
    assert.ok(l.problems.some((p) => p.path === 'db/U3__c.sql'));
    assert.deepEqual(l.plain, ['db/U3__c.sql']);
  });
});
