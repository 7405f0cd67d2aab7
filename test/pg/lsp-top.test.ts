// Query statistics through the language server on a throwaway PostgreSQL 15 with pg_stat_statements: code lenses, the top queries, statistics findings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import type { FolderQueryStats } from '../../server/src/lsp/protocol';
import { startTestServer, type TestServer } from '../lsp/lsp-harness';
import { PASSWORD, startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { runObserveWorkload, writeObserveWorkspace } from './observe-fixtures';

let pg: ThrowawayPostgres;
let server: TestServer;
let dir: string;
const stats = new Map<string, Diagnostic[]>();

before(async () => {
  pg = await startThrowawayPostgres(undefined, { shared_preload_libraries: 'pg_stat_statements', compute_query_id: 'on' });
  dir = writeObserveWorkspace();
  await runObserveWorkload(pg.url);
  server = await startTestServer(
    [{ path: dir, settings: { database: { url: pg.urlWithoutPassword } } }],
    { pgliteCacheDir: () => undefined, retryMs: 0 },
    () => PASSWORD,
  );
  server.client.onNotification('pgdba/statsDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => void stats.set(p.uri, p.diagnostics));
});

after(async () => {
  await server?.stop();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lenses = (uri: string) => server.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;

describe('query statistics in the language server', () => {
  test('after a refresh, a code lens sits above each statement the database ran, with calls, mean and share', async () => {
    const path = join(dir, 'queries', 'reports.sql');
    const text = readFileSync(path, 'utf8');
    const uri = await server.open(path, text);
    const [folder] = (await server.client.sendRequest('pgdba/queryStats', { refresh: true })) as FolderQueryStats[];
    assert.equal(folder.ok, true, folder.message);
    const got = await lenses(uri);
    const byLine = new Map(got.map((l) => [l.range.start.line, l.command?.title ?? '']));
    assert.deepEqual([...byLine.keys()].sort(), [1, 3, 7]);
    assert.match(byLine.get(1) ?? '', /^5 calls · mean [\d.]+ ms · (<1|\d+) % of DB time$/);
    assert.match(byLine.get(3) ?? '', /^3 calls · /);
    assert.match(byLine.get(7) ?? '', /^1 call · /);
    assert.equal(got[0].command?.command, 'pgdba.showTopQueries');
  });

  test('the top queries list each mapped statement with its location, and unmapped ones without', async () => {
    const [folder] = (await server.client.sendRequest('pgdba/queryStats', {})) as FolderQueryStats[];
    const customer = folder.queries.find((q) => /customer_id = \$1$/.test(q.query));
    assert.equal(customer?.location?.uri, pathToFileURL(join(dir, 'queries', 'reports.sql')).toString());
    assert.equal(customer?.location?.range.start.line, 1);
    assert.ok(folder.queries.some((q) => /^SELECT \$1 \+ \$2 AS answer/.test(q.query) && !q.location));
    assert.ok(folder.tables.some((t) => t.name === 'orders' && /20,000 rows/.test(t.summary)));
  });

  test('an index never scanned is an information finding on its CREATE INDEX, pushed apart from the pulled diagnostics', async () => {
    const uri = pathToFileURL(join(dir, 'migrations', '0001_init.up.sql')).toString();
    const found = stats.get(uri) ?? [];
    const unused = found.find((d) => d.code === 'index-never-scanned');
    assert.ok(unused, JSON.stringify([...stats]));
    assert.equal(unused.range.start.line, 1);
    assert.equal(unused.severity, 3);
    assert.match(String(unused.message), /Index orders_status_idx on orders has not been scanned/);
    assert.ok(!found.some((d) => /orders_pkey|orders_customer_idx/.test(String(d.message))));
  });

  test('a folder without a dev database answers with a message, never an error', async () => {
    const other = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
    try {
      const [folder] = (await other.client.sendRequest('pgdba/queryStats', { refresh: true })) as FolderQueryStats[];
      assert.equal(folder.ok, false);
      assert.match(folder.message ?? '', /need a dev database: set pgdba\.database\.url/);
    } finally {
      await other.stop();
    }
  });

  test('pgdba.queryStats.codeLens false: no lenses, the view still lists the statements', async () => {
    const off = await startTestServer(
      [{ path: dir, settings: { database: { url: pg.urlWithoutPassword }, queryStats: { codeLens: false } } }],
      { pgliteCacheDir: () => undefined },
      () => PASSWORD,
    );
    try {
      const path = join(dir, 'queries', 'reports.sql');
      const uri = await off.open(path, readFileSync(path, 'utf8'));
      const [folder] = (await off.client.sendRequest('pgdba/queryStats', { refresh: true })) as FolderQueryStats[];
      assert.ok(folder.ok && folder.queries.some((q) => q.location), folder.message);
      assert.deepEqual(await off.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    } finally {
      await off.stop();
    }
  });
});
