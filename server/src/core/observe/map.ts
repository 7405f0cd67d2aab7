// Maps pg_stat_statements rows to workspace statements by fingerprint, and sums them per fingerprint for code lenses.
import { fingerprintOf, type FingerprintedStatement } from './fingerprints';
import type { MappedQuery, StatRow, StatementLocation } from './types';

export type OrderBy = 'total' | 'mean' | 'calls';

const KEY: Record<OrderBy, (r: StatRow) => number> = { total: (r) => r.totalMs, mean: (r) => r.meanMs, calls: (r) => r.calls };

/** Rows ordered for `pgdba top` (largest first; ties by queryid so the output is stable). */
export function orderRows(rows: readonly StatRow[], by: OrderBy): StatRow[] {
  const key = KEY[by];
  return [...rows].sort((a, b) => key(b) - key(a) || a.queryid.localeCompare(b.queryid));
}

/**
 * fingerprintOf with a memo: rows of several roles or search_paths often share a text, and a caller that refreshes
 * (the language server) passes the same memo each time so only new texts are fingerprinted.
 */
export function fingerprinter(memo = new Map<string, string | undefined>()): (sql: string) => string | undefined {
  return (sql) => {
    if (!memo.has(sql)) memo.set(sql, fingerprintOf(sql));
    return memo.get(sql);
  };
}

/** Each row with the workspace statements that have its fingerprint; `totalMs` is the database's total (for `share`). */
export function mapQueries(
  rows: readonly StatRow[],
  index: ReadonlyMap<string, StatementLocation[]>,
  totalMs: number,
  fingerprint = fingerprinter(),
): MappedQuery[] {
  return rows.map((r) => {
    const fp = fingerprint(r.query);
    return { ...r, locations: (fp && index.get(fp)) || [], share: totalMs > 0 ? r.totalMs / totalMs : 0 };
  });
}

/** pg_stat_statements figures summed over the rows (several queryids can share a fingerprint: users, search_path, top-level or not). */
export interface QueryFigures {
  calls: number;
  totalMs: number;
  maxMs: number;
  rows: number;
  share: number;
  queryids: string[];
}

/** The rows summed by fingerprint: what a code lens on a statement with that fingerprint shows. */
export function figuresByFingerprint(rows: readonly StatRow[], totalMs: number, fingerprint = fingerprinter()): Map<string, QueryFigures> {
  const out = new Map<string, QueryFigures>();
  for (const r of rows) {
    const fp = fingerprint(r.query);
    if (!fp) continue;
    const f = out.get(fp) ?? { calls: 0, totalMs: 0, maxMs: 0, rows: 0, share: 0, queryids: [] };
    f.calls += r.calls;
    f.totalMs += r.totalMs;
    f.maxMs = Math.max(f.maxMs, r.maxMs);
    f.rows += r.rows;
    f.share = totalMs > 0 ? f.totalMs / totalMs : 0;
    f.queryids.push(r.queryid);
    out.set(fp, f);
  }
  return out;
}

/** A code lens: where, and the figures of the statement there. */
export interface QueryLens {
  statement: FingerprintedStatement;
  figures: QueryFigures;
  title: string;
}

/** Lenses for one file's statements; O(statements), the figures are looked up by fingerprint. */
export function lensesFor(statements: readonly FingerprintedStatement[], figures: ReadonlyMap<string, QueryFigures>): QueryLens[] {
  const out: QueryLens[] = [];
  for (const s of statements) {
    const f = figures.get(s.fingerprint);
    if (f) out.push({ statement: s, figures: f, title: lensTitle(f) });
  }
  return out;
}

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Milliseconds the way people read them: 3.2 ms, 0.04 ms, 1,204 ms. */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${INT.format(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toPrecision(1)} ms`;
}

export function formatCount(n: number): string {
  return INT.format(n);
}

/** `7 %`, `<1 %`, `0 %`. */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0 %';
  if (pct < 1) return '<1 %';
  return `${Math.round(pct)} %`;
}

/** "12,034 calls · mean 3.2 ms · 7 % of DB time". */
export function lensTitle(f: QueryFigures): string {
  const mean = f.calls > 0 ? f.totalMs / f.calls : 0;
  return `${formatCount(f.calls)} call${f.calls === 1 ? '' : 's'} · mean ${formatMs(mean)} · ${formatShare(f.share)} of DB time`;
}
