// `pgdba schema` (static): refused statements are said once on stderr; --format sql prints DDL and is refused for a database.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { removeTempWorkspaces, tempWorkspace as workspace } from '../../node/testing/temp-workspace';
import { runSchema } from './schema';

async function run(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runSchema(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

after(removeTempWorkspaces);

const FILES = {
  'migrations/001_t.up.sql': 'CREATE TABLE t (id int PRIMARY KEY, nid uuid REFERENCES networks (id));\nCREATE TABLE u (id int PRIMARY KEY);',
  'migrations/001_t.down.sql': 'DROP TABLE u;',
};

describe('pgdba schema', () => {
  test('a statement PostgreSQL would refuse is left out and said once', async () => {
    const r = await run(workspace(FILES), '.');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(JSON.parse(r.stdout).tables), ['public.u']);
    assert.equal(r.stderr.match(/left out 1 statement\(s\) PostgreSQL would refuse/g)?.length, 1, r.stderr);
    assert.match(r.stderr, /relation "networks" does not exist/);
  });

  test('--format sql prints the DDL; with --engine or --db it is refused (exit 2)', async () => {
    const root = workspace(FILES);
    const r = await run(root, '.', '--format', 'sql');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /CREATE TABLE u \(\n {2}id int NOT NULL,\n {2}CONSTRAINT u_pkey PRIMARY KEY \(id\)\n\);/);
    assert.doesNotMatch(r.stdout, /CREATE TABLE t\b/);
    const refused = await run(root, '.', '--format', 'sql', '--engine');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /pg_dump --schema-only/);
  });
});
