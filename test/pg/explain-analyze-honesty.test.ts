// EXPLAIN ANALYZE on PostgreSQL 15 says only what is true: side-effecting calls are refused (also inside function
// bodies), advanced sequences are named with their values, and "no data was changed" appears only when checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExplain } from '../../server/src/cli/commands/explain';
import { planText } from '../../server/src/core/explain';
import { connectPg, explainStatement, type Engine } from '../../server/src/engine';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';
import { expectEngineError } from './helpers';

let pg: ThrowawayPostgres;
let engine: Engine;
let other: Engine;
let dir: string;

before(async () => {
  pg = await startThrowawayPostgres();
  engine = await connectPg({ url: pg.url, statementTimeoutMs: 5000 });
  other = await connectPg({ url: pg.url });
  await engine.exec(`
    CREATE TABLE orders (id serial PRIMARY KEY, note text);
    INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 10) g;
    CREATE SEQUENCE tickets;
    CREATE FUNCTION kick_others() RETURNS int LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database();
      RETURN 1;
    END $$;
    CREATE FUNCTION outer_call() RETURNS int LANGUAGE sql AS $$ SELECT kick_others() $$;
    CREATE FUNCTION reset_tickets() RETURNS bigint LANGUAGE sql AS $$ SELECT setval('tickets', 1) $$;
    CREATE FUNCTION harmless(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$;`);
  dir = mkdtempSync(join(tmpdir(), 'pgdba-analyze-'));
  mkdirSync(join(dir, '.git'));
});

after(async () => {
  await other?.close();
  await engine?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const otherAlive = async () => (await other.query<{ one: number }>('SELECT 1 AS one')).rows[0].one === 1;

describe('EXPLAIN ANALYZE and what a rollback does not undo', () => {
  test('a call to pg_terminate_backend is refused before anything runs; the other session lives', async () => {
    await expectEngineError(
      engine.explain('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()', { analyze: true }),
      'side-effects',
      /EXPLAIN ANALYZE refused: .*pg_terminate_backend\(\) terminates another session.*ROLLBACK does not undo/,
    );
    assert.ok(await otherAlive());
    // Plain EXPLAIN of the same statement is fine: it runs nothing.
    assert.equal((await engine.explain('SELECT pg_terminate_backend(pid) FROM pg_stat_activity')).analyzed, false);
  });

  test('a side effect inside a PL/pgSQL body, two calls deep, is found and named with the call chain', async () => {
    await expectEngineError(
      engine.explain('SELECT outer_call()', { analyze: true }),
      'side-effects',
      /pg_terminate_backend\(\) terminates another session; called by public\.outer_call → public\.kick_others/,
    );
    await expectEngineError(
      engine.explain('SELECT reset_tickets()', { analyze: true }),
      'side-effects',
      /setval\(\) sets a sequence .*called by public\.reset_tickets/,
    );
    assert.ok(await otherAlive());
  });

  test('the documented families are refused: advisory locks, dblink, large objects, statistics resets', async () => {
    for (const [sql, name] of [
      ['SELECT pg_advisory_lock(42)', 'pg_advisory_lock'],
      ['SELECT pg_stat_reset()', 'pg_stat_reset'],
      ["SELECT lo_export(1, '/tmp/x')", 'lo_export'],
      ['SELECT pg_reload_conf()', 'pg_reload_conf'],
      ["SELECT setval('tickets', 5)", 'setval'],
    ]) {
      await expectEngineError(engine.explain(sql, { analyze: true }), 'side-effects', new RegExp(`refused: .*${name}\\(\\)`));
    }
  });

  test('an INSERT that advances a sequence is analysed, and the text says exactly which sequence moved and how far', async () => {
    const r = await explainStatement(engine, "INSERT INTO orders (note) VALUES ('x')", { analyze: true });
    assert.deepEqual(r.outcome.afterRollback, { verified: true, changes: ['sequence public.orders_id_seq advanced from 10 to 11'] });
    const text = planText(r.plan, r.findings, { afterRollback: r.outcome.afterRollback });
    assert.match(text, /rolled back, but not everything was undone: sequence public\.orders_id_seq advanced from 10 to 11\./);
    assert.doesNotMatch(text, /no data was changed/);
    assert.equal((await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0].n, 10, 'the row itself was rolled back');
    const fresh = await explainStatement(engine, "SELECT nextval('tickets')", { analyze: true });
    assert.deepEqual(fresh.outcome.afterRollback?.changes, ['sequence public.tickets advanced from its start (never used) to 1']);
  });

  test('"no data was changed" only when the sequences were checked and none moved', async () => {
    const r = await explainStatement(engine, 'SELECT harmless(id) FROM orders WHERE id < 5', { analyze: true });
    assert.deepEqual(r.outcome.afterRollback, { verified: true, changes: [] });
    assert.match(planText(r.plan, r.findings, { afterRollback: r.outcome.afterRollback }), /no data was changed \(sequences checked before and after\)/);
  });

  test('the CLI: a refused ANALYZE exits 1 with the reason and no stack; an INSERT reports its sequence', async () => {
    writeFileSync(join(dir, 'q.sql'), "SELECT pg_cancel_backend(pid) FROM pg_stat_activity;\nINSERT INTO orders (note) VALUES ('y');\n");
    let out = '';
    let err = '';
    const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) };
    assert.equal(await runExplain({ file: 'q.sql', line: 1, db: pg.url, analyze: true, format: 'text', cwd: dir }, io), 1);
    assert.match(err, /pg_cancel_backend\(\) cancels another session's query/);
    assert.match(err, /hint: plain EXPLAIN \(without ANALYZE\) shows its plan without running it/);
    assert.doesNotMatch(err, /\n\s+at /);
    assert.equal(await runExplain({ file: 'q.sql', line: 2, db: pg.url, analyze: true, format: 'json', cwd: dir }, io), 0, err);
    assert.match(JSON.parse(out).afterRollback.changes[0], /^sequence public\.orders_id_seq advanced from \d+ to \d+$/);
  });
});
