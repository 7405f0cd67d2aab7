// `pgdba migrations`: the detected projects as JSON (maragudk complete, no down among the ups) and config errors at the key.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { removeTempWorkspaces, tempWorkspace as workspace } from '../../node/testing/temp-workspace';
import { runMigrations } from './migrations';

async function run(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runMigrations(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

after(removeTempWorkspaces);

describe('pgdba migrations', () => {
  test('lists a maragudk folder completely, in order, with no down among the ups; paths relative to the path given', async () => {
    const root = workspace({
      'app/sqlite/migrations/0157.up.sql': 'create table c (id int);',
      'app/sqlite/migrations/0157.down.sql': 'drop table c;',
      'app/sqlite/migrations/0021_users_up.sql': 'create table users (id int);',
      'app/sqlite/migrations/0021_users_down.sql': 'drop table users;',
      'app/sqlite/migrations/0001.up.sql': 'create table a (id int);',
      'app/queries.sql': 'select * from users;',
    });
    const r = await run(root, 'app', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.projects, [
      {
        name: 'sqlite/migrations',
        root: 'sqlite/migrations',
        layout: 'maragudk',
        migrations: [
          { version: '0001', name: '', up: 'sqlite/migrations/0001.up.sql', down: null },
          { version: '0021', name: 'users', up: 'sqlite/migrations/0021_users_up.sql', down: 'sqlite/migrations/0021_users_down.sql' },
          { version: '0157', name: '', up: 'sqlite/migrations/0157.up.sql', down: 'sqlite/migrations/0157.down.sql' },
        ],
        schema: [],
        queries: 1,
        notes: [],
      },
    ]);
  });

  test('an overlapping project is a config error at its key (exit 2), the rest is still listed', async () => {
    const config = '{\n  "projects": [\n    { "name": "a", "migrations": "db" },\n    { "name": "b", "migrations": "db/migrations" }\n  ]\n}\n';
    const root = workspace({ 'pgdba.json': config, 'db/migrations/1_x.up.sql': 'select 1;', 'db/migrations/1_x.down.sql': 'select 1;' });
    const r = await run(root, '.', '--format', 'json');
    assert.equal(r.code, 2);
    const line = config.split('\n')[3];
    assert.ok(
      r.stderr.startsWith(
        `pgdba.json:4:${line.indexOf('"migrations"') + 1}: pgdba.json: projects.1.migrations: "db/migrations" overlaps the migrations of project "a"`,
      ),
      r.stderr,
    );
    assert.deepEqual(
      JSON.parse(r.stdout).projects.map((p: { name: string; migrations: unknown[] }) => [p.name, p.migrations.length]),
      [['a', 1]],
    );
  });

  test('a file instead of a folder is a usage error', async () => {
    const root = workspace({ 'q.sql': 'select 1;' });
    const r = await run(root, 'q.sql');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a folder/);
  });
});
