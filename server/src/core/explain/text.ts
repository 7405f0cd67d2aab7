// The plain-text plan rendering for the CLI: PostgreSQL-style tree with conditions, timings and the findings.
import { findingHelp, findingMessage, type PlanFinding } from './findings';
import { eachNode, fmtMs, nodeDetails, nodeLine } from './format';
import type { Plan } from './plan';

export interface TextOptions {
  source?: string;
  generic?: 'none' | 'generic-plan' | 'prepared';
}

export function planText(plan: Plan, findings: readonly PlanFinding[], opts: TextOptions = {}): string {
  const out: string[] = [];
  eachNode(plan, (n, depth) => {
    const pad = depth === 0 ? '' : ' '.repeat(6 * (depth - 1) + 2) + '->  ';
    out.push(pad + nodeLine(n));
    const detailPad = ' '.repeat(depth === 0 ? 2 : 6 * depth + 2);
    for (const d of nodeDetails(n)) out.push(detailPad + d);
  });
  if (plan.planningTimeMs !== undefined) out.push(`Planning Time: ${fmtMs(plan.planningTimeMs)}`);
  for (const t of plan.triggers) out.push(`Trigger ${t.name}${t.relation ? ` on ${t.relation}` : ''}: time=${fmtMs(t.timeMs)} calls=${t.calls}`);
  if (plan.executionTimeMs !== undefined) out.push(`Execution Time: ${fmtMs(plan.executionTimeMs)}`);

  const notes: string[] = [];
  if (opts.source) notes.push(`Planned on ${opts.source}.`);
  if (plan.analyzed) notes.push('Analysed inside a transaction that was rolled back: no data was changed.');
  if (opts.generic === 'generic-plan') notes.push('Generic plan (EXPLAIN GENERIC_PLAN): $n parameters were left unbound.');
  if (opts.generic === 'prepared') notes.push('Generic plan via PREPARE + EXPLAIN EXECUTE with NULL parameters (plan_cache_mode = force_generic_plan).');
  if (notes.length) out.push('', ...notes);

  if (findings.length) {
    out.push('', 'Findings:');
    for (const f of findings) out.push(`  ! ${findingMessage(f)}`, `    ${findingHelp(f)}`);
  }
  return out.join('\n') + '\n';
}
