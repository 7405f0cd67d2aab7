// pgdba rehearse --db on a shared server: cluster-wide statements are refused (or run and undone), an interrupted run
// drops its scratch database, and a later run removes only the stale scratch databases pgdba marked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runRehearse } from '../../server/src/cli/commands/rehearse';
import { initParser } from '../../server/src/core/parse/parse';
import { connectPg, type Engine } from '../../server/src/engine';
import { scratchMark } from '../../server/src/rehearse/scratch';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

const root = join(__dirname, '..', '..');
let server: ThrowawayPostgres;
let admin: Engine;
const temps: string[] = [];

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-rehearse-cluster-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(dir: string, ...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runRehearse([dir, '--db', server.url, ...extra], { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: dir });
  return { code, out, err };
}

async function scalar(sql: string): Promise<unknown> {
  const r = await admin.query<{ v: unknown }>(sql);
  return r.rows[0]?.v;
}

const scratchNames = async () =>
  (await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pgdba_rehearse_%' ORDER BY 1")).rows.map((r) => r.datname);

before(async () => {
  await initParser();
  server = await startThrowawayPostgres();
  admin = await connectPg({ url: server.url });
});
after(async () => {
  await admin?.close();
  await server?.stop();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const CLUSTER_UP =
  "CREATE TABLE a (id int);\nCREATE ROLE app_ro;\nALTER ROLE postgres SET work_mem = '64MB';\nCOMMENT ON ROLE postgres IS 'changed by a migration';\nGRANT app_ro TO postgres;\n";
const CLUSTER_DOWN = 'REVOKE app_ro FROM postgres;\nDROP ROLE app_ro;\nALTER ROLE postgres RESET work_mem;\nDROP TABLE a;\n';

describe('pgdba rehearse --db and the rest of the server', () => {
  test('cluster-wide statements are refused with their file:line:column; nothing runs', async () => {
    const dir = folder({ '1_init.up.sql': CLUSTER_UP, '1_init.down.sql': CLUSTER_DOWN });
    const r = await run(dir);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /change the whole server, not just the scratch database/);
    assert.match(r.err, /--allow-cluster-changes/);
    assert.match(r.err, /1_init\.up\.sql:2:1 {2}creates a role: CREATE ROLE app_ro/);
    assert.match(r.err, /1_init\.up\.sql:3:1 {2}sets a role's configuration: ALTER ROLE postgres SET work_mem/);
    assert.match(r.err, /1_init\.up\.sql:4:1 {2}comments on a role/);
    assert.match(r.err, /1_init\.up\.sql:5:1 {2}grants a role membership/);
    assert.match(r.err, /1_init\.down\.sql:2:1 {2}drops a role/);
    assert.equal(r.out, '');
    assert.equal(await scalar("SELECT count(*)::int AS v FROM pg_roles WHERE rolname = 'app_ro'"), 0);
    assert.deepEqual(await scratchNames(), []);
  });

  test('--allow-cluster-changes runs them, then puts roles, settings, comments and memberships back', async () => {
    const comment = await scalar("SELECT shobj_description('postgres'::regrole, 'pg_authid') AS v");
    const dir = folder({ '1_init.up.sql': CLUSTER_UP, '1_init.down.sql': CLUSTER_DOWN });
    const r = await run(dir, '--allow-cluster-changes', '--format', 'json');
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(JSON.parse(r.out).summary.ok, 1);
    assert.match(r.err, /undid the rehearsal's cluster-wide changes/);
    assert.equal(await scalar("SELECT count(*)::int AS v FROM pg_roles WHERE rolname = 'app_ro'"), 0, 'the role is gone');
    assert.equal(
      await scalar("SELECT count(*)::int AS v FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'postgres'"),
      0,
      'the role setting is gone',
    );
    assert.equal(await scalar("SELECT shobj_description('postgres'::regrole, 'pg_authid') AS v"), comment, 'the comment is back');
    assert.equal(
      await scalar('SELECT count(*)::int AS v FROM pg_auth_members'),
      Number(await scalar("SELECT count(*)::int AS v FROM pg_auth_members WHERE roleid::regrole::text LIKE 'pg\\_%'")),
      'no membership added',
    );
    assert.deepEqual(await scratchNames(), []);
  });

  test('--allow-cluster-changes: ALTER SYSTEM outside any transaction is reset, and the configuration reloaded', async () => {
    const dir = folder({ '1_conf.up.sql': "ALTER SYSTEM SET work_mem = '32MB';\n", '1_conf.down.sql': 'ALTER SYSTEM RESET work_mem;\n' });
    const r = await run(dir, '--allow-cluster-changes');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.err, /ALTER SYSTEM RESET "work_mem"/);
    assert.equal(await scalar("SELECT count(*)::int AS v FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' AND name = 'work_mem'"), 0);
  });

  test('a later run drops marked scratch databases over an hour old, and never an unmarked or a young one', async () => {
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await admin.exec('CREATE DATABASE pgdba_rehearse_stale1');
    await admin.exec(`COMMENT ON DATABASE pgdba_rehearse_stale1 IS '${scratchMark(old)}'`);
    await admin.exec('CREATE DATABASE pgdba_rehearse_young');
    await admin.exec(`COMMENT ON DATABASE pgdba_rehearse_young IS '${scratchMark(new Date())}'`);
    await admin.exec('CREATE DATABASE pgdba_rehearse_unmarked');
    await admin.exec('CREATE DATABASE pgdba_rehearse_mine');
    await admin.exec(`COMMENT ON DATABASE pgdba_rehearse_mine IS 'created ${old.toISOString()} by a person'`);
    const dir = folder({ '1_init.up.sql': 'CREATE TABLE a (id int);\n', '1_init.down.sql': 'DROP TABLE a;\n' });
    const r = await run(dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /dropped 1 stale scratch database left by an interrupted rehearsal: pgdba_rehearse_stale1/);
    assert.deepEqual(await scratchNames(), ['pgdba_rehearse_mine', 'pgdba_rehearse_unmarked', 'pgdba_rehearse_young']);
    for (const d of ['pgdba_rehearse_mine', 'pgdba_rehearse_unmarked', 'pgdba_rehearse_young']) await admin.exec(`DROP DATABASE ${d}`);
  });

  test('SIGINT and SIGTERM mid-rehearsal drop the scratch database and exit 130 / 143', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const dir = folder({
        '1_init.up.sql': 'CREATE TABLE a (id int);\n',
        '1_init.down.sql': 'DROP TABLE a;\n',
        '2_slow.up.sql': 'SELECT pg_sleep(60);\n',
        '2_slow.down.sql': 'SELECT 1;\n',
      });
      mkdirSync(join(dir, '.git'));
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/cli/main.ts'), 'rehearse', dir, '--db', server.url], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      // The first migration's line is printed once it ran: the scratch database exists and the slow one is running.
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (/ok\s+1_init/.test(out)) resolve();
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}${err}`)));
      });
      assert.equal((await scratchNames()).length, 1);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      child.kill(signal);
      assert.equal(await exited, code, err);
      assert.deepEqual(await scratchNames(), [], `${signal}: the scratch database is dropped`);
    }
  });
});
