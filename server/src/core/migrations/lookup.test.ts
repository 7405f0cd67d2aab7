// Tests for finding the migration part a path or dbmate offset belongs to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLayout } from './discover';
import { isMigrationPath, migrationForPath, migrationPartsForPath } from './lookup';
import { memoryWorkspaceFiles } from './memory-files';

const dbmate = '-- migrate:up\ncreate table t ();\n-- migrate:down\ndrop table t;\n';
const layout = discoverLayout(
  memoryWorkspaceFiles({
    'db/migrations/1_t.sql': dbmate,
    'db/migrations/2_u.sql': '-- migrate:up\nselect 1;\n',
    'sqitch/sqitch.plan': 'c 2020-01-01T00:00:00Z A <a@b>\n',
    'sqitch/deploy/c.sql': '',
    'sqitch/revert/c.sql': '',
    'sqitch/verify/c.sql': '',
    'queries/report.sql': '',
  }),
);

describe('migrationForPath', () => {
  test('finds the part a whole file plays', () => {
    assert.equal(migrationForPath(layout, 'sqitch/deploy/c.sql')?.part, 'up');
    assert.equal(migrationForPath(layout, 'sqitch/revert/c.sql')?.part, 'down');
    const verify = migrationForPath(layout, 'sqitch/verify/c.sql');
    assert.equal(verify?.part, 'verify');
    assert.equal(verify?.migration.name, 'c');
  });

  test('picks the dbmate section by offset', () => {
    const path = 'db/migrations/1_t.sql';
    assert.equal(migrationForPath(layout, path, dbmate.indexOf('create'))?.part, 'up');
    assert.equal(migrationForPath(layout, path, dbmate.indexOf('drop'))?.part, 'down');
    assert.equal(migrationForPath(layout, path)?.part, 'up');
    assert.equal(migrationForPath(layout, path, 3), undefined, 'the marker line belongs to no section');
    assert.deepEqual(
      migrationPartsForPath(layout, path).map((h) => h.part),
      ['up', 'down'],
    );
  });

  test('plain files belong to no migration', () => {
    assert.equal(migrationForPath(layout, 'queries/report.sql'), undefined);
    assert.equal(isMigrationPath(layout, 'queries/report.sql'), false);
    assert.equal(isMigrationPath(layout, 'db/migrations/2_u.sql'), true);
    assert.equal(isMigrationPath(layout, 'nope.sql'), false);
  });
});
