// "pgdba: Rehearse migrations" through the language server: the report, and each failure as a diagnostic on its down file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestServer, type TestServer } from './lsp-harness';
import type { RehearseResult } from '../../server/src/lsp/protocol';

let dir: string;
let server: TestServer;
const file = (name: string) => join(dir, 'migrations', name);
const uriOf = (name: string) => pathToFileURL(file(name)).toString();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-rehearse-'));
  mkdirSync(join(dir, 'migrations'));
  const write = (name: string, text: string) => writeFileSync(file(name), text);
  write('000001_accounts.up.sql', 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n');
  write('000001_accounts.down.sql', 'DROP TABLE accounts;\n');
  // The down forgets the index.
  write('000002_plan.up.sql', 'ALTER TABLE accounts ADD COLUMN plan text;\nCREATE INDEX accounts_plan ON accounts (plan);\n');
  write('000002_plan.down.sql', '-- undo the plan column\nDROP INDEX accounts_plan;\n');
  // The down fails on its second statement.
  write('000003_email.up.sql', 'ALTER TABLE accounts ADD COLUMN email text;\n');
  write('000003_email.down.sql', 'SELECT 1;\nALTER TABLE acounts DROP COLUMN email;\n');
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rehearse migrations in the editor', () => {
  test('failures become diagnostics on the down files, at the failing statement; a passing migration gets none', async () => {
    const r = await server.client.sendRequest<RehearseResult>('pgdba/rehearse', { folderUri: pathToFileURL(dir).toString(), down: 'files' });
    assert.equal(r.ok, false);
    assert.equal(r.problems, 2);
    assert.match(r.report, /schema-mismatch\s+migrations\/000002_plan\.up\.sql/);
    assert.match(r.report, /3 migrations rehearsed on PGlite/);

    const mismatch = server.published.get(uriOf('000002_plan.down.sql'));
    assert.equal(mismatch?.length, 1);
    assert.equal(mismatch[0].code, 'rehearsal-schema-mismatch');
    assert.match(String(mismatch[0].message), /does not restore the schema: .*column accounts\.plan/);
    assert.equal(mismatch[0].range.start.line, 1, 'on the first statement, past the comment');

    const failed = server.published.get(uriOf('000003_email.down.sql'));
    assert.equal(failed?.length, 1);
    assert.equal(failed[0].code, 'rehearsal-down-failed');
    assert.equal(failed[0].severity, 1);
    assert.match(String(failed[0].message), /relation "acounts" does not exist/);
    assert.deepEqual(failed[0].range.start, { line: 1, character: 0 }, 'at the failing statement (ALTER TABLE errors carry no position)');

    assert.equal(server.published.get(uriOf('000001_accounts.down.sql')), undefined);
  });

  test('editing a judged file clears its rehearsal diagnostics (they no longer hold)', async () => {
    const uri = await server.open(file('000003_email.down.sql'), 'SELECT 1;\nALTER TABLE acounts DROP COLUMN email;\n');
    await server.client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'ALTER TABLE accounts DROP COLUMN email;\n' }],
    });
    await server.diagnostics(uri); // a round trip: the server has handled the change
    assert.deepEqual(server.published.get(uriOf('000003_email.down.sql')), []);
    assert.deepEqual(server.published.get(uriOf('000002_plan.down.sql')), [], 'one rehearsal, one verdict: the folder is cleared');
  });
});
