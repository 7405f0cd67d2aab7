// Plan findings: hazards read from a plan (selective seq scans, misestimates, spills, nested loops over many rows), each naming the table and, where obvious, the index.
import { equalityPairs, indexableColumns, sortColumns, type ColumnPair, type ColumnRef } from './conditions';
import { nearestRelation, relationName, totalRows, type Plan, type PlanNode } from './plan';

export type PlanFindingKind = 'seq-scan-selective' | 'misestimate' | 'spill' | 'nested-loop-large-outer';

export interface SuggestedIndex {
  table: string;
  columns: string[];
  sql: string;
}

export interface PlanFinding {
  kind: PlanFindingKind;
  nodeId: number;
  table?: string;
  /** An index that would obviously help; absent when none is obvious or one already covers the columns. */
  index?: SuggestedIndex;
  /** An existing index on the same leading column that the planner did not use. */
  unusedIndex?: string;
  /** Numbers for the message. */
  data: Record<string, number | string>;
  /** Share of the plan's time (analysed) or cost spent in this node and below, 0…1; findings are sorted by it. */
  share: number;
}

/** What the database knows about a table (pg_class.reltuples and its indexes), keyed by `name` and `schema.name`. */
export interface TableStats {
  /** Undefined when the table was never analysed. */
  rows?: number;
  indexes?: { name: string; columns: string[] }[];
}
export type PlanStats = Record<string, TableStats>;

export interface FindingThresholds {
  /** A table with at least this many rows is large. */
  largeTableRows: number;
  /** A filter keeping at most this fraction of the rows it reads is selective. */
  selectiveFraction: number;
  /** Estimate vs actual rows off by this factor or more. */
  misestimateFactor: number;
  /** …and the larger of the two at least this many rows (a 1-vs-12 miss is noise). */
  misestimateMinRows: number;
  /** A nested loop whose outer side yields at least this many rows. */
  largeOuterRows: number;
}

export const DEFAULT_THRESHOLDS: FindingThresholds = {
  largeTableRows: 10_000,
  selectiveFraction: 0.1,
  misestimateFactor: 10,
  misestimateMinRows: 100,
  largeOuterRows: 10_000,
};

const INDEXED_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan', 'Memoize']);

function statsFor(n: PlanNode, stats: PlanStats): TableStats | undefined {
  const full = relationName(n);
  return (full ? stats[full] : undefined) ?? (n.relation ? stats[n.relation] : undefined);
}

function share(plan: Plan, n: PlanNode): number {
  if (plan.analyzed && n.actual && plan.root.actual && plan.root.actual.totalTime > 0) {
    return Math.min(1, (n.actual.totalTime * n.actual.loops) / plan.root.actual.totalTime);
  }
  return plan.root.totalCost > 0 ? Math.min(1, n.totalCost / plan.root.totalCost) : 0;
}

/** An index on `columns` unless the table already has one led by the first of them. */
function suggest(table: string, columns: string[], existing: TableStats | undefined): { index?: SuggestedIndex; unusedIndex?: string } {
  if (!columns.length) return {};
  const have = existing?.indexes?.find((i) => i.columns[0] === columns[0]);
  if (have) return { unusedIndex: have.name };
  const quoted = columns.map((c) => (/^[a-z_][a-z0-9_]*$/.test(c) ? c : `"${c.replace(/"/g, '""')}"`));
  return { index: { table, columns, sql: `CREATE INDEX CONCURRENTLY ON ${table} (${quoted.join(', ')});` } };
}

const names = (refs: ColumnRef[]) => refs.map((r) => r.column);

function seqScan(plan: Plan, n: PlanNode, stats: PlanStats, t: FindingThresholds): PlanFinding | undefined {
  if (n.nodeType !== 'Seq Scan' || !n.filter || !n.relation) return undefined;
  const st = statsFor(n, stats);
  // Rows read per loop: exact when analysed (kept + removed by the filter), else the table's size from the statistics.
  const scanned = n.actual && n.rowsRemovedByFilter !== undefined ? n.actual.rows + n.rowsRemovedByFilter : st?.rows;
  const kept = n.actual ? n.actual.rows : n.planRows;
  if (scanned === undefined || scanned < t.largeTableRows || kept > scanned * t.selectiveFraction) return undefined;
  const table = relationName(n) as string;
  const cols = indexableColumns(n.filter);
  const s = cols ? suggest(table, [...names(cols.equality), ...names(cols.range)], st) : {};
  return {
    kind: 'seq-scan-selective',
    nodeId: n.id,
    table,
    ...s,
    data: { scanned: Math.round(scanned), kept: Math.round(kept), filter: n.filter },
    share: share(plan, n),
  };
}

function misestimate(plan: Plan, n: PlanNode, t: FindingThresholds): PlanFinding | undefined {
  if (!n.actual || n.actual.loops === 0) return undefined;
  const est = n.planRows;
  const act = n.actual.rows;
  const factor = Math.max(est, act) / Math.max(1, Math.min(est, act));
  if (factor < t.misestimateFactor || Math.max(est, act) < t.misestimateMinRows) return undefined;
  const rel = nearestRelation(n);
  const table = rel && relationName(rel);
  return {
    kind: 'misestimate',
    nodeId: n.id,
    table,
    data: { estimated: Math.round(est), actual: Math.round(act), factor: Math.round(factor), direction: act > est ? 'under' : 'over' },
    share: share(plan, n),
  };
}

function spill(plan: Plan, n: PlanNode, stats: PlanStats): PlanFinding | undefined {
  let what: string | undefined;
  let kb = 0;
  if (n.nodeType === 'Sort' && (n.sortSpaceType === 'Disk' || /external/i.test(n.sortMethod ?? ''))) {
    what = 'sort';
    kb = n.sortSpaceUsedKb ?? 0;
  } else if (n.nodeType === 'Hash' && Math.max(n.hashBatches ?? 1, n.originalHashBatches ?? 1) > 1) {
    what = 'hash';
  } else if (n.nodeType === 'Aggregate' && ((n.diskUsageKb ?? 0) > 0 || (n.hashAggBatches ?? 1) > 1)) {
    what = 'hash aggregate';
    kb = n.diskUsageKb ?? 0;
  }
  if (!what) return undefined;
  const rel = nearestRelation(n);
  const table = rel && relationName(rel);
  let s: { index?: SuggestedIndex; unusedIndex?: string } = {};
  // A sort straight over one table's scan could read an index in order instead.
  const cols = what === 'sort' ? sortColumns(n.sortKey) : undefined;
  if (cols && table && rel && n.children[0] === rel) s = suggest(table, names(cols), statsFor(rel, stats));
  return { kind: 'spill', nodeId: n.id, table, ...s, data: { what, kb, batches: n.hashBatches ?? n.hashAggBatches ?? 0 }, share: share(plan, n) };
}

/** Columns of the inner table that the loop compares with the outer side: what an index on the inner table should lead with. */
function innerJoinColumns(inner: PlanNode, loop: PlanNode): string[] {
  const cols: string[] = [];
  const take = (pairs: ColumnPair[], unqualifiedIsInner: boolean) => {
    const isInner = (r: ColumnRef) => (r.qualifier ? r.qualifier === inner.alias || r.qualifier === inner.relation : unqualifiedIsInner);
    for (const [a, b] of pairs) {
      const mine = isInner(a) && !isInner(b) ? a : isInner(b) && !isInner(a) ? b : undefined;
      if (mine && !cols.includes(mine.column)) cols.push(mine.column);
    }
  };
  take(equalityPairs(loop.joinFilter), false);
  take(equalityPairs(inner.filter), true);
  return cols;
}

function nestedLoop(plan: Plan, n: PlanNode, stats: PlanStats, t: FindingThresholds): PlanFinding | undefined {
  if (n.nodeType !== 'Nested Loop' || n.children.length < 2) return undefined;
  const [outer, inner] = n.children;
  const outerRows = totalRows(outer);
  if (outerRows < t.largeOuterRows) return undefined;
  const innerIndexed = INDEXED_SCANS.has(inner.nodeType);
  // An index lookup per outer row is what a nested loop is for; only a very large outer side is a hazard then.
  if (innerIndexed && outerRows < t.largeOuterRows * 10) return undefined;
  const innerRel = nearestRelation(inner);
  const table = innerRel && relationName(innerRel);
  const s = !innerIndexed && innerRel && table ? suggest(table, innerJoinColumns(innerRel, n), statsFor(innerRel, stats)) : {};
  return {
    kind: 'nested-loop-large-outer',
    nodeId: n.id,
    table,
    ...s,
    data: { outerRows: Math.round(outerRows), inner: inner.nodeType },
    share: share(plan, n),
  };
}

/** Every hazard in the plan, worst (largest share of time or cost) first. Pure; stats come from the engine when it has them. */
export function planFindings(plan: Plan, stats: PlanStats = {}, thresholds: Partial<FindingThresholds> = {}): PlanFinding[] {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const out: PlanFinding[] = [];
  for (const n of plan.nodes) {
    for (const f of [seqScan(plan, n, stats, t), misestimate(plan, n, t), spill(plan, n, stats), nestedLoop(plan, n, stats, t)]) {
      if (f) out.push(f);
    }
  }
  return out.sort((a, b) => b.share - a.share || a.nodeId - b.nodeId);
}

const fmt = (n: number | string) => (typeof n === 'number' ? n.toLocaleString('en-US') : n);

/** One sentence naming the hazard and the table. */
export function findingMessage(f: PlanFinding): string {
  const d = f.data;
  const on = f.table ? ` on ${f.table}` : '';
  switch (f.kind) {
    case 'seq-scan-selective':
      return `Sequential scan${on} reads ${fmt(d.scanned)} rows to keep ${fmt(d.kept)} (Filter: ${d.filter}).`;
    case 'misestimate':
      return `Row estimate off by ${fmt(d.factor)}×${on}: planned ${fmt(d.estimated)} rows, got ${fmt(d.actual)}.`;
    case 'spill':
      return `The ${d.what}${on} spilled to disk${d.kb ? ` (${fmt(d.kb)} kB)` : d.batches ? ` (${d.batches} batches)` : ''}.`;
    case 'nested-loop-large-outer':
      return `Nested loop runs its inner side (${d.inner}${on}) once for each of ${fmt(d.outerRows)} outer rows.`;
  }
}

/** What to do about it, as one imperative sentence. */
export function findingHelp(f: PlanFinding): string {
  if (f.index) return `Add an index: ${f.index.sql}`;
  if (f.unusedIndex) return `Index ${f.unusedIndex} exists but was not used: check the statistics (ANALYZE ${f.table}) and the filter's selectivity.`;
  switch (f.kind) {
    case 'seq-scan-selective':
      return 'Add an index on the filtered columns.';
    case 'misestimate':
      return `Refresh the statistics (ANALYZE${f.table ? ` ${f.table}` : ''}) or add extended statistics for correlated columns.`;
    case 'spill':
      return 'Raise work_mem for this query, or reduce the rows before this step.';
    case 'nested-loop-large-outer':
      return 'Index the inner side on the join columns, or check the outer estimate so the planner can choose a hash join.';
  }
}
