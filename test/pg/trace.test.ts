// Lock tracing on both engines: locks per statement, rewrites by relfilenode, skipped and failing statements, rollback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectPg, createPgliteEngine, type Engine } from '../../server/src/engine';
import { traceStatements } from '../../server/src/engine/trace';
import { initParser, parseSql } from '../../server/src/core/parse/parse';
import { traceInputs } from '../../server/src/engine/trace-inputs';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

const SCHEMA = `CREATE TABLE accounts (id int PRIMARY KEY, email varchar(50), plan text);
INSERT INTO accounts SELECT g, 'a' || g || '@x', 'free' FROM generate_series(1, 500) g;`;

const MIGRATION = `ALTER TABLE accounts ALTER COLUMN id TYPE bigint;
CREATE INDEX CONCURRENTLY accounts_plan_idx ON accounts (plan);
ALTER TABLE accounts ALTER COLUMN email TYPE varchar(100);
ALTER TABLE no_such_table ADD COLUMN x int;
CREATE INDEX accounts_email_idx ON accounts (email);
SELECT count(*) FROM accounts;`;

async function traceOn(engine: Engine) {
  const parsed = parseSql(MIGRATION);
  const traced = await traceStatements(engine, traceInputs(parsed.statements));
  return { parsed, traced };
}

function checks(run: () => Engine) {
  test('reports the locks each statement takes and the rewrites, then rolls everything back', async () => {
    const engine = run();
    const { traced } = await traceOn(engine);
    const [typeChange, concurrent, widen, failing, index, select] = traced;

    assert.equal(typeChange.status, 'ok');
    assert.deepEqual(typeChange.locks.find((l) => l.relation === 'accounts')?.mode, 'AccessExclusiveLock');
    assert.ok(typeChange.rewritten.includes('accounts'), `int → bigint rewrites the table: ${JSON.stringify(typeChange)}`);

    assert.equal(concurrent.status, 'skipped');
    assert.match(concurrent.note ?? '', /CONCURRENTLY/);

    assert.equal(widen.status, 'ok');
    assert.deepEqual(widen.rewritten, [], 'varchar widening is binary coercible: no rewrite');

    assert.equal(failing.status, 'error');
    assert.match(failing.error?.message ?? '', /no_such_table/);

    assert.equal(index.status, 'ok', 'the statements after a failure are still traced');
    assert.ok(index.locks.some((l) => l.relation === 'accounts_email_idx'));

    assert.equal(select.status, 'ok');
    assert.deepEqual(select.locks, [], 'the table is already held more strongly: nothing new');

    const cols = await engine.query<{ data_type: string }>(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'id'",
    );
    assert.equal(cols.rows[0].data_type, 'integer', 'the trace was rolled back');
    const idx = await engine.query("SELECT 1 FROM pg_class WHERE relname = 'accounts_email_idx'");
    assert.equal(idx.rows.length, 0);
  });

  test('a SHARE lock on a table from a plain CREATE INDEX', async () => {
    const engine = run();
    const traced = await traceStatements(engine, traceInputs(parseSql('CREATE INDEX accounts_plan_idx2 ON accounts (plan)').statements));
    assert.deepEqual(traced[0].locks.find((l) => l.relation === 'accounts')?.mode, 'ShareLock');
    assert.match(traced[0].locks.find((l) => l.relation === 'accounts')?.blocks ?? '', /writes/);
  });
}

before(async () => {
  await initParser();
});

describe('lock trace on PGlite', () => {
  let engine: Engine;
  before(async () => {
    engine = await createPgliteEngine({ statementTimeoutMs: 5000 });
    await engine.exec(SCHEMA);
  });
  after(async () => {
    await engine?.close();
  });
  checks(() => engine);
});

describe('lock trace on PostgreSQL 15', () => {
  let pg: ThrowawayPostgres;
  let engine: Engine;
  before(async () => {
    pg = await startThrowawayPostgres();
    engine = await connectPg({ url: pg.url, statementTimeoutMs: 5000 });
    await engine.exec(SCHEMA);
  });
  after(async () => {
    await engine?.close();
    await pg?.stop();
  });
  checks(() => engine);
});
