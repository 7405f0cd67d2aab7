// Information findings from the database's table and index statistics, placed on the workspace's CREATE INDEX / CREATE TABLE.
import { as } from '../parse/ast';
import type { ParsedSql } from '../parse/parse';
import type { ParsedFiles } from './fingerprints';
import { formatCount } from './map';
import type { IndexStats, Observation, TableStats } from './types';

export type StatsFindingCode = 'index-never-scanned' | 'table-mostly-seq-scanned' | 'table-dead-tuples';

export interface StatsFinding {
  code: StatsFindingCode;
  /** Workspace-relative path of the CREATE statement. */
  file: string;
  start: number;
  end: number;
  message: string;
}

/** A table this small is read faster by a sequential scan than through an index: no finding below it. */
export const SEQ_SCAN_MIN_ROWS = 10_000;
/** Fewer scans than this say nothing about how the table is read. */
export const SEQ_SCAN_MIN_SCANS = 50;
/** Dead tuples worth a word: at least this many, and at least DEAD_MIN_RATIO of the table. */
export const DEAD_MIN_TUPLES = 1_000;
export const DEAD_MIN_RATIO = 0.2;

interface Created {
  file: string;
  start: number;
  end: number;
}

/** The first line of a statement: where the finding is drawn. */
function headRange(parsed: ParsedSql, start: number, end: number): { start: number; end: number } {
  const nl = parsed.text.indexOf('\n', start);
  return { start, end: nl < 0 || nl > end ? end : nl };
}

/** Down and verify parts re-create objects only to undo a change: the object lives where an up or plain file creates it. */
const UNDOING = new Set(['migration-down', 'migration-verify']);

/** CREATE TABLE and CREATE INDEX statements by `schema.name` and bare name (the last one in catalog order wins: it made the object). */
function createdObjects(files: ParsedFiles): { tables: Map<string, Created>; indexes: Map<string, Created> } {
  const tables = new Map<string, Created>();
  const indexes = new Map<string, Created>();
  const put = (map: Map<string, Created>, schema: string | undefined, name: string, at: Created) => {
    map.set(name, at);
    map.set(`${schema ?? 'public'}.${name}`, at);
  };
  for (const file of files.sqlFiles()) {
    const parts = files.fileParts?.(file);
    if (parts?.length && parts.every((p) => UNDOING.has(p.role))) continue;
    const parsed = files.parsed(file);
    for (const stmt of parsed?.statements ?? []) {
      const table = as<{ relation?: { relname?: string; schemaname?: string } }>(stmt.node, 'CreateStmt');
      const index = as<{ idxname?: string; relation?: { schemaname?: string } }>(stmt.node, 'IndexStmt');
      const at = { file, ...headRange(parsed as ParsedSql, stmt.start, stmt.end) };
      if (table?.relation?.relname) put(tables, table.relation.schemaname, table.relation.relname, at);
      if (index?.idxname) put(indexes, index.relation?.schemaname, index.idxname, at);
    }
  }
  return { tables, indexes };
}

function find(map: Map<string, Created>, schema: string, name: string): Created | undefined {
  return map.get(`${schema}.${name}`) ?? (schema === 'public' ? map.get(name) : undefined);
}

function indexFinding(i: IndexStats, since: string): string | undefined {
  // Primary keys and unique or exclusion indexes enforce a constraint: never scanned does not mean unused.
  if (i.idxScan > 0 || i.enforcesConstraint) return undefined;
  return `Index ${i.name} on ${i.table} has not been scanned ${since} (${formatBytes(i.sizeBytes)}). If the statistics cover normal traffic, it costs every write on ${i.table} and helps no read: consider dropping it (DROP INDEX CONCURRENTLY).`;
}

function seqScanFinding(t: TableStats): string | undefined {
  const scans = t.seqScan + t.idxScan;
  if (t.liveTuples < SEQ_SCAN_MIN_ROWS || t.seqScan < SEQ_SCAN_MIN_SCANS || t.seqScan <= t.idxScan) return undefined;
  const pct = Math.round((t.seqScan / scans) * 100);
  return `Table ${t.name} (${formatCount(t.liveTuples)} rows) is read mostly by sequential scans: ${formatCount(t.seqScan)} of ${formatCount(scans)} scans (${pct} %), ${formatCount(t.seqTupRead)} rows read by them. Find the queries behind them in "pgdba: Top queries" and index their filters.`;
}

function deadTupleFinding(t: TableStats): string | undefined {
  const total = t.liveTuples + t.deadTuples;
  const ratio = total > 0 ? t.deadTuples / total : 0;
  const lagging = t.deadTuples > t.autovacuumThreshold && t.deadTuples >= DEAD_MIN_TUPLES;
  if (!lagging && !(t.deadTuples >= DEAD_MIN_TUPLES && ratio >= DEAD_MIN_RATIO)) return undefined;
  const last = t.lastAutovacuum ?? t.lastVacuum;
  const lag = lagging
    ? ` Autovacuum is behind: the table is past its threshold of ${formatCount(Math.round(t.autovacuumThreshold))} dead rows; last vacuumed ${last ? last : 'never'}.`
    : '';
  return `Table ${t.name} holds ${formatCount(t.deadTuples)} dead rows (${Math.round(ratio * 100)} % of the table).${lag} Check for long-running transactions and the table's autovacuum settings.`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** The findings for statements of this workspace; objects the workspace does not create are left out. */
export function statsFindings(obs: Pick<Observation, 'tables' | 'indexes' | 'statsReset'>, files: ParsedFiles): StatsFinding[] {
  const created = createdObjects(files);
  const since = obs.statsReset ? `since the statistics were reset (${obs.statsReset})` : 'since the statistics were last reset';
  const out: StatsFinding[] = [];
  for (const i of obs.indexes) {
    const at = find(created.indexes, i.schema, i.name);
    const message = at && indexFinding(i, since);
    if (at && message) out.push({ code: 'index-never-scanned', ...at, message });
  }
  for (const t of obs.tables) {
    const at = find(created.tables, t.schema, t.name);
    if (!at) continue;
    const seq = seqScanFinding(t);
    if (seq) out.push({ code: 'table-mostly-seq-scanned', ...at, message: seq });
    const dead = deadTupleFinding(t);
    if (dead) out.push({ code: 'table-dead-tuples', ...at, message: dead });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start || a.code.localeCompare(b.code));
}
