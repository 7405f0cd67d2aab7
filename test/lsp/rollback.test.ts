// "pgdba: Generate rollback" through the language server: the generated down, where it goes, and never over an existing one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeActionRequest } from 'vscode-languageserver-protocol/node';
import { startTestServer, type TestServer } from './lsp-harness';

const UP2 = 'ALTER TABLE accounts ADD COLUMN plan text;\nCREATE INDEX CONCURRENTLY accounts_plan_idx ON accounts (plan);\n';
let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-rollback-'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrations', '000001_accounts.up.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n');
  writeFileSync(join(dir, 'migrations', '000001_accounts.down.sql'), 'DROP TABLE accounts;\n');
  writeFileSync(join(dir, 'migrations', '000002_plan.up.sql'), UP2);
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('generate rollback in the editor', () => {
  test('the missing-rollback quick fix runs Generate rollback, which returns the inverse and a new down file as target', async () => {
    const uri = await server.open(join(dir, 'migrations', '000002_plan.up.sql'), UP2);
    const d = (await server.diagnostics(uri)).find((x) => x.code === 'missing-rollback');
    assert.ok(d);
    const actions =
      (await server.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } })) ??
      [];
    const fix = actions.find((a) => a.title === 'Generate rollback');
    assert.equal((fix as { command?: { command: string } } | undefined)?.command?.command, 'pgdba.generateRollback');

    const r = await server.client.sendRequest<{ ok: boolean; message: string; sql?: string; target?: { uri: string; exists: boolean } }>(
      'pgdba/generateRollback',
      { uri },
    );
    assert.ok(r.ok, r.message);
    assert.match(r.sql ?? '', /DROP INDEX CONCURRENTLY accounts_plan_idx/);
    assert.match(r.sql ?? '', /ALTER TABLE accounts DROP COLUMN plan/);
    assert.ok((r.sql ?? '').indexOf('DROP INDEX') < (r.sql ?? '').indexOf('DROP COLUMN'), 'inverses in reverse order');
    assert.ok(r.target?.uri.endsWith('000002_plan.down.sql'));
    assert.equal(r.target?.exists, false);
  });

  test('an existing down file is reported as existing, so the client diffs instead of writing', async () => {
    const up1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
    const uri = await server.open(join(dir, 'migrations', '000001_accounts.up.sql'), up1);
    const r = await server.client.sendRequest<{ ok: boolean; sql?: string; target?: { exists: boolean } }>('pgdba/generateRollback', { uri });
    assert.ok(r.ok);
    assert.match(r.sql ?? '', /DROP TABLE accounts/);
    assert.equal(r.target?.exists, true);
  });
});
