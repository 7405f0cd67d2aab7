// The pg engine against a throwaway PostgreSQL 15: plans, rolled-back ANALYZE, clear errors, $n fallback, findings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPg, EngineError, explainStatement, nodeLibpqEnvironment, type Engine } from '../../server/src/engine';
import { parsePlan } from '../../server/src/core/explain';
import { PASSWORD, startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { expectEngineError, loadFindingFixtures, unusedPort } from './helpers';

let pg: ThrowawayPostgres;
let engine: Engine;

before(async () => {
  pg = await startThrowawayPostgres();
  engine = await connectPg({ url: pg.url, statementTimeoutMs: 5000 });
  await engine.exec(`
    CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL, note text);
    INSERT INTO items SELECT g, g % 7, 'n' || g FROM generate_series(1, 2000) g;
    ANALYZE items;`);
});

after(async () => {
  await engine?.close();
  await pg?.stop();
});

const checksum = async (e: Engine) =>
  (await e.query<{ sum: string }>("SELECT md5(string_agg(id || ':' || qty || ':' || note, ',' ORDER BY id)) AS sum FROM items")).rows[0].sum;

describe('pg engine on PostgreSQL 15', () => {
  test('a plain EXPLAIN returns a plan, in a read-only transaction', async () => {
    const r = await engine.explain('SELECT * FROM items WHERE id = 42');
    const plan = parsePlan(r.json);
    assert.equal(r.engine, 'pg');
    assert.equal(Math.floor(r.serverVersion / 10000), 15);
    assert.equal(plan.root.relation, 'items');
    assert.match(plan.root.nodeType, /Index/);
    assert.equal(plan.analyzed, false);
  });

  test('EXPLAIN ANALYZE of an UPDATE leaves the table unchanged', async () => {
    const before = await checksum(engine);
    const r = await engine.explain("UPDATE items SET qty = qty + 1, note = 'changed' WHERE id <= 1000", { analyze: true });
    const plan = parsePlan(r.json);
    assert.equal(plan.analyzed, true);
    assert.equal(plan.root.operation, 'Update');
    assert.equal(plan.nodes[1].actual?.rows, 1000);
    assert.equal(await checksum(engine), before);
  });

  test('a $1 statement is planned via PREPARE + EXPLAIN EXECUTE on PG 15 (no GENERIC_PLAN before 16)', async () => {
    const r = await engine.explain('SELECT * FROM items WHERE id = $1 AND qty > $2');
    assert.equal(r.generic, 'prepared');
    assert.equal(parsePlan(r.json).root.relation, 'items');
    // The prepared statement was deallocated: nothing is left behind on the session.
    assert.equal((await engine.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'pgdba_%'")).rows[0].n, 0);
  });

  test('a $1 statement with values gets a custom plan; ANALYZE without values is refused', async () => {
    assert.equal((await engine.explain('SELECT * FROM items WHERE id = $1', { params: [7] })).generic, 'none');
    await expectEngineError(engine.explain('SELECT * FROM items WHERE id = $1', { analyze: true }), 'other', /needs values for \$1/);
  });

  test('an untyped parameter gets a hint to add a cast', async () => {
    await expectEngineError(engine.explain('SELECT * FROM items WHERE $1 IS NULL'), 'other', /could not determine data type.*Add a cast/);
  });

  test('a syntax error is typed and positioned in the caller\u2019s text', async () => {
    const sql = 'SELECT * FROM items WHERE';
    const e = await expectEngineError(engine.explain(sql), 'syntax', /syntax error/);
    assert.equal(e.position, sql.length);
  });

  test('a statement EXPLAIN cannot plan, and two statements, are refused before reaching the server', async () => {
    await expectEngineError(engine.explain('CREATE TABLE nope (a int)'), 'other', /cannot plan a Create/);
    await expectEngineError(engine.explain('SELECT 1; COMMIT; DROP TABLE items'), 'other', /one statement at a time/);
    assert.equal((await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0].n, 2000);
  });

  test('a statement past statement_timeout gives one timeout error and the engine keeps working', async () => {
    await expectEngineError(engine.explain('SELECT pg_sleep(2)', { analyze: true, timeoutMs: 200 }), 'timeout', /statement_timeout of 200 ms/);
    await expectEngineError(
      engine.query('SELECT pg_sleep(10)').then(() => undefined),
      'timeout',
      /statement_timeout/,
    );
    assert.equal((await engine.query<{ one: number }>('SELECT 1 AS one')).rows[0].one, 1);
  });
});

describe('pg engine connection errors', () => {
  test('a wrong password is an auth error naming where the password came from', async () => {
    const url = pg.urlWithoutPassword.replace('postgres@', 'postgres:wrong@');
    const e = await expectEngineError(connectPg({ url }), 'auth', /Authentication failed/);
    assert.match(e.message, /the connection string/);
  });

  test('no password at all is an auth error that says where to set one', async () => {
    const environment = { ...nodeLibpqEnvironment(), env: {}, homeDir: mkdtempSync(join(tmpdir(), 'pgdba-home-')) };
    await expectEngineError(connectPg({ url: pg.urlWithoutPassword }, environment), 'auth', /Set database password/);
  });

  test('the password is found in PGPASSFILE', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pgdba-home-'));
    const file = join(home, 'pgpass');
    writeFileSync(file, `127.0.0.1:${pg.port}:*:postgres:${PASSWORD}\n`, { mode: 0o600 });
    const e = await connectPg({ url: pg.urlWithoutPassword }, { ...nodeLibpqEnvironment(), env: { PGPASSFILE: file }, homeDir: home });
    assert.equal((await e.serverVersion()) >= 150000, true);
    await e.close();
  });

  test('nothing listening is a refused error', async () => {
    const port = await unusedPort();
    await expectEngineError(connectPg({ host: '127.0.0.1', port, user: 'postgres', password: 'x', database: 'postgres' }), 'refused', /nothing is listening/);
  });

  test('a host off the allow-list is refused before connecting', async () => {
    await expectEngineError(connectPg({ url: 'postgresql://postgres:x@db.example.com:5432/app' }), 'host-not-allowed', /allow-list/);
  });

  test('socket URLs (host in the query string, or percent-encoded in the host part) connect over the Unix socket', async () => {
    // The allow-list names no host at all: a socket directory is local, exactly as keyword conninfo host=/dir is.
    const environment = { ...nodeLibpqEnvironment(), env: { PGPASSWORD: PASSWORD } };
    const urls = [
      `postgresql://postgres@/postgres?host=${pg.socketDir}&port=${pg.port}`,
      `postgresql://postgres@${encodeURIComponent(pg.socketDir)}:${pg.port}/postgres`,
    ];
    for (const url of urls) {
      const e = await connectPg({ url, allowedHosts: [] }, environment);
      // inet_client_addr() is NULL only for a Unix-socket connection.
      const r = await e.query<{ unix: boolean }>('SELECT inet_client_addr() IS NULL AS unix');
      await e.close();
      assert.equal(r.rows[0].unix, true, url);
    }
  });

  test('sslmode=require against a server without SSL fails clearly instead of falling back', async () => {
    const e = await connectPg({ url: `${pg.url}?sslmode=require` }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof EngineError);
    assert.match(e.message, /SSL/);
  });
});

describe('plan findings on PostgreSQL 15', () => {
  before(async () => {
    await loadFindingFixtures(engine);
  });

  test('a selective filter over a large table: seq scan finding naming the table and the index', async () => {
    const r = await explainStatement(engine, "SELECT * FROM orders WHERE status = 'open'");
    const f = r.findings.find((x) => x.kind === 'seq-scan-selective');
    assert.equal(f?.table, 'orders');
    assert.match(f?.index?.sql ?? '', /ON orders \(status\)/);
  });

  test('an existing index on the filtered column is named instead of suggesting another', async () => {
    await engine.exec('SET enable_indexscan = off; SET enable_bitmapscan = off');
    try {
      const r = await explainStatement(engine, 'SELECT * FROM orders WHERE customer_id = 5');
      const f = r.findings.find((x) => x.kind === 'seq-scan-selective');
      assert.equal(f?.unusedIndex, 'orders_customer_id_idx');
      assert.equal(f?.index, undefined);
    } finally {
      await engine.exec('RESET enable_indexscan; RESET enable_bitmapscan');
    }
  });

  test('a sort larger than work_mem: spill finding', async () => {
    await engine.exec("SET work_mem = '64kB'");
    try {
      const r = await explainStatement(engine, 'SELECT * FROM orders ORDER BY note', { analyze: true });
      const f = r.findings.find((x) => x.kind === 'spill');
      assert.equal(f?.table, 'orders');
      assert.equal(f?.data.what, 'sort');
    } finally {
      await engine.exec('RESET work_mem');
    }
  });

  test('correlated columns: estimate off by 10x or more when analysed', async () => {
    const r = await explainStatement(engine, 'SELECT * FROM orders WHERE a = 1 AND b = 1', { analyze: true });
    const f = r.findings.find((x) => x.kind === 'misestimate');
    assert.ok(f, 'expected a misestimate finding');
    assert.ok(Number(f.data.factor) >= 10);
    assert.equal(f.table, 'orders');
  });

  test('a nested loop over many outer rows with a scanned inner side names the inner table and its join column', async () => {
    await engine.exec('SET enable_hashjoin = off; SET enable_mergejoin = off');
    try {
      const r = await explainStatement(engine, 'SELECT * FROM orders o JOIN notes n ON n.order_ref = o.a');
      const f = r.findings.find((x) => x.kind === 'nested-loop-large-outer');
      // Either table may be the outer side; the finding names the one scanned again and again, and its join column.
      const joinColumn: Record<string, string> = { orders: 'a', notes: 'order_ref' };
      assert.ok(f?.table && joinColumn[f.table], `expected a nested-loop finding, got ${JSON.stringify(r.findings)}`);
      assert.deepEqual(f.index?.columns, [joinColumn[f.table]]);
    } finally {
      await engine.exec('RESET enable_hashjoin; RESET enable_mergejoin');
    }
  });
});

test('without the server binaries the harness fails with a message saying what to install', async () => {
  await assert.rejects(startThrowawayPostgres('/nonexistent/bin'), /\/nonexistent\/bin\/initdb is missing\. Install PostgreSQL 15/);
});
