// pg_stat_statements mapping at scale: 5,000 synthetic rows against a generated 2,000-file workspace (pure mapper), and code lens computation.
import { defaultConfig } from '../server/src/core/config';
import { memoryWorkspaceFiles } from '../server/src/core/migrations/memory-files';
import { fileStatements, indexWorkspace } from '../server/src/core/observe/fingerprints';
import { figuresByFingerprint, fingerprinter, lensesFor, mapQueries, orderRows } from '../server/src/core/observe/map';
import type { StatRow } from '../server/src/core/observe/types';
import { initParser } from '../server/src/core/parse/parse';
import { Workspace } from '../server/src/core/workspace/workspace';
import { median } from './stats';

export interface ObserveBench {
  files: number;
  statements: number;
  rows: number;
  mapped: number;
  /** Fingerprint every statement of the parsed workspace and map every row: the pure mapper's work (target ≤ 2 s). */
  mapMs: number;
  /** The same plus parsing the 2,000 files (what one `pgdba top` run does after the fetch). */
  withParseMs: number;
  /** The same with the files already parsed and fingerprinted (the language server after the first refresh). */
  warmMs: number;
  /** A refresh once the data is fetched: sum the rows by fingerprint (texts seen before are not fingerprinted again) and compute the lenses of a 250-statement file. */
  lensMs: number;
  /**
   * The same on the first refresh, when every row's text is new: all the language server does between the rows arriving
   * and the lenses (it fingerprints the workspace's statements while the rows are read, not after).
   */
  lensFirstMs: number;
  /** After the lenses: the Top queries view (top 50 rows mapped to the workspace index, row fingerprints memoised). */
  viewMs: number;
}

const STATEMENTS_PER_FILE = 10;

/** Statement i of the workspace, with literal values (`lit`) or with pg_stat_statements' placeholders. */
function statement(i: number, lit: boolean): string {
  const t = `t${i % 97}`;
  const v = (n: number, s: string) => (lit ? s : `$${n}`);
  switch (i % 5) {
    case 0:
      return `SELECT id, c${i} FROM ${t} WHERE tenant_id = ${v(1, String(i))} AND status = ${v(2, "'open'")} ORDER BY id LIMIT ${v(3, '20')}`;
    case 1:
      return `UPDATE ${t} SET c${i} = c${i} + ${v(1, '1')} WHERE id IN (${lit ? '1, 2, 3' : '$2, $3, $4'})`;
    case 2:
      return `INSERT INTO ${t} (id, c${i}) VALUES (${v(1, '1')}, ${v(2, "'x'")})`;
    case 3:
      return `SELECT count(*) FROM ${t} a JOIN t${(i + 1) % 97} b ON b.a_id = a.id WHERE a.c${i} > ${v(1, '10')}`;
    default:
      return `DELETE FROM ${t} WHERE c${i} < now() - ${v(1, "interval '1 day'")}`;
  }
}

export function generateWorkspace(files: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let f = 0; f < files; f++) {
    const lines = [`-- generated file ${f}`];
    for (let s = 0; s < STATEMENTS_PER_FILE; s++) lines.push(`${statement(f * STATEMENTS_PER_FILE + s, true)};`, '');
    out[`queries/${String(f).padStart(4, '0')}.sql`] = lines.join('\n');
  }
  return out;
}

/** `n` rows: four in five are workspace statements (normalised), the rest statements of other programs. */
export function generateRows(n: number, statements: number): StatRow[] {
  const rows: StatRow[] = [];
  for (let i = 0; i < n; i++) {
    const own = i % 5 !== 4;
    const query = own ? statement((i * 7919) % statements, false) : `SELECT x${i} FROM other_app_${i} WHERE k = $1`;
    const calls = 1 + ((i * 31) % 5000);
    const totalMs = calls * (0.1 + (i % 13));
    rows.push({
      queryid: String(1e12 + i),
      query,
      calls,
      totalMs,
      meanMs: totalMs / calls,
      maxMs: 20,
      rows: calls,
      sharedBlksHit: calls * 3,
      sharedBlksRead: i % 7,
      tempBlksRead: 0,
      tempBlksWritten: 0,
    });
  }
  return rows;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export function benchObserve(runs = 5, files = 2000, rowCount = 5000): ObserveBench {
  const texts = generateWorkspace(files);
  const rows = generateRows(rowCount, files * STATEMENTS_PER_FILE);
  const totalMs = rows.reduce((s, r) => s + r.totalMs, 0);
  const cold: number[] = [];
  const withParse: number[] = [];
  const warm: number[] = [];
  const lens: number[] = [];
  const lensFirst: number[] = [];
  const view: number[] = [];
  let mapped = 0;
  const bigFile = Array.from({ length: 250 }, (_, i) => `${statement(i * 3, true)};`).join('\n');
  for (let r = 0; r < runs; r++) {
    const fresh = new Workspace({ files: memoryWorkspaceFiles(texts), configFor: () => defaultConfig() });
    withParse.push(time(() => void mapQueries(orderRows(rows, 'total'), indexWorkspace(fresh), totalMs)));
    const ws = new Workspace({ files: memoryWorkspaceFiles(texts), configFor: () => defaultConfig() });
    for (const f of ws.sqlFiles()) ws.parsed(f);
    cold.push(time(() => void mapQueries(orderRows(rows, 'total'), indexWorkspace(ws), totalMs)));
    warm.push(time(() => (mapped = mapQueries(orderRows(rows, 'total'), indexWorkspace(ws), totalMs).filter((q) => q.locations.length).length)));
    const big = new Workspace({ files: memoryWorkspaceFiles({ 'big.sql': bigFile }), configFor: () => defaultConfig() });
    const parsed = big.parsed('big.sql');
    if (!parsed) throw new Error('big.sql did not parse');
    fileStatements('big.sql', parsed); // the open document's statements are fingerprinted with its parse, before any refresh
    const memo = fingerprinter();
    lensFirst.push(time(() => void lensesFor(fileStatements('big.sql', parsed), figuresByFingerprint(rows, totalMs, memo))));
    view.push(time(() => void mapQueries(orderRows(rows, 'total').slice(0, 50), indexWorkspace(ws), totalMs, memo)));
    // The next refresh: the same statements, new figures (pg_stat_statements keeps counting).
    const next = rows.map((q) => ({ ...q, calls: q.calls + 1, totalMs: q.totalMs + 1 }));
    lens.push(time(() => void lensesFor(fileStatements('big.sql', parsed), figuresByFingerprint(next, totalMs + next.length, memo))));
  }
  return {
    files,
    statements: files * STATEMENTS_PER_FILE,
    rows: rowCount,
    mapped,
    mapMs: median(cold),
    withParseMs: median(withParse),
    warmMs: median(warm),
    lensMs: median(lens),
    lensFirstMs: median(lensFirst),
    viewMs: median(view),
  };
}

if (require.main === module) {
  void initParser().then(() => console.log(JSON.stringify(benchObserve(Number(process.argv[2] ?? 5)), null, 2)));
}
