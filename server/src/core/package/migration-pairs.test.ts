// Tests for pairing an up migration with its down file by name, and naming both inside the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downFileCandidates, packagedNames } from './migration-pairs';

test('down file candidates follow the folder and suffix conventions', () => {
  assert.deepEqual(downFileCandidates('db/migrations/2023-01-01_x/up.sql'), ['db/migrations/2023-01-01_x/down.sql']);
  assert.deepEqual(downFileCandidates('m/001_init.up.sql'), ['m/001_init.down.sql']);
  assert.deepEqual(downFileCandidates('m/20210410_network.postgres.up.sql'), ['m/20210410_network.postgres.down.sql']);
  assert.deepEqual(downFileCandidates('m/002_add_up.sql'), ['m/002_add_down.sql']);
  assert.deepEqual(downFileCandidates('db/migrations/20240101_create.sql'), []);
});

test('packaged names keep the migration identity, even for diesel folders of up.sql files', () => {
  assert.deepEqual(packagedNames('db/2023-01-01_login/up.sql'), { up: '2023-01-01_login.up.sql', down: '2023-01-01_login.down.sql' });
  assert.deepEqual(packagedNames('m/001_init.up.sql'), { up: '001_init.up.sql', down: '001_init.down.sql' });
  assert.deepEqual(packagedNames('db/migrations/20240101_create.sql'), { up: '20240101_create.sql', down: '20240101_create.down.sql' });
});
