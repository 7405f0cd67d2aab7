// Number formatting and the per-node line shared by the hover preview and the CLI text rendering.
import { nodeLabel, type Plan, type PlanNode } from './plan';

export function fmtNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtCost(n: number): string {
  return n.toFixed(2);
}

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** `Seq Scan on t  (cost=0.00..25.88 rows=6) (actual time=0.010..0.120 rows=1 loops=1)`, as in PostgreSQL's text format. */
export function nodeLine(n: PlanNode): string {
  let line = `${nodeLabel(n)}  (cost=${fmtCost(n.startupCost)}..${fmtCost(n.totalCost)} rows=${fmtNumber(n.planRows)})`;
  if (n.actual) {
    line +=
      n.actual.loops === 0
        ? ' (never executed)'
        : ` (actual time=${n.actual.startupTime.toFixed(3)}..${n.actual.totalTime.toFixed(3)} rows=${fmtNumber(n.actual.rows)} loops=${n.actual.loops})`;
  }
  return line;
}

/** The node's conditions and notable details, one `Label: value` per line. */
export function nodeDetails(n: PlanNode): string[] {
  const out: string[] = [];
  const add = (label: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') out.push(`${label}: ${v}`);
  };
  add('Index Cond', n.indexCond);
  add('Recheck Cond', n.recheckCond);
  add('Hash Cond', n.hashCond);
  add('Merge Cond', n.mergeCond);
  add('Join Filter', n.joinFilter);
  add('Rows Removed by Join Filter', n.rowsRemovedByJoinFilter);
  add('Filter', n.filter);
  add('Rows Removed by Filter', n.rowsRemovedByFilter);
  add('Sort Key', n.sortKey?.join(', '));
  if (n.sortMethod) add('Sort Method', `${n.sortMethod}${n.sortSpaceType ? `  ${n.sortSpaceType}: ${n.sortSpaceUsedKb ?? 0}kB` : ''}`);
  if (n.hashBatches !== undefined) add('Batches', n.hashBatches);
  if (n.diskUsageKb) add('Disk Usage', `${n.diskUsageKb}kB`);
  return out;
}

/** Visits the nodes depth-first with their depth (sub-plans and init-plans included, as children). */
export function eachNode(plan: Plan, visit: (n: PlanNode, depth: number) => void): void {
  const go = (n: PlanNode, depth: number) => {
    visit(n, depth);
    for (const c of n.children) go(c, depth + 1);
  };
  go(plan.root, 0);
}
