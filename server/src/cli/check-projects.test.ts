// `pgdba check` with projects: ignored and excluded SQL produce no finding; a query sees its own project's schema only.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { removeTempWorkspaces, tempWorkspace } from '../node/testing/temp-workspace';
import { runCheck } from './check';

const workspace = (files: Record<string, string>) => tempWorkspace(files, { git: true });

async function check(root: string, ...paths: string[]) {
  let stdout = '';
  const code = await runCheck({ paths: paths.length ? paths : ['.'], format: 'json', cwd: root }, { stdout: (s) => (stdout += s), stderr: () => undefined });
  return { code, diagnostics: JSON.parse(stdout).diagnostics as { file: string; rule: string }[] };
}

after(removeTempWorkspaces);

describe('pgdba check and projects', () => {
  const unbounded = 'delete from accounts;\n';

  test('.gitignored SQL produces no finding (the same file, not ignored, does)', async () => {
    const root = workspace({ 'db/schema.sql': 'create table accounts (id bigint primary key);', 'build/generated.sql': unbounded, 'q.sql': 'select 1;' });
    const before = await check(root);
    assert.ok(
      before.diagnostics.some((d) => d.file === 'build/generated.sql' && d.rule === 'unbounded-write'),
      JSON.stringify(before),
    );
    writeFileSync(join(root, '.gitignore'), 'build/\n');
    const after = await check(root);
    assert.deepEqual(
      after.diagnostics.filter((d) => d.file.startsWith('build/')),
      [],
    );
    // Named on the command line, an ignored file is still no one's.
    assert.deepEqual((await check(root, 'build/generated.sql')).diagnostics, []);
  });

  test('`exclude` in pgdba.json leaves files out of every project', async () => {
    const root = workspace({ 'pgdba.json': '{ "exclude": ["scripts/"] }', 'scripts/cleanup.sql': unbounded, 'app.sql': unbounded });
    const { diagnostics } = await check(root);
    assert.deepEqual([...new Set(diagnostics.map((d) => d.file))], ['app.sql']);
  });

  test("a file opened in one service sees only its own project, whose schema never takes another service's SQL", async () => {
    const root = workspace({
      'services/api/migrations/1_init.up.sql': 'create table accounts (id bigint primary key, tenant_id bigint not null);',
      'services/api/migrations/1_init.down.sql': 'drop table accounts;',
      'services/api/queries/list.sql': 'select id from accounts;',
      'services/web/migrations/1_init.up.sql': 'create table pages (id bigint primary key);',
      'services/web/migrations/1_init.down.sql': 'drop table pages;',
      'services/web/queries/list.sql': 'select id from accounts;',
    });
    const { diagnostics } = await check(root, '.');
    const api = diagnostics.filter((d) => d.file === 'services/api/queries/list.sql').map((d) => d.rule);
    const web = diagnostics.filter((d) => d.file === 'services/web/queries/list.sql').map((d) => d.rule);
    // accounts is a tenant table of the api project only.
    assert.ok(api.includes('missing-tenant-filter'), JSON.stringify(diagnostics));
    assert.ok(!web.includes('missing-tenant-filter'), JSON.stringify(diagnostics));
  });
});
