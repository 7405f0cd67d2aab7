// rehearse(): up → down → up per migration on PGlite, with a status and a detail that names what differs or where it failed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runRehearse } from '../../server/src/cli/commands/rehearse';
import { initParser } from '../../server/src/core/parse/parse';
import { createPgliteEngine, type Engine, type PgliteEngine } from '../../server/src/engine';
import { rehearse, type RehearsalMigration } from '../../server/src/rehearse/rehearse';

const MIGRATIONS: RehearsalMigration[] = [
  { name: '1_users', up: 'CREATE TABLE users (id serial PRIMARY KEY, email text);', down: 'DROP TABLE users;' },
  { name: '2_partial', up: 'ALTER TABLE users ADD COLUMN age int;\nCREATE INDEX users_email ON users (email);', down: 'DROP INDEX users_email;' },
  { name: '3_bad_down', up: 'CREATE TABLE posts (id int);', down: '\n\nDROP TABLE postz;' },
  { name: '4_no_down', up: 'CREATE TABLE tags (id int);' },
  { name: '5_empty_down', up: 'CREATE TABLE likes (id int);', down: '-- nothing to do\n' },
  { name: '6_data_only', up: "INSERT INTO users (email) VALUES ('a@b.c');", down: '' },
  { name: '7_bad_up', up: 'CREATE TABLE ok1 (id int);\nALTER TABLE nope ADD COLUMN x int;', down: 'DROP TABLE ok1;' },
  { name: '8_comments_only', up: '-- placeholder\n', down: '' },
  { name: '9_concurrently', up: 'CREATE INDEX CONCURRENTLY users_age ON users (age);', down: 'DROP INDEX CONCURRENTLY users_age;' },
];

describe('rehearse', () => {
  let engines: PgliteEngine[] = [];
  const factory = async (): Promise<Engine> => {
    const e = await createPgliteEngine({ statementTimeoutMs: 30_000 });
    engines.push(e);
    return e;
  };
  before(async () => {
    await initParser();
  });
  after(async () => {
    for (const e of engines) await e.close();
    engines = [];
  });

  test('own down files: each status, with what differs or where it failed', async () => {
    const report = await rehearse(MIGRATIONS, factory, { down: 'files' });
    const by = Object.fromEntries(report.migrations.map((m) => [m.name, m]));
    assert.equal(by['1_users'].status, 'ok');
    assert.equal(by['2_partial'].status, 'schema-mismatch');
    assert.equal(by['2_partial'].detail, 'column users.age left behind');
    assert.equal(by['3_bad_down'].status, 'down-failed');
    assert.match(by['3_bad_down'].detail, /^down failed at line 3:1: table "postz" does not exist/);
    assert.equal(by['4_no_down'].status, 'no-down');
    assert.equal(by['5_empty_down'].status, 'no-down');
    assert.match(by['5_empty_down'].detail, /the down is empty; the up leaves: table likes left behind/);
    assert.equal(by['6_data_only'].status, 'ok');
    assert.equal(by['7_bad_up'].status, 'up-failed');
    assert.match(by['7_bad_up'].detail, /^up failed at line 2:\d+: relation "nope" does not exist/);
    assert.equal(by['8_comments_only'].status, 'skipped');
    assert.equal(by['9_concurrently'].status, 'ok');
    assert.deepEqual(
      { ok: report.summary.ok, mismatch: report.summary['schema-mismatch'], total: report.summary.total },
      { ok: 3, mismatch: 1, total: MIGRATIONS.length },
    );
  });

  test('generated downs restore what the hand-written ones miss', async () => {
    const report = await rehearse(MIGRATIONS, factory, { down: 'generated', keepGenerated: true });
    const statuses = Object.fromEntries(report.migrations.map((m) => [m.name, m.status]));
    assert.deepEqual(statuses, {
      '1_users': 'ok',
      '2_partial': 'ok',
      '3_bad_down': 'ok',
      '4_no_down': 'ok',
      '5_empty_down': 'ok',
      '6_data_only': 'ok',
      '7_bad_up': 'up-failed',
      '8_comments_only': 'skipped',
      '9_concurrently': 'ok',
    });
    assert.match(report.migrations[8].generatedDown ?? '', /DROP INDEX CONCURRENTLY users_age;/);
  });

  test('pgdba rehearse --format json on a golang-migrate folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgdba-rehearse-'));
    try {
      writeFileSync(join(dir, '1_init.up.sql'), 'CREATE TABLE a (id int);');
      writeFileSync(join(dir, '1_init.down.sql'), 'DROP TABLE a;');
      writeFileSync(join(dir, '2_more.up.sql'), 'CREATE TABLE b (id int);\nALTER TABLE a ADD COLUMN n int;');
      writeFileSync(join(dir, '2_more.down.sql'), 'DROP TABLE b;');
      let out = '';
      const code = await runRehearse([dir, '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: dir });
      const json = JSON.parse(out);
      assert.equal(code, 1);
      assert.deepEqual(json.migrations, [
        { name: '1_init.up.sql', status: 'ok', detail: '', files: ['1_init.up.sql', '1_init.down.sql'] },
        // A failure names the file to fix and the line (the down's first statement for a mismatch).
        {
          name: '2_more.up.sql',
          status: 'schema-mismatch',
          detail: 'column a.n left behind',
          file: '2_more.down.sql',
          line: 1,
          files: ['2_more.up.sql', '2_more.down.sql'],
        },
      ]);
      assert.equal(json.summary.total, 2);
      assert.equal(json.summary['schema-mismatch'], 1);
      out = '';
      assert.equal(await runRehearse([dir, '--down', 'generated', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: dir }), 0);
      assert.equal(JSON.parse(out).summary.ok, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Supabase project rehearses on the platform schema: auth.users and storage are there before its first migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgdba-rehearse-supabase-'));
    try {
      mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true });
      writeFileSync(
        join(dir, 'supabase', 'migrations', '20240101000000_profiles.sql'),
        'create table public.profiles (id uuid primary key references auth.users on delete cascade, avatar text);\n' +
          "create policy p on storage.objects for select to authenticated using (bucket_id = 'avatars' and owner = auth.uid());\n",
      );
      let out = '';
      const code = await runRehearse([dir, '--down', 'generated', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: dir });
      const json = JSON.parse(out) as { migrations: { status: string; detail: string }[] };
      assert.deepEqual(
        json.migrations.map((m) => `${m.status} ${m.detail}`.trim()),
        ['ok'],
      );
      assert.equal(code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
