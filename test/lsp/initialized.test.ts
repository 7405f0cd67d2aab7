// A client without workspace-folder support (the harness declares none) initializes cleanly: no failed handler logged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './lsp-harness';

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-init-'));
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the initialized handler does not fail for a client without workspace-folder support', async () => {
  // A request answered after the initialized notification means that notification's handler has run.
  const uri = await server.open(join(dir, 'q.sql'), 'SELECT 1;\n');
  await server.diagnostics(uri);
  const failures = server.logs.filter((l) => /initialized|workspace folder/i.test(l.message));
  assert.deepEqual(failures, []);
});
