// Measures code intelligence through the real language server on the lemmy workspace plus a query file: completion, hover, definition, references (p50/p95), and the memory they add.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ReferencesRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { initParser } from '../server/src/core/parse/parse';
import { startServer } from '../server/src/lsp/server';
import { percentile } from './stats';

export interface IntelBench {
  runs: number;
  completion: { p50: number; p95: number };
  hover: { p50: number; p95: number };
  definition: { p50: number; p95: number };
  references: { p50: number; p95: number; count: number };
  heapBeforeMb: number;
  heapAfterMb: number;
}

const QUERY = 'SELECT p.id, p.name FROM post p JOIN person u ON u.id = p.creator_id WHERE p.id = $1;\nSELECT c.  FROM comment c WHERE c.post_id = $1;\n';

function at(needle: string, delta = 0): Position {
  const i = QUERY.indexOf(needle) + delta;
  const before = QUERY.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function timed(runs: number, f: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function benchLspIntel(runs = 40): Promise<IntelBench | undefined> {
  const root = join(__dirname, '..', '..', 'shared', 'corpus', 'LemmyNet+lemmy');
  if (!existsSync(root)) return undefined;
  const up = new PassThrough();
  const down = new PassThrough();
  startServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), undefined, { pgliteCacheDir: () => undefined });
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  // The identifier hover is measured alone: no plan preview (that has its own bench).
  client.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ explain: { hover: false } })));
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: { workspace: { configuration: true } },
    workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'lemmy' }],
  });
  await client.sendNotification(InitializedNotification.type, {});
  const uri = pathToFileURL(join(root, 'queries', 'bench.sql')).toString();
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text: QUERY } });
  await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  global.gc?.();
  const heapBeforeMb = process.memoryUsage().heapUsed / 2 ** 20;
  const doc = { textDocument: { uri } };
  const completion = await timed(runs, () => client.sendRequest(CompletionRequest.type, { ...doc, position: at('c. ', 2) }));
  const hover = await timed(runs, () => client.sendRequest(HoverRequest.type, { ...doc, position: at('post p', 2) }));
  const definition = await timed(runs, () => client.sendRequest(DefinitionRequest.type, { ...doc, position: at('post p', 2) }));
  let count = 0;
  const references = await timed(runs, async () => {
    const r = await client.sendRequest(ReferencesRequest.type, { ...doc, position: at('post p', 2), context: { includeDeclaration: true } });
    count = r?.length ?? 0;
  });
  global.gc?.();
  const heapAfterMb = process.memoryUsage().heapUsed / 2 ** 20;
  client.dispose();
  return { runs, completion, hover, definition, references: { ...references, count }, heapBeforeMb, heapAfterMb };
}

if (require.main === module) {
  void (async () => {
    await initParser();
    const r = await benchLspIntel();
    console.log(JSON.stringify(r, null, 2));
    process.exit(0);
  })();
}
