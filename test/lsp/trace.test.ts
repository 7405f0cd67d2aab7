// "pgdba: Trace locks" through the language server: the migration runs on PGlite with the earlier migrations applied,
// rolled back, and each statement gets an inlay hint with its locks and rewrites.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { startTestServer, type TestServer } from './lsp-harness';

const SECOND = `ALTER TABLE accounts ALTER COLUMN id TYPE bigint;
CREATE INDEX accounts_plan_idx ON accounts (plan);
`;

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-trace-'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(
    join(dir, 'migrations', '000001_accounts.up.sql'),
    "CREATE TABLE accounts (id int PRIMARY KEY, plan text);\nINSERT INTO accounts SELECT g, 'free' FROM generate_series(1, 100) g;\n",
  );
  writeFileSync(join(dir, 'migrations', '000001_accounts.down.sql'), 'DROP TABLE accounts;\n');
  writeFileSync(join(dir, 'migrations', '000002_bigint.up.sql'), SECOND);
  writeFileSync(join(dir, 'migrations', '000002_bigint.down.sql'), 'DROP INDEX accounts_plan_idx;\nALTER TABLE accounts ALTER COLUMN id TYPE int;\n');
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('lock trace in the editor', () => {
  test('traces on PGlite built from the earlier migrations and shows locks and rewrites as inlay hints', async () => {
    const uri = await server.open(join(dir, 'migrations', '000002_bigint.up.sql'), SECOND);
    const before = await server.client.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
    });
    assert.deepEqual(before ?? [], [], 'no hints before a trace');
    const result = await server.client.sendRequest<{ ok: boolean; message: string }>('pgdba/traceLocks', { uri });
    assert.ok(result.ok, result.message);
    assert.match(result.message, /^Traced 2 statements on PGlite after the 1 earlier migration \(in apply order\), rolled back: /);
    const hints =
      (await server.client.sendRequest(InlayHintRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
      })) ?? [];
    assert.equal(hints.length, 2);
    assert.match(String(hints[0].label), /ACCESS EXCLUSIVE accounts/);
    assert.match(String(hints[0].label), /rewrites accounts/);
    assert.deepEqual(hints[0].position, { line: 0, character: SECOND.indexOf('\n') });
    // accounts is already held in ACCESS EXCLUSIVE by the first statement: only the new index is a new lock.
    assert.match(String(hints[1].label), /ACCESS EXCLUSIVE accounts_plan_idx/);
  });
});
