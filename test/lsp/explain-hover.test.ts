// EXPLAIN in the language server on embedded PGlite: hover plan previews (then from cache), plan diagnostics, the explain request, and clear connection failures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { unusedPort } from '../pg/helpers';
import { startTestServer, type TestServer } from './lsp-harness';

const MIGRATION = `CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL);
INSERT INTO orders SELECT g, g % 500, CASE WHEN g % 200 = 0 THEN 'open' ELSE 'done' END FROM generate_series(1, 30000) g;
ANALYZE orders;
`;
const QUERIES = `select id, status from orders where status = 'open';
select count(*) from orders where id <= 10;
delete from orders where id = 1;
delete from accounts;
`;

let dir: string;
let server: TestServer;
let pglite: string;
let refused: string;
let remote: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-explain-'));
  pglite = join(dir, 'shop');
  refused = join(dir, 'refused');
  remote = join(dir, 'remote');
  mkdirSync(join(pglite, 'migrations'), { recursive: true });
  writeFileSync(join(pglite, 'migrations', '001_orders.sql'), MIGRATION);
  for (const d of [refused, remote]) {
    mkdirSync(join(d, 'db'), { recursive: true });
    writeFileSync(join(d, 'db', 'schema.sql'), 'create table accounts (id bigint primary key, plan text);\n');
  }
  const port = await unusedPort();
  const explain = { hover: true, hoverDelayMs: 0, planDiagnostics: true };
  server = await startTestServer(
    [
      { path: pglite, settings: { explain } },
      { path: refused, settings: { explain, database: { url: `postgresql://postgres@127.0.0.1:${port}/postgres` } } },
      { path: remote, settings: { explain, database: { url: 'postgresql://app@db.example.com:5432/app' } } },
    ],
    // In memory: the tests leave nothing in ~/.cache; a generous wait so a loaded machine still gets the first plan in one hover;
    // retryMs 0: every hover connects again, so "one message" is the manager's doing, not a cached failure's.
    { pgliteCacheDir: () => undefined, hoverWaitMs: 120_000, retryMs: 0 },
  );
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('EXPLAIN hover on PGlite built from the migrations', () => {
  let uri: string;

  test('hovering a statement shows its plan preview with the scanned table and links', async () => {
    uri = await server.open(join(pglite, 'queries.sql'), QUERIES);
    const value = await server.hoverAt(uri, QUERIES, "status = 'open'");
    assert.ok(value, 'a hover');
    assert.match(value, /Seq Scan on orders/);
    assert.match(value, /PGlite, PostgreSQL \d+ \(embedded; 1 migrations\)/);
    assert.match(value, /\[Open full plan\]\(command:pgdba\.openPlan\?/);
    assert.match(value, /\[Run EXPLAIN ANALYZE\]\(command:pgdba\.explainAnalyzeStatement\?/);
    assert.doesNotMatch(value, /· cached/);
    // The link carries the document and the statement's start, so the command needs no server state.
    const args = JSON.parse(decodeURIComponent(/openPlan\?([^)]+)\)/.exec(value)?.[1] ?? ''));
    assert.deepEqual(args, [{ uri, position: { line: 0, character: 0 } }]);
    assert.ok(
      server.statuses.some((s) => /PGlite/.test(s.engine ?? '') && s.state === 'ready'),
      JSON.stringify(server.statuses),
    );
  });

  test('the second hover on the same statement is served from the plan cache', async () => {
    const value = await server.hoverAt(uri, QUERIES, 'from orders where status');
    assert.match(value ?? '', /Seq Scan on orders/);
    assert.match(value ?? '', /· cached/);
  });

  test('a diagnostic and the plan share one hover', async () => {
    const value = (await server.hoverAt(uri, QUERIES, 'accounts')) ?? '';
    assert.match(value, /pgdba unbounded-write/);
    // accounts exists only in the other folders: this folder's engine cannot plan it, and says why.
    assert.match(value, /could not plan this statement: .*accounts/);
  });

  test('plan findings arrive as information diagnostics once the background plans are in', async () => {
    const wanted = (items: Diagnostic[]) => items.find((d) => d.code === 'plan-seq-scan');
    let items = await server.diagnostics(uri);
    while (!wanted(items)) {
      await server.nextRefresh();
      items = await server.diagnostics(uri);
    }
    const d = wanted(items);
    assert.ok(d);
    assert.equal(d.severity, 3);
    assert.deepEqual(d.range.start, { line: 0, character: QUERIES.indexOf('orders') });
    assert.match(String(d.message), /Sequential scan on (public\.)?orders reads 30,000 rows to keep/);
    assert.ok(
      items.some((i) => i.code === 'unbounded-write'),
      'lint diagnostics are still there',
    );
  });

  test('EXPLAIN ANALYZE of a DELETE asks first, then runs rolled back', async () => {
    const ask = await server.explain({ uri, text: QUERIES, needle: 'delete from orders', analyze: true });
    assert.equal(ask.kind, 'confirm');
    assert.match(ask.kind === 'confirm' ? ask.message : '', /rolled back/);
    const run = await server.explain({ uri, text: QUERIES, needle: 'delete from orders', analyze: true, confirmed: true });
    assert.equal(run.kind, 'plan', JSON.stringify(run));
    assert.equal(run.kind === 'plan' && run.analyzed, true);
    const count = await server.explain({ uri, text: QUERIES, needle: 'select count', analyze: true, webview: { nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=' } });
    assert.equal(count.kind, 'plan');
    if (count.kind !== 'plan') return;
    // The scan under count(*) still finds ids 1…10: the DELETE of id 1 was rolled back.
    assert.match(JSON.stringify(count.json), /"Actual Rows":10\b/);
    assert.match(count.html ?? '', /data-node="0"/);
    assert.match(count.text, /^-- EXPLAIN ANALYZE \(rolled back\) on PGlite/);
    assert.equal(count.suggestedName, 'orders-explain-analyze');
  });

  test('EXPLAIN ANALYZE of a statement calling a side-effecting function is refused, offering the plain plan; the text says what rolled back', async () => {
    const text = `${QUERIES}select pg_advisory_lock(id) from orders where id = 1;\n`;
    const effects = await server.open(join(pglite, 'effects.sql'), text);
    const refused = await server.explain({ uri: effects, text, needle: 'select pg_advisory_lock', analyze: true });
    assert.equal(refused.kind, 'error');
    assert.match(refused.kind === 'error' ? refused.message : '', /refused: .*pg_advisory_lock\(\) takes an advisory lock.*"pgdba: Open plan": plain EXPLAIN/);
    const plain = await server.explain({ uri: effects, text, needle: 'select pg_advisory_lock' });
    assert.equal(plain.kind, 'plan');
    const count = await server.explain({ uri: effects, text, needle: 'select count', analyze: true, fresh: true });
    assert.match(count.kind === 'plan' ? count.text : '', /no data was changed \(sequences checked before and after\)/);
  });

  test('turning the hover setting off removes the plan from hovers', async () => {
    const folder = server.folders[0];
    folder.settings = { explain: { hover: false } };
    await server.settingsChanged();
    const value = await server.hoverAt(uri, QUERIES, "status = 'open'");
    // The column's own hover stays; the plan section is gone.
    assert.match(value ?? '', /\*\*column\*\* `public.orders.status`/);
    assert.doesNotMatch(value ?? '', /plan|scan/i);
    folder.settings = { explain: { hover: true, hoverDelayMs: 0 } };
    await server.settingsChanged();
  });
});

describe('dev database connection failures', () => {
  test('a refused dev database gives one clear message, in the status too, and linting goes on', async () => {
    const text = 'delete from accounts;\nselect * from accounts;\n';
    const uri = await server.open(join(refused, 'q.sql'), text);
    const first = await server.hoverAt(uri, text, 'select');
    const second = await server.hoverAt(uri, text, 'accounts');
    assert.match(first ?? '', /No plan: Could not connect to postgres@127\.0\.0\.1:\d+\/postgres: nothing is listening there/);
    assert.match(second ?? '', /pgdba unbounded-write/);
    const about = server.messages.filter((m) => /refused|127\.0\.0\.1/.test(m.message));
    assert.equal(about.length, 1, JSON.stringify(server.messages));
    assert.equal(about[0].type, 1);
    assert.match(about[0].message, /Linting goes on/);
    const items = await server.diagnostics(uri);
    assert.ok(
      items.some((i) => i.code === 'unbounded-write'),
      JSON.stringify(items),
    );
    const status = server.statuses.at(-1);
    assert.equal(status?.state, 'error');
    assert.match(status?.message ?? '', /nothing is listening/);
  });

  test('a host not on the allow-list is refused before anything is sent, password request included', async () => {
    const text = 'select * from accounts;\n';
    const uri = await server.open(join(remote, 'q.sql'), text);
    const value = await server.hoverAt(uri, text, 'accounts');
    assert.match(value ?? '', /pgdba will not connect to "db\.example\.com": it is not on the host allow-list/);
    assert.equal(server.messages.filter((m) => /db\.example\.com/.test(m.message)).length, 1);
    assert.deepEqual(
      server.passwordAsks.filter((t) => t.includes('example')),
      [],
    );
  });
});
