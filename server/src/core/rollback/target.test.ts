import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { discoverLayout, memoryWorkspaceFiles } from '../migrations';
import { initParser } from '../parse/parse';
import { rollbackTarget } from './target';

before(async () => {
  await initParser();
});

function targetOf(files: Record<string, string>, up: string) {
  const ws = memoryWorkspaceFiles(files);
  const m = discoverLayout(ws).migrations.find((x) => x.up.path === up);
  assert.ok(m, `no migration for ${up}`);
  return rollbackTarget(m, ws);
}

describe('rollbackTarget', () => {
  test('diesel: down.sql beside up.sql', () => {
    assert.deepEqual(targetOf({ 'migrations/2020-01-01-000000_a/up.sql': 'SELECT 1;' }, 'migrations/2020-01-01-000000_a/up.sql'), {
      ok: true,
      path: 'migrations/2020-01-01-000000_a/down.sql',
      exists: false,
    });
  });

  test('golang-migrate: .down.sql, and existing files are reported', () => {
    const files = { 'db/1_a.up.sql': 'CREATE TABLE a ();', 'db/1_a.down.sql': 'DROP TABLE a;', 'db/2_b.up.sql': 'CREATE TABLE b ();' };
    assert.deepEqual(targetOf(files, 'db/1_a.up.sql'), { ok: true, path: 'db/1_a.down.sql', exists: true });
    assert.deepEqual(targetOf(files, 'db/2_b.up.sql'), { ok: true, path: 'db/2_b.down.sql', exists: false });
  });

  test('pop: the postgres down beside the postgres up', () => {
    const files = { 'sql/1_a.postgres.up.sql': 'SELECT 1;', 'sql/1_a.mysql.up.sql': 'SELECT 1;' };
    assert.deepEqual(targetOf(files, 'sql/1_a.postgres.up.sql'), { ok: true, path: 'sql/1_a.postgres.down.sql', exists: false });
  });

  test('Flyway: the U file of the same version', () => {
    assert.deepEqual(targetOf({ 'db/migration/V1_2__init.sql': 'SELECT 1;' }, 'db/migration/V1_2__init.sql'), {
      ok: true,
      path: 'db/migration/U1_2__init.sql',
      exists: false,
    });
  });

  test('sqitch: the revert script', () => {
    const files = { 'sqitch.plan': '%project=x\nusers 2020-01-01T00:00:00Z a <a@b> # users\n', 'deploy/users.sql': 'CREATE TABLE users ();' };
    assert.deepEqual(targetOf(files, 'deploy/users.sql'), { ok: true, path: 'revert/users.sql', exists: false });
  });

  test('dbmate: the down section, empty or not, or a new one at the end', () => {
    const empty = '-- migrate:up\nCREATE TABLE a ();\n\n-- migrate:down\n-- nothing yet\n';
    const t = targetOf({ 'db/migrations/20200101_a.sql': empty }, 'db/migrations/20200101_a.sql');
    assert.ok(t.ok);
    assert.equal(t.exists, false);
    assert.equal(empty.slice(t.section?.start, t.section?.end), '-- nothing yet\n');
    const full = '-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n';
    const existing = targetOf({ 'db/migrations/20200101_a.sql': full }, 'db/migrations/20200101_a.sql');
    assert.equal(existing.ok && existing.exists, true);
    const none = '-- migrate:up\nCREATE TABLE a ();';
    assert.deepEqual(targetOf({ 'db/migrations/20200101_a.sql': none }, 'db/migrations/20200101_a.sql'), {
      ok: true,
      path: 'db/migrations/20200101_a.sql',
      section: { start: none.length, end: none.length },
      exists: false,
      prefix: '\n\n-- migrate:down\n',
    });
  });

  test('the first migration of a golang-migrate folder, before any .down.sql exists, gets its .down.sql', () => {
    const files = { 'migrations/000001_init.up.sql': 'CREATE TABLE a (id int);' };
    assert.deepEqual(targetOf(files, 'migrations/000001_init.up.sql'), { ok: true, path: 'migrations/000001_init.down.sql', exists: false });
  });

  test('layouts without downs say so', () => {
    const t = targetOf({ 'prisma/migrations/20200101_a/migration.sql': 'SELECT 1;' }, 'prisma/migrations/20200101_a/migration.sql');
    assert.deepEqual(t, { ok: false, reason: 'prisma migrations have no down files' });
  });
});
