// `pgdba top` on a throwaway PostgreSQL 15 with pg_stat_statements: statements run with literal values map to their file and line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { main } from '../../server/src/cli/main';
import { connectPg } from '../../server/src/engine';
import { PASSWORD, startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { runObserveWorkload, writeObserveWorkspace } from './observe-fixtures';

let pg: ThrowawayPostgres;
let dir: string;

interface Query {
  queryid: string;
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  file: string | null;
  line: number | null;
}

async function top(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['top', ...args], { stdout: (s) => void (out += s), stderr: (s) => void (err += s) }, dir);
  return { code, out, err };
}

const find = (qs: Query[], re: RegExp) => {
  const q = qs.find((x) => re.test(x.query));
  assert.ok(q, `no query matching ${re} in ${qs.map((x) => x.query).join(' | ')}`);
  return q;
};

before(async () => {
  // track=all: statements inside functions are recorded too, so the function body's SELECT can be mapped.
  pg = await startThrowawayPostgres(undefined, { shared_preload_libraries: 'pg_stat_statements', compute_query_id: 'on', 'pg_stat_statements.track': 'all' });
  dir = writeObserveWorkspace();
  await runObserveWorkload(pg.url);
});

after(async () => {
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pgdba top on PostgreSQL 15', () => {
  test('maps each statement run with other constants to its file and line; a foreign one is not in this workspace', async () => {
    const r = await top(['.', '--db', pg.url, '--format', 'json', '--limit', '100']);
    assert.equal(r.code, 0, r.err);
    const { queries } = JSON.parse(r.out) as { queries: Query[] };
    const byCustomer = find(queries, /customer_id = \$1$/);
    assert.deepEqual([byCustomer.file, byCustomer.line, byCustomer.calls], ['queries/reports.sql', 2, 5]);
    assert.equal(byCustomer.rows, 5 * 200);
    const count = find(queries, /^SELECT count\(\*\)\s+FROM orders\s+WHERE total > \$1/);
    assert.deepEqual([count.file, count.line, count.calls], ['queries/reports.sql', 4, 3]);
    const update = find(queries, /^UPDATE orders/);
    assert.deepEqual([update.file, update.line], ['queries/reports.sql', 8]);
    const body = find(queries, /customer_id = p_customer/);
    assert.deepEqual([body.file, body.line], ['migrations/0001_init.up.sql', 9]);
    const foreign = find(queries, /^SELECT \$1 \+ \$2 AS answer/);
    assert.deepEqual([foreign.file, foreign.line], [null, null]);
    for (const q of queries) assert.ok(q.total_ms >= 0 && q.mean_ms >= 0 && typeof q.queryid === 'string');
  });

  test('text output: calls, times, blocks and file:line or "not in this workspace"; --order calls puts the most called first', async () => {
    const r = await top(['.', '--db', pg.url, '--order', 'calls', '--limit', '3']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1\. queries\/reports\.sql:2\n/m);
    assert.match(r.out, /calls 5 · total [\d.,]+ ms \(\S+ %\) · mean [\d.,]+ ms · max [\d.,]+ ms · rows 1,000/);
    assert.match(r.out, /shared blocks hit [\d,]+ \/ read [\d,]+ · temp blocks read 0 \/ written 0/);
    const all = await top(['.', '--db', pg.url, '--limit', '100']);
    assert.match(all.out, /not in this workspace\n\s+SELECT \$1 \+ \$2 AS answer/);
  });

  test('a file path maps against that file only, relative to the file', async () => {
    const r = await top(['queries/reports.sql', '--db', pg.url, '--format', 'json', '--limit', '100']);
    const { queries } = JSON.parse(r.out) as { queries: Query[] };
    assert.deepEqual([find(queries, /customer_id = \$1$/).file, find(queries, /customer_id = p_customer/).file], ['reports.sql', null]);
  });

  test('a Unix-socket connection to the local server is allowed', async () => {
    const url = `host=${pg.socketDir} port=${pg.port} user=postgres password=${PASSWORD} dbname=postgres`;
    const r = await top(['.', '--db', url, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
  });

  test('a host off the allow-list is refused before connecting', async () => {
    const r = await top(['.', '--db', 'postgresql://postgres@db.example.com/app']);
    assert.equal(r.code, 1);
    assert.match(r.err, /will not connect to "db\.example\.com": it is not on the host allow-list/);
  });

  test('a database without the extension: one message with the exact steps, no crash', async () => {
    const admin = await connectPg({ url: pg.url });
    await admin.exec('CREATE DATABASE plain');
    await admin.close();
    const r = await top(['.', '--db', pg.url.replace(/\/postgres$/, '/plain')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /loaded \(shared_preload_libraries\) but the extension was not created in this database/);
    assert.match(r.err, /shared_preload_libraries = 'pg_stat_statements'/);
    assert.match(r.err, /CREATE EXTENSION pg_stat_statements;/);
    assert.match(r.err, /compute_query_id/);
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/);
  });

  test('a role without pg_read_all_stats: other roles\' texts are hidden and the report says why', async () => {
    const admin = await connectPg({ url: pg.url });
    await admin.exec(`CREATE ROLE watcher LOGIN PASSWORD '${PASSWORD}'`);
    await admin.close();
    const url = pg.url.replace('//postgres:', '//watcher:');
    const r = await top(['.', '--db', url, '--format', 'json', '--limit', '100']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { queries: Query[]; notes: string[] };
    assert.ok(json.queries.some((q) => q.query === '' && q.file === null));
    assert.match(json.notes.join('\n'), /pg_read_all_stats/);
    const text = await top(['.', '--db', url]);
    assert.match(text.out, /query text hidden/);
    assert.match(text.out, /note: Some query texts are hidden/);
  });

  test('usage errors exit 2 with the usage line', async () => {
    for (const args of [['.'], ['.', '--db', pg.url, '--order', 'slowest'], ['.', '--db', pg.url, '--limit', '0']]) {
      const r = await top(args);
      assert.equal(r.code, 2);
      assert.match(r.err, /usage: pgdba top <path> --db URL/);
    }
  });
});
