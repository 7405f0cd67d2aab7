// The pure side of query observability: fingerprint mapping (top-level, bodies, constants), lens titles and statistics findings.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseSql } from '../parse/parse';
import { fileStatements, fingerprintOf, indexWorkspace, type ParsedFiles } from './fingerprints';
import { figuresByFingerprint, lensesFor, lensTitle, mapQueries, orderRows } from './map';
import { checklistMarkdown, observabilityChecklist } from './checklist';
import { statsFindings } from './findings';
import { queryJson, topText } from './report';
import type { IndexStats, StatRow, TableStats } from './types';

before(initParser);

function files(map: Record<string, string>): ParsedFiles {
  const parsed = new Map(Object.entries(map).map(([p, t]) => [p, parseSql(t)]));
  return { sqlFiles: () => [...parsed.keys()], parsed: (p) => parsed.get(p) };
}

const row = (query: string, over: Partial<StatRow> = {}): StatRow => ({
  queryid: String(over.queryid ?? query.length),
  query,
  calls: 10,
  totalMs: 30,
  meanMs: 3,
  maxMs: 9,
  rows: 10,
  sharedBlksHit: 0,
  sharedBlksRead: 0,
  tempBlksRead: 0,
  tempBlksWritten: 0,
  ...over,
});

const FUNC = `CREATE FUNCTION f(p int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  UPDATE t SET a = a + 1 WHERE id = p;
  RETURN 1;
END $$;
`;

describe('fingerprint mapping', () => {
  test('a literal-valued statement and its normalised text fingerprint alike; different statements do not', () => {
    assert.equal(
      fingerprintOf("SELECT * FROM t WHERE a = 42 AND b IN (1, 2, 3) AND c = 'x'"),
      fingerprintOf('SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) AND c = $4'),
    );
    assert.notEqual(fingerprintOf('SELECT * FROM t WHERE a = 1'), fingerprintOf('SELECT * FROM t WHERE b = 1'));
    assert.notEqual(fingerprintOf('SELECT * FROM t WHERE a = 1'), fingerprintOf('SELECT * FROM u WHERE a = 1'));
    assert.equal(fingerprintOf('<insufficient privilege>'), undefined);
    assert.equal(fingerprintOf(''), undefined);
  });

  test('rows map to the 1-based line of the statement, statements in bodies included; unknown rows map nowhere', () => {
    const ws = files({ 'q/a.sql': '-- header\n\nSELECT * FROM t\n WHERE a = 5;\nDELETE FROM t WHERE a = 1;\n', 'm/1.sql': FUNC });
    const mapped = mapQueries(
      [row('SELECT * FROM t WHERE a = $1'), row('UPDATE t SET a = a + $1 WHERE id = p', { queryid: 'b' }), row('SELECT * FROM other', { queryid: 'c' })],
      indexWorkspace(ws),
      60,
    );
    assert.deepEqual(
      mapped.map((m) => m.locations.map((l) => `${l.file}:${l.line}${l.inBody ? ' body' : ''}`)),
      [['q/a.sql:3'], ['m/1.sql:3 body'], []],
    );
    assert.equal(mapped[0].share, 0.5);
  });

  test('several workspace statements with one fingerprint are all listed, in file order', () => {
    const ws = files({ 'b.sql': 'SELECT 1 FROM t WHERE a = 2;\n', 'a.sql': '\nSELECT 1 FROM t WHERE a = 9;\n' });
    const [m] = mapQueries([row('SELECT $1 FROM t WHERE a = $2')], indexWorkspace(ws), 30);
    assert.deepEqual(
      m.locations.map((l) => `${l.file}:${l.line}`),
      ['a.sql:2', 'b.sql:1'],
    );
  });

  test('a file is fingerprinted once per parse', () => {
    const parsed = parseSql('SELECT 1;');
    assert.equal(fileStatements('x.sql', parsed), fileStatements('x.sql', parsed));
  });

  test('ordering by total, mean and calls', () => {
    const rows = [
      row('a', { queryid: 'a', totalMs: 5, meanMs: 5, calls: 1 }),
      row('b', { queryid: 'b', totalMs: 9, meanMs: 1, calls: 9 }),
      row('c', { queryid: 'c', totalMs: 7, meanMs: 7, calls: 1 }),
    ];
    assert.deepEqual(
      orderRows(rows, 'total').map((r) => r.queryid),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(
      orderRows(rows, 'mean').map((r) => r.queryid),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(
      orderRows(rows, 'calls').map((r) => r.queryid),
      ['b', 'a', 'c'],
    );
  });
});

describe('code lenses', () => {
  test('the title reads calls, mean and share of DB time', () => {
    assert.equal(
      lensTitle({ calls: 12034, totalMs: 12034 * 3.2, maxMs: 10, rows: 1, share: 0.07, queryids: ['1'] }),
      '12,034 calls · mean 3.2 ms · 7 % of DB time',
    );
    assert.equal(lensTitle({ calls: 1, totalMs: 0.04, maxMs: 0.04, rows: 1, share: 0.001, queryids: ['1'] }), '1 call · mean 0.04 ms · <1 % of DB time');
  });

  test('rows sharing a fingerprint are summed on the statement; statements without rows get no lens', () => {
    const sql = 'SELECT * FROM t WHERE a = 1;\nSELECT * FROM u;\n';
    const figures = figuresByFingerprint(
      [
        row('SELECT * FROM t WHERE a = $1', { queryid: '1', calls: 4, totalMs: 8 }),
        row('SELECT * FROM t WHERE a = $1', { queryid: '2', calls: 6, totalMs: 12 }),
      ],
      40,
    );
    const lenses = lensesFor(fileStatements('f.sql', parseSql(sql)), figures);
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].statement.line, 1);
    assert.equal(lenses[0].title, '10 calls · mean 2.0 ms · 50 % of DB time');
  });
});

const table = (over: Partial<TableStats>): TableStats => ({
  schema: 'public',
  name: 't',
  seqScan: 0,
  seqTupRead: 0,
  idxScan: 0,
  liveTuples: 0,
  deadTuples: 0,
  modsSinceAnalyze: 0,
  autovacuumThreshold: 1e9,
  ...over,
});
const index = (over: Partial<IndexStats>): IndexStats => ({
  schema: 'public',
  table: 't',
  name: 't_a_idx',
  idxScan: 0,
  sizeBytes: 8192,
  enforcesConstraint: false,
  ...over,
});

describe('statistics findings', () => {
  let ws: ParsedFiles;
  before(() => {
    ws = files({ 'm/1.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int);\n\nCREATE INDEX t_a_idx ON t (a);\nCREATE UNIQUE INDEX t_u ON t (a);\n' });
  });
  const codes = (t: Partial<TableStats>[], i: Partial<IndexStats>[]) =>
    statsFindings({ tables: t.map(table), indexes: i.map(index) }, ws).map((f) => `${f.code}@${ws.parsed(f.file)?.text.slice(f.start, f.end)}`);

  test('an index never scanned is reported on its CREATE INDEX; a scanned one, a constraint index or an index not created here is not', () => {
    assert.deepEqual(codes([], [{}]), ['index-never-scanned@CREATE INDEX t_a_idx ON t (a)']);
    assert.deepEqual(codes([], [{ idxScan: 3 }, { name: 't_u', enforcesConstraint: true }, { name: 'elsewhere_idx' }, { schema: 'other' }]), []);
  });

  test('an index a down migration re-creates is reported where the up creates it', () => {
    const two = files({ 'm/1.up.sql': 'CREATE INDEX t_a_idx ON t (a);\n', 'm/2.down.sql': 'CREATE INDEX t_a_idx ON t (a);\n' });
    const withRoles: ParsedFiles = { ...two, fileParts: (p) => [{ role: p.includes('down') ? 'migration-down' : 'migration-up' }] };
    assert.deepEqual(
      statsFindings({ tables: [], indexes: [index({})] }, withRoles).map((f) => f.file),
      ['m/1.up.sql'],
    );
  });

  test('a large table read mostly by sequential scans is reported; a small one or one read by its indexes is not', () => {
    assert.deepEqual(codes([{ liveTuples: 50_000, seqScan: 400, idxScan: 10, seqTupRead: 2e7 }], []), [
      'table-mostly-seq-scanned@CREATE TABLE t (id int PRIMARY KEY, a int)',
    ]);
    assert.deepEqual(
      codes(
        [
          { liveTuples: 500, seqScan: 400 },
          { liveTuples: 50_000, seqScan: 400, idxScan: 900 },
          { liveTuples: 50_000, seqScan: 3 },
        ],
        [],
      ),
      [],
    );
  });

  test('dead tuples past the autovacuum threshold or a fifth of the table are reported; a few are not', () => {
    const [lag] = statsFindings({ tables: [table({ liveTuples: 100_000, deadTuples: 30_000, autovacuumThreshold: 20_050 })], indexes: [] }, ws);
    assert.equal(lag.code, 'table-dead-tuples');
    assert.match(lag.message, /30,000 dead rows \(23 %.*Autovacuum is behind.*threshold of 20,050.*last vacuumed never/);
    assert.deepEqual(codes([{ liveTuples: 4_000, deadTuples: 2_000 }], []), ['table-dead-tuples@CREATE TABLE t (id int PRIMARY KEY, a int)']);
    assert.deepEqual(
      codes(
        [
          { liveTuples: 100_000, deadTuples: 900, autovacuumThreshold: 800 },
          { liveTuples: 100_000, deadTuples: 5_000, autovacuumThreshold: 20_050 },
        ],
        [],
      ),
      [],
    );
  });
});

describe('reports', () => {
  test('JSON carries file and line of the first location, null when unmapped; text says "not in this workspace"', () => {
    const ws = files({ 'a.sql': 'SELECT 1 FROM t WHERE a = 2;\n' });
    const mapped = mapQueries([row('SELECT $1 FROM t WHERE a = $2', { queryid: '7' }), row('SELECT now()', { queryid: '8' })], indexWorkspace(ws), 60);
    const json = mapped.map((m) => queryJson(m, (f) => `x/${f}`));
    assert.deepEqual(
      json.map((j) => [j.queryid, j.file, j.line]),
      [
        ['7', 'x/a.sql', 1],
        ['8', null, null],
      ],
    );
    const text = topText({ source: 'PG', totalMs: 60, notes: ['n'] }, mapped, (f) => f);
    assert.match(text, /1\. a\.sql:1\n/);
    assert.match(text, /2\. not in this workspace\n/);
    assert.match(text, /note: n/);
  });
});

describe('observability gate', () => {
  const obs = { source: 'PG', serverVersion: 150000, queries: [], totalMs: 0, tables: [], indexes: [], notes: [] };
  const done = (settings: Record<string, string>, read = true) =>
    Object.fromEntries(observabilityChecklist(settings, read ? obs : undefined).map((i) => [i.id, i.done]));

  test('each item is decided by its setting', () => {
    const all = {
      shared_preload_libraries: 'pg_stat_statements, auto_explain',
      compute_query_id: 'auto',
      log_min_duration_statement: '500ms',
      'auto_explain.log_min_duration': '1000ms',
      track_io_timing: 'on',
    };
    assert.deepEqual(done(all), { stats: true, 'query-id': true, 'slow-log': true, 'auto-explain': true, 'io-timing': true, baseline: true });
    const none = { shared_preload_libraries: '', compute_query_id: 'auto', log_min_duration_statement: '-1', track_io_timing: 'off' };
    assert.deepEqual(done(none, false), { stats: false, 'query-id': false, 'slow-log': false, 'auto-explain': false, 'io-timing': false, baseline: false });
  });

  test('before PostgreSQL 14 there is no compute_query_id: pg_stat_statements computes its own ids', () => {
    assert.equal(done({ shared_preload_libraries: 'pg_stat_statements' })['query-id'], true);
    assert.equal(done({ shared_preload_libraries: 'pg_stat_statements', compute_query_id: 'off' })['query-id'], false);
  });

  test('auto_explain loaded but logging nothing (-1) does not count', () => {
    assert.equal(done({ session_preload_libraries: 'auto_explain', 'auto_explain.log_min_duration': '-1' })['auto-explain'], false);
    assert.match(checklistMarkdown(observabilityChecklist({}, undefined), 'PG'), /- \[ \] Query statistics exposed/);
  });
});
