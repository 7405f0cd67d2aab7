// `pgdba top` on a throwaway PostgreSQL 15 with pg_stat_statements: statements run with literal values map to their file and line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import type { TopQueryJson } from '../../server/src/core/observe/report';
import { connectPg } from '../../server/src/engine';
import { PASSWORD, startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { runObserveWorkload, writeObserveWorkspace } from './observe-fixtures';

let pg: ThrowawayPostgres;
let dir: string;

type Query = TopQueryJson;

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
  const admin = await connectPg({ url: pg.url });
  await admin.exec('CREATE DATABASE plain'); // no pg_stat_statements in it
  await admin.close();
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
    const { findings } = JSON.parse(r.out) as { findings: { file: string; line: number; code: string; message: string }[] };
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.code}`),
      ['migrations/0001_init.up.sql:2 index-never-scanned'],
    );
  });

  test('text output: calls, times, blocks and file:line or "not in this workspace"; --order calls puts the most called first', async () => {
    const r = await top(['.', '--db', pg.url, '--order', 'calls', '--limit', '3']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1\. queries\/reports\.sql:2\n/m);
    assert.match(r.out, /calls 5 · total [\d.,]+ ms \(\S+ %\) · mean [\d.,]+ ms · max [\d.,]+ ms · rows 1,000/);
    assert.match(r.out, /shared blocks hit [\d,]+ \/ read [\d,]+ · temp blocks read 0 \/ written 0/);
    const all = await top(['.', '--db', pg.url, '--limit', '100']);
    assert.match(all.out, /not in this workspace\n\s+SELECT \$1 \+ \$2 AS answer/);
    assert.match(all.out, /From table and index statistics:\n {2}migrations\/0001_init\.up\.sql:2: Index orders_status_idx on orders has not been scanned/);
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

  test('the statistics are read in a READ ONLY transaction under statement_timeout, as EXPLAIN runs', async () => {
    await top(['.', '--db', pg.url]);
    const r = await top(['.', '--db', pg.url, '--format', 'json', '--limit', '1000']);
    const texts = (JSON.parse(r.out) as { queries: Query[] }).queries.map((q) => q.query);
    assert.ok(texts.includes('BEGIN READ ONLY'), texts.join(' | '));
    assert.ok(
      texts.some((t) => /^SET LOCAL statement_timeout = (\$1|\d+)$/.test(t)),
      texts.join(' | '),
    );
  });

  test('a host off the allow-list is refused before connecting', async () => {
    const r = await top(['.', '--db', 'postgresql://postgres@db.example.com/app']);
    assert.equal(r.code, 1);
    assert.match(r.err, /will not connect to "db\.example\.com": it is not on the host allow-list/);
  });

  test('a database without the extension: one message with the exact steps, no crash', async () => {
    const r = await top(['.', '--db', pg.url.replace(/\/postgres$/, '/plain')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /loaded \(shared_preload_libraries\) but the extension was not created in this database/);
    assert.match(r.err, /shared_preload_libraries = 'pg_stat_statements'/);
    assert.match(r.err, /CREATE EXTENSION pg_stat_statements;/);
    assert.match(r.err, /compute_query_id/);
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/);
  });

  test("a role without pg_read_all_stats: other roles' texts are hidden and the report says why", async () => {
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

  test('package new --observability fills observability/ with the snapshot, the settings and the gate answered from them', async () => {
    const r = await main(
      ['package', 'new', 'OBS-1', '--date', '20250131', '--dir', 'pkg', '--observability', '--db', pg.url],
      { stdout: () => undefined, stderr: (s) => void process.stderr.write(s) },
      dir,
    );
    assert.equal(r, 0);
    const folder = join(dir, 'pkg', 'DBA_OBS-1_20250131_observability');
    const top = JSON.parse(readFileSync(join(folder, 'top-queries.json'), 'utf8')) as { queries: Query[] };
    assert.deepEqual([find(top.queries, /customer_id = \$1$/).file, find(top.queries, /customer_id = \$1$/).line], ['queries/reports.sql', 2]);
    assert.match(readFileSync(join(folder, 'top-queries.md'), 'utf8'), /\| queries\/reports\.sql:2 \|/);
    const settings = JSON.parse(readFileSync(join(folder, 'settings.json'), 'utf8')) as { settings: Record<string, string> };
    assert.equal(settings.settings.compute_query_id, 'on');
    const gate = readFileSync(join(folder, 'gate.md'), 'utf8');
    assert.match(gate, /- \[x\] Query statistics exposed.*shared_preload_libraries = pg_stat_statements/);
    assert.match(gate, /- \[x\] Query identifiers computed.*compute_query_id = on/);
    assert.match(gate, /- \[ \] Slow-query capture enabled.*log_min_duration_statement = -1/);
    assert.match(gate, /- \[ \] Plans of slow queries logged.*auto_explain is not in shared_preload_libraries/);
    assert.match(gate, /- \[ \] I\/O timing tracked.*track_io_timing = off/);
    assert.match(readFileSync(join(dir, 'pkg', 'DBA_OBS-1_20250131_DB_SPEC.md'), 'utf8'), /pg_stat_statements and observability settings of PostgreSQL/);
  });

  test('package new --observability on a database without the extension still writes the settings and the gate, with a note', async () => {
    let err = '';
    const url = pg.url.replace(/\/postgres$/, '/plain');
    const r = await main(
      ['package', 'new', 'OBS-2', '--date', '20250131', '--dir', 'pkg', '--observability', '.', '--db', url],
      { stdout: () => undefined, stderr: (s) => void (err += s) },
      dir,
    );
    assert.equal(r, 0, err);
    const folder = join(dir, 'pkg', 'DBA_OBS-2_20250131_observability');
    assert.match(readFileSync(join(folder, 'gate.md'), 'utf8'), /- \[ \] Query statistics exposed/);
    assert.match(readFileSync(join(dir, 'pkg', 'DBA_OBS-2_20250131_DB_SPEC.md'), 'utf8'), /no pg_stat_statements snapshot: Query statistics are unavailable/);
  });
});
