// pgdba/planHover (the VS Code client's plan part of a hover): it waits for PGlite's first build while the rest of the hover and other requests answer, counts the migrations in, and stops waiting when cancelled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, DocumentSymbolRequest } from 'vscode-languageserver-protocol/node';
import { planHoverRequest, type PgdbaInitializationOptions, type StatusParams } from '../../server/src/lsp/protocol';
import { positionOf, startTestServer, type TestServer } from './lsp-harness';

const QUERIES = "select id, status from orders where status = 'open';\n";
const explain = { hover: true, hoverDelayMs: 0, planDiagnostics: false };

let dir: string;
let server: TestServer;
let shop: string;
let slow: string;

/** A folder whose migrations create `orders` in `count` files; `first` opens the first one (e.g. a pg_sleep that keeps the build busy). */
function folder(name: string, count: number, first = ''): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'migrations'), { recursive: true });
  writeFileSync(join(root, 'migrations', '001_orders.sql'), `${first}CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL);\n`);
  for (let i = 2; i <= count; i++)
    writeFileSync(join(root, 'migrations', `${String(i).padStart(3, '0')}_col.sql`), `ALTER TABLE orders ADD COLUMN c${i} int;\n`);
  return root;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-plan-hover-'));
  shop = folder('shop', 6);
  // pg_sleep keeps the build busy long enough for the request to be cancelled while it waits (the test waits on events).
  slow = folder('slow', 2, 'SELECT pg_sleep(4);\n');
  const init: PgdbaInitializationOptions = { planHover: 'separate' };
  server = await startTestServer(
    [
      { path: shop, settings: { explain } },
      { path: slow, settings: { explain } },
    ],
    { pgliteCacheDir: () => undefined, hoverWaitMs: 120_000, retryMs: 0 },
    undefined,
    init,
  );
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the first plan arrives in the waiting request; the rest of the hover and other requests answer meanwhile', async () => {
  const uri = await server.open(join(shop, 'queries.sql'), QUERIES);
  const order: string[] = [];
  const plan = server.client.sendRequest(planHoverRequest, { textDocument: { uri }, position: positionOf(QUERIES, "status = 'open'") }).then((v) => {
    order.push('plan');
    return v;
  });
  // textDocument/hover leaves the plan out for this client, so it does not wait for the build.
  const hover = await server.hoverAt(uri, QUERIES, "status = 'open'");
  order.push('hover');
  assert.doesNotMatch(hover ?? '', /Scan|PGlite/);
  await server.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  order.push('symbols');
  const value = await plan;
  assert.deepEqual(order, ['hover', 'symbols', 'plan'], 'the plan request waited for the build without holding the others');
  assert.match(value ?? '', /Seq Scan on orders/);
  assert.match(value ?? '', /\[Open full plan\]\(command:pgdba\.openPlan\?/);
  // The status bar counted the migrations in: "Building PGlite from 6 migrations… (n/6)" with the numbers, then ready.
  const building = server.statuses.filter((s: StatusParams) => s.state === 'analysing' && s.progress);
  assert.ok(building.length > 0, JSON.stringify(server.statuses));
  for (const s of building) {
    assert.equal(s.progress?.total, 6);
    assert.equal(s.message, `Building PGlite from 6 migrations… (${s.progress?.done}/6)`);
  }
  assert.ok(
    server.statuses.some((s) => s.state === 'ready' && /PGlite.*6 migrations/.test(s.engine ?? '')),
    JSON.stringify(server.statuses),
  );
});

test('a plan request cancelled while PGlite builds answers at once, and the build goes on for the next hover', async () => {
  const uri = await server.open(join(slow, 'queries.sql'), QUERIES);
  // The status follows the document last checked: this folder's.
  await server.diagnostics(uri);
  const position = positionOf(QUERIES, "status = 'open'");
  let ready = false;
  void server.nextStatus((s) => s.state === 'ready' && /2 migrations/.test(s.engine ?? '')).then(() => (ready = true));
  const building = server.nextStatus((s) => s.state === 'analysing' && s.progress?.total === 2);
  const cancel = new CancellationTokenSource();
  const answer = server.client.sendRequest(planHoverRequest, { textDocument: { uri }, position }, cancel.token).then(
    (v) => ({ v, readyBefore: ready }),
    (err: Error) => ({ v: err.message, readyBefore: ready }),
  );
  // The pointer leaves while the build runs (its progress shows: the pg_sleep migration is in it).
  await building;
  cancel.cancel();
  const { v, readyBefore } = await answer;
  assert.equal(readyBefore, false, 'the cancelled request waited for the build');
  assert.ok(v === null || /cancel/i.test(String(v)), `no plan for a cancelled hover: ${String(v)}`);
  const again = await server.client.sendRequest(planHoverRequest, { textDocument: { uri }, position });
  assert.match(again ?? '', /Scan on orders/);
});
