// The PGlite engine (in a worker thread): plans, rolled-back ANALYZE, GENERIC_PLAN, timeouts that stop the worker, and the renderings of real plans.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgliteEngine, explainStatement, type PgliteEngine } from '../../server/src/engine';
import { parsePlan, planPreviewMarkdown, planText } from '../../server/src/core/explain';
import { expectEngineError, FINDING_FIXTURES } from './helpers';

let engine: PgliteEngine;

before(async () => {
  engine = await createPgliteEngine({ statementTimeoutMs: 10_000 });
  await engine.exec(
    `
    CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL, note text);
    INSERT INTO items SELECT g, g % 7, 'n' || g FROM generate_series(1, 2000) g;
    ANALYZE items;
    ${FINDING_FIXTURES}`,
    // Loading the fixtures can take longer than the tests' 10 s statement_timeout on a busy 2-core machine.
    60_000,
  );
  // The restart point after a timeout is this snapshot.
  await engine.snapshot();
});

after(async () => {
  await engine?.close();
});

const checksum = async () =>
  (await engine.query<{ sum: string }>("SELECT md5(string_agg(id || ':' || qty || ':' || note, ',' ORDER BY id)) AS sum FROM items")).rows[0].sum;

describe('PGlite engine', () => {
  test('a plain EXPLAIN returns a plan', async () => {
    const r = await engine.explain('SELECT * FROM items WHERE id = 42');
    assert.equal(r.engine, 'pglite');
    assert.ok(r.serverVersion >= 160000, `PGlite runs PostgreSQL ${r.serverVersion}`);
    assert.equal(parsePlan(r.json).root.relation, 'items');
  });

  test('sqlc named parameters are planned as $n (LIMIT sqlc.arg(lim) is not a column)', async () => {
    const r = await engine.explain('SELECT * FROM items WHERE qty = sqlc.arg(qty) AND id = ANY(sqlc.slice(ids)) ORDER BY id LIMIT sqlc.arg(lim)');
    assert.equal(r.generic, 'generic-plan');
    assert.equal(parsePlan(r.json).root.nodeType, 'Limit');
    const at = await engine.explain('SELECT * FROM items WHERE id = @id');
    assert.equal(parsePlan(at.json).root.relation, 'items');
  });

  test('EXPLAIN ANALYZE of an UPDATE leaves the table unchanged', async () => {
    const before = await checksum();
    const r = await engine.explain("UPDATE items SET qty = 0, note = 'changed'", { analyze: true });
    assert.equal(parsePlan(r.json).nodes[1].actual?.rows, 2000);
    assert.equal(await checksum(), before);
  });

  test('a $1 statement gets EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+', async () => {
    const r = await engine.explain('SELECT * FROM items WHERE id = $1');
    assert.equal(r.generic, 'generic-plan');
    assert.equal(parsePlan(r.json).root.indexName, 'items_pkey');
  });

  test('plain EXPLAIN runs read-only: a data-modifying CTE cannot slip through', async () => {
    const r = await engine.explain('WITH d AS (DELETE FROM items RETURNING id) SELECT count(*) FROM d');
    assert.equal(parsePlan(r.json).analyzed, false);
    assert.equal((await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0].n, 2000);
  });

  test('a syntax error is typed and positioned', async () => {
    const sql = 'SELECT * FROM items WHERE id = = 1';
    const e = await expectEngineError(engine.explain(sql), 'syntax', /syntax error/);
    assert.equal(e.position, sql.indexOf('= 1'));
  });

  test('a statement past the timeout stops the worker with one timeout error; the next request starts again from the snapshot', async () => {
    await expectEngineError(engine.explain('SELECT pg_sleep(5)', { analyze: true, timeoutMs: 300 }), 'timeout', /300 ms/);
    assert.equal((await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0].n, 2000);
  });
});

describe('findings and renderings of real PGlite plans', () => {
  test('seq scan finding, hover preview and CLI text', async () => {
    const r = await explainStatement(engine, "SELECT * FROM orders WHERE status = 'open'", { analyze: true });
    const f = r.findings.find((x) => x.kind === 'seq-scan-selective');
    assert.equal(f?.table, 'orders');
    assert.deepEqual(f?.index?.columns, ['status']);

    const md = planPreviewMarkdown(r.plan, r.findings, { source: 'PGlite', links: [{ title: 'Open full plan', href: 'command:pgdba.showPlan' }] });
    assert.match(md, /EXPLAIN ANALYZE \(rolled back\)/);
    assert.match(md, /Seq Scan on orders .*actual time=.* rows=150 loops=1\).*⚠/);
    assert.match(md, /Sequential scan on orders reads 30,000 rows to keep 150/);
    assert.match(md, /\[Open full plan\]\(command:pgdba\.showPlan\)/);

    const text = planText(r.plan, r.findings, { source: 'PGlite', afterRollback: r.outcome.afterRollback });
    assert.match(text, /Rows Removed by Filter: 29850/);
    assert.match(text, /Findings:\n {2}! Sequential scan on orders/);
    assert.match(text, /no data was changed/);
  });

  test('the preview keeps to maxNodes and counts the rest', async () => {
    const r = await explainStatement(engine, 'SELECT * FROM orders o JOIN notes n ON n.order_ref = o.id JOIN items i ON i.id = o.customer_id');
    assert.ok(r.plan.nodes.length > 2);
    const md = planPreviewMarkdown(r.plan, r.findings, { maxNodes: 2 });
    assert.match(md, new RegExp(`… ${r.plan.nodes.length - 2} more nodes`));
  });

  test('a clean plan has no findings', async () => {
    const r = await explainStatement(engine, 'SELECT * FROM orders WHERE id = 7', { analyze: true });
    assert.deepEqual(r.findings, []);
  });
});
