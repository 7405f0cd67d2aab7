// `pgdba top` against pg_stat_statements 1.7, the extension version PostgreSQL 12 ships (total_time/mean_time/max_time).
//
// PostgreSQL 12 is not installable on this machine (Debian 12 packages only postgresql-15), so this runs on the
// throwaway PG15 server, in a database where `CREATE EXTENSION pg_stat_statements VERSION '1.7'` installs the real 1.7
// SQL script that PG15 still ships: its view has exactly PG12's column names and is fed by the real C module through
// its 1.3 entry point. What this proves: column detection picks total_time/max_time, the statistics SQL runs against
// PG12's view shape, and statements still map to file and line. What it does not prove: behaviour of a real PG12
// server (e.g. its query normalisation or settings), which only a PG12 binary could show.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { main } from '../../server/src/cli/main';
import type { TopQueryJson } from '../../server/src/core/observe/report';
import { connectPg } from '../../server/src/engine';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { runObserveWorkload, writeObserveWorkspace } from './observe-fixtures';

let pg: ThrowawayPostgres;
let dir: string;
let url: string;

before(async () => {
  pg = await startThrowawayPostgres(undefined, { shared_preload_libraries: 'pg_stat_statements', compute_query_id: 'on', 'pg_stat_statements.track': 'all' });
  dir = writeObserveWorkspace();
  const admin = await connectPg({ url: pg.url });
  await admin.exec('CREATE DATABASE pg12_shape');
  await admin.close();
  url = pg.url.replace(/\/postgres$/, '/pg12_shape');
  const db = await connectPg({ url });
  await db.exec(`CREATE EXTENSION pg_stat_statements VERSION '1.7'`);
  await db.close();
  await runObserveWorkload(url); // CREATE EXTENSION IF NOT EXISTS keeps 1.7
});

after(async () => {
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pgdba top with PostgreSQL 12 column names (pg_stat_statements 1.7)', () => {
  test('the view really has PG12 columns and none of the 13+ ones', async () => {
    const db = await connectPg({ url });
    const cols = await db.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = 'pg_stat_statements'::regclass AND attnum > 0 AND NOT attisdropped`,
    );
    const version = await db.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    await db.close();
    const names = new Set(cols.rows.map((r) => r.attname));
    assert.equal(version.rows[0].v, '1.7');
    for (const c of ['total_time', 'mean_time', 'max_time']) assert.ok(names.has(c), c);
    for (const c of ['total_exec_time', 'mean_exec_time', 'max_exec_time', 'toplevel']) assert.ok(!names.has(c), c);
  });

  test('statements map to file and line, with times read from total_time and max_time', async () => {
    let out = '';
    let err = '';
    const code = await main(
      ['top', '.', '--db', url, '--format', 'json', '--limit', '100'],
      { stdout: (s) => void (out += s), stderr: (s) => void (err += s) },
      dir,
    );
    assert.equal(code, 0, err);
    const { queries } = JSON.parse(out) as { queries: TopQueryJson[] };
    const byCustomer = queries.find((q) => /customer_id = \$1$/.test(q.query));
    assert.ok(byCustomer, queries.map((q) => q.query).join(' | '));
    assert.deepEqual([byCustomer.file, byCustomer.line, byCustomer.calls, byCustomer.rows], ['queries/reports.sql', 2, 5, 1000]);
    assert.ok(byCustomer.total_ms > 0, 'total_ms comes from total_time');
    // JSON rounds to 0.001 ms.
    assert.ok(Math.abs(byCustomer.mean_ms * 5 - byCustomer.total_ms) < 0.01);
    assert.ok(byCustomer.max_ms > 0 && byCustomer.max_ms <= byCustomer.total_ms + 0.001, 'max_ms comes from max_time');
    const body = queries.find((q) => /customer_id = p_customer/.test(q.query));
    assert.deepEqual([body?.file, body?.line], ['migrations/0001_init.up.sql', 9]);
  });
});
