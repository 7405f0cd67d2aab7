// workspace/diagnostic: findings for files that are not open, unchanged reports by result id, the long poll, and the scope setting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, WorkspaceDiagnosticRequest, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { startTestServer, type TestServer } from './lsp-harness';

const FILES: Record<string, string> = {
  'schema.sql': 'CREATE TABLE jobs (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);\n',
  'queries/cleanup.sql': 'DELETE FROM jobs;\n',
  'queries/open.sql': 'DELETE FROM jobs;\n',
};

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-wsdiag-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('workspace diagnostics', () => {
  let dir = '';
  let other = '';
  let server: TestServer;
  let ids: { uri: string; value: string }[] = [];

  before(async () => {
    dir = folder();
    other = folder();
    server = await startTestServer(
      [
        { path: dir, settings: { explain: { hover: false } } },
        { path: other, settings: { explain: { hover: false }, diagnostics: { scope: 'openFiles' } } },
      ],
      { pgliteCacheDir: () => undefined },
    );
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  const pull = (previousResultIds: { uri: string; value: string }[] = []) =>
    server.client.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }) as Promise<{ items: WorkspaceDocumentDiagnosticReport[] }>;

  test('reports files that are not open (open ones are pulled per document), only in folders whose scope is the workspace', async () => {
    const openUri = await server.open(join(dir, 'queries', 'open.sql'), FILES['queries/open.sql']);
    const { items } = await pull();
    ids = items.flatMap((i) => (i.resultId ? [{ uri: i.uri, value: i.resultId }] : []));
    const cleanup = items.find((i) => i.uri === pathToFileURL(join(dir, 'queries', 'cleanup.sql')).toString());
    assert.equal(cleanup?.kind, 'full');
    assert.ok(cleanup.kind === 'full' && cleanup.items.some((d) => d.code === 'unbounded-write'));
    assert.ok(!items.some((i) => i.uri === openUri), 'open files are reported by document pulls');
    assert.ok(!items.some((i) => i.uri.startsWith(pathToFileURL(other).toString())), 'openFiles scope: nothing from the other folder');
  });

  test('waits for a change, then answers unchanged for what did not change', async () => {
    let answered = false;
    const second = pull(ids).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false, 'nothing changed: the request stays open');
    const uri = pathToFileURL(join(dir, 'queries', 'open.sql')).toString();
    await server.client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'DELETE FROM jobs WHERE id = 1;\n' }],
    });
    const { items } = await second;
    const cleanup = items.find((i) => i.uri.endsWith('cleanup.sql'));
    assert.equal(cleanup?.kind, 'unchanged');
  });
});
