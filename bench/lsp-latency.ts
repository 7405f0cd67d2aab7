// Measures the language server's edit-to-diagnostics latency on a generated 5,000-statement file (real server, in-memory streams).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../server/src/lsp/server';
import { percentile } from './stats';

export function generatedFile(statements: number): string {
  const parts: string[] = [];
  for (let i = 0; i < statements; i++) {
    switch (i % 5) {
      case 0:
        parts.push(`SELECT a.id, a.email FROM accounts a WHERE a.tenant_id = $1 AND a.id = ${i}`);
        break;
      case 1:
        parts.push(`UPDATE invoices SET status = 'paid' WHERE tenant_id = $1 AND id = ${i}`);
        break;
      case 2:
        parts.push(`INSERT INTO events (tenant_id, occurred_at, kind) VALUES ($1, now(), 'k${i}')`);
        break;
      case 3:
        parts.push(
          `-- report ${i}\nSELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id AND a.tenant_id = i.tenant_id WHERE i.tenant_id = $1 LIMIT 50`,
        );
        break;
      default:
        parts.push(`DELETE FROM invoices WHERE tenant_id = $1 AND id = ${i}`);
    }
  }
  return parts.join(';\n') + ';\n';
}

const SCHEMA = `CREATE TABLE accounts (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, email text);
CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, account_id bigint, status text);
CREATE TABLE events (tenant_id bigint NOT NULL, occurred_at timestamptz NOT NULL, kind text);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY; ALTER TABLE invoices ENABLE ROW LEVEL SECURITY; ALTER TABLE events ENABLE ROW LEVEL SECURITY;
`;

export interface LatencyResult {
  statements: number;
  edits: number;
  coldMs: number;
  p50: number;
  p95: number;
}

export async function benchLspLatency(statements = 5000, edits = 60): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db', 'schema.sql'), SCHEMA);
  const up = new PassThrough();
  const down = new PassThrough();
  startServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)));
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  client.listen();
  try {
    await client.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
    });
    await client.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(join(dir, 'big.sql')).toString();
    let text = generatedFile(statements);
    const t0 = performance.now();
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    const coldMs = performance.now() - t0;
    const lines = text.split('\n');
    const times: number[] = [];
    for (let k = 0; k < edits; k++) {
      // Type one character into a statement spread over the file (a keystroke in a string literal or number).
      const line = Math.floor(((k * 7919) % lines.length) / 2) * 2;
      const character = Math.max(0, lines[line].length - 3);
      const start = performance.now();
      await client.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: k + 2 },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: '7' }],
      });
      lines[line] = lines[line].slice(0, character) + '7' + lines[line].slice(character);
      await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      times.push(performance.now() - start);
    }
    text = lines.join('\n');
    return { statements, edits, coldMs, p50: percentile(times, 50), p95: percentile(times, 95) };
  } finally {
    client.dispose();
    up.destroy();
    down.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
