// `pgdba top` and the observability snapshot as text, JSON and Markdown (pure: the CLI and the package filler print these).
import { LineIndex } from '../parse/lines';
import type { StatsFinding } from './findings';
import type { ParsedFiles } from './fingerprints';
import { formatCount, formatMs, formatShare } from './map';
import type { MappedQuery, Observation } from './types';

/** A statistics finding placed by file and 1-based line, for the CLI. */
export interface FindingJson {
  file: string;
  line: number;
  code: string;
  message: string;
}

export function findingsJson(findings: readonly StatsFinding[], files: ParsedFiles, rel: (file: string) => string): FindingJson[] {
  const lines = new Map<string, LineIndex>();
  return findings.map((f) => {
    let index = lines.get(f.file);
    if (!index) lines.set(f.file, (index = new LineIndex(files.parsed(f.file)?.text ?? '')));
    return { file: rel(f.file), line: index.position(f.start).line + 1, code: f.code, message: f.message };
  });
}

/** The findings after the statements in the text report. */
export function findingsText(findings: readonly FindingJson[]): string {
  if (!findings.length) return '';
  return ['', 'From table and index statistics:', ...findings.map((f) => `  ${f.file}:${f.line}: ${f.message} [${f.code}]`)].join('\n') + '\n';
}

/** One query of the JSON report; `file` is relative to the path the user gave, null when no workspace statement matches. */
export interface TopQueryJson {
  queryid: string;
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  file: string | null;
  line: number | null;
  max_ms: number;
  shared_blks_hit: number;
  shared_blks_read: number;
  temp_blks_read: number;
  temp_blks_written: number;
  share: number;
  /** Every workspace statement with the fingerprint (the first is `file`/`line`). */
  locations: { file: string; line: number }[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function queryJson(q: MappedQuery, rel: (file: string) => string): TopQueryJson {
  const first = q.locations[0];
  return {
    queryid: q.queryid,
    query: q.query,
    calls: q.calls,
    total_ms: round(q.totalMs),
    mean_ms: round(q.meanMs),
    rows: q.rows,
    file: first ? rel(first.file) : null,
    line: first ? first.line : null,
    max_ms: round(q.maxMs),
    shared_blks_hit: q.sharedBlksHit,
    shared_blks_read: q.sharedBlksRead,
    temp_blks_read: q.tempBlksRead,
    temp_blks_written: q.tempBlksWritten,
    share: round(q.share),
    locations: q.locations.map((l) => ({ file: rel(l.file), line: l.line })),
  };
}

/** A statement on one line, cut to `max` characters. */
export function oneLine(sql: string, max = 80): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function whereText(q: MappedQuery, rel: (file: string) => string): string {
  if (!q.query) return 'query text hidden';
  const first = q.locations[0];
  if (!first) return 'not in this workspace';
  const more = q.locations.length > 1 ? ` (+${q.locations.length - 1} more)` : '';
  return `${rel(first.file)}:${first.line}${more}`;
}

/** The text report: a header, one block per query, then the notes. */
export function topText(obs: Pick<Observation, 'source' | 'totalMs' | 'notes'>, queries: MappedQuery[], rel: (file: string) => string): string {
  const lines = [`Top ${queries.length} statements on ${obs.source} (total ${formatMs(obs.totalMs)} of execution time)`, ''];
  queries.forEach((q, i) => {
    lines.push(`${i + 1}. ${whereText(q, rel)}`);
    lines.push(`   ${oneLine(q.query || '<query text hidden>', 100)}`);
    lines.push(
      `   calls ${formatCount(q.calls)} · total ${formatMs(q.totalMs)} (${formatShare(q.share)}) · mean ${formatMs(q.meanMs)} · max ${formatMs(q.maxMs)} · rows ${formatCount(q.rows)}`,
    );
    lines.push(
      `   shared blocks hit ${formatCount(q.sharedBlksHit)} / read ${formatCount(q.sharedBlksRead)} · temp blocks read ${formatCount(q.tempBlksRead)} / written ${formatCount(q.tempBlksWritten)}`,
    );
  });
  if (queries.length === 0) lines.push('pg_stat_statements has no statements for this database yet.');
  for (const n of obs.notes) lines.push('', `note: ${n}`);
  return lines.join('\n') + '\n';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");

/** The Markdown snapshot for a DBA package's observability folder. */
export function topMarkdown(obs: Observation, queries: MappedQuery[], rel: (file: string) => string, takenAt: string): string {
  const out = [
    '# Top statements (pg_stat_statements)',
    '',
    `Taken ${takenAt} on ${obs.source}; statistics ${obs.statsReset ? `since ${obs.statsReset}` : 'since the last reset'}; total execution time ${formatMs(obs.totalMs)}.`,
    '',
    '| # | where | statement | calls | total | mean | max | rows | share |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  queries.forEach((q, i) => {
    out.push(
      `| ${i + 1} | ${cell(whereText(q, rel))} | \`${cell(oneLine(q.query || '<hidden>', 70))}\` | ${formatCount(q.calls)} | ${formatMs(q.totalMs)} | ${formatMs(q.meanMs)} | ${formatMs(q.maxMs)} | ${formatCount(q.rows)} | ${formatShare(q.share)} |`,
    );
  });
  for (const n of obs.notes) out.push('', `> ${n}`);
  return out.join('\n') + '\n';
}
