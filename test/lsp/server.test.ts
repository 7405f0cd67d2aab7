// Starts the real language server over an in-memory stream pair and talks LSP to it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../../server/src/lsp/server';

let client: ProtocolConnection;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db', 'schema.sql'), 'create table accounts (id bigint primary key, tenant_id bigint not null, plan text);\n');
  const up = new PassThrough();
  const down = new PassThrough();
  // Hovers also plan statements; keep that PGlite build in memory so the test leaves nothing in ~/.cache.
  startServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), undefined, { pgliteCacheDir: () => undefined });
  client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'ws' }],
  });
  await client.sendNotification(InitializedNotification.type, {});
});

after(() => {
  client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, text: string): Promise<string> {
  const uri = pathToFileURL(join(dir, name)).toString();
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
  return uri;
}

async function diagnostics(uri: string): Promise<Diagnostic[]> {
  const report = await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return (report as { items: Diagnostic[] }).items;
}

describe('language server', () => {
  test('pulls diagnostics with rule code, docs link and fix data, and updates after an edit', async () => {
    const text = 'select 1;\nupdate accounts set plan = null;\n';
    const uri = await open('q.sql', text);
    const items = await diagnostics(uri);
    const d = items.find((i) => i.code === 'unbounded-write');
    assert.ok(d, JSON.stringify(items));
    assert.deepEqual(d.range.start, { line: 1, character: text.split('\n')[1].indexOf('accounts') });
    assert.match(String(d.codeDescription?.href), /unbounded-write\.md$/);

    const actions = await client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const titles = (actions ?? []).map((a) => a.title);
    assert.ok(titles.includes('Suppress unbounded-write for this statement'), titles.join(', '));

    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 31 }, end: { line: 1, character: 31 } }, text: ' where id = 1' }],
    });
    const after = await diagnostics(uri);
    assert.equal(after.filter((i) => i.code === 'unbounded-write').length, 0, JSON.stringify(after));
  });

  test('a syntax error is a diagnostic at its position and later statements are still analysed', async () => {
    const uri = await open('broken.sql', 'selec 1;\ndelete from accounts;\n');
    const items = await diagnostics(uri);
    assert.ok(items.some((i) => i.code === 'syntax-error' && i.range.start.line === 0));
    assert.ok(items.some((i) => i.code === 'unbounded-write' && i.range.start.line === 1));
  });

  test('a mistyped key in pgdba.json is a diagnostic at the key', async () => {
    const uri = await open('pgdba.json', '{\n  "tenant": { "colums": ["org_id"] }\n}\n');
    const items = await diagnostics(uri);
    assert.equal(items.length, 1, JSON.stringify(items));
    assert.equal(items[0].code, 'config-error');
    assert.deepEqual(items[0].range.start, { line: 1, character: 14 });
  });

  test('hovering a diagnostic explains why and how to fix', async () => {
    const uri = await open('h.sql', 'delete from accounts;\n');
    const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 14 } });
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /unbounded-write/);
    assert.match(value, /\*\*Fix:\*\*/);
  });
});
