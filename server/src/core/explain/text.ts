// The plain-text plan rendering for the CLI: PostgreSQL-style tree with conditions, timings and the findings.
import { findingHelp, findingMessage, type PlanFinding } from './findings';
import { eachNode, fmtMs, nodeDetails, nodeLine } from './format';
import type { Plan } from './plan';

export interface TextOptions {
  source?: string;
  generic?: 'none' | 'generic-plan' | 'prepared';
  /** ANALYZE: what the engine found changed after the rollback (sequences), and whether it could check. */
  afterRollback?: { verified: boolean; changes: string[] };
}

/** The sentence about an ANALYZE's rollback: "no data was changed" only when the engine checked and found nothing left. */
export function rollbackNote(after: TextOptions['afterRollback']): string {
  if (!after?.verified) return 'Analysed inside a transaction that was rolled back; whether sequences advanced could not be checked.';
  if (!after.changes.length) return 'Analysed inside a transaction that was rolled back: no data was changed (sequences checked before and after).';
  return `Analysed inside a transaction that was rolled back, but not everything was undone: ${after.changes.join('; ')}.`;
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
  if (plan.analyzed) notes.push(rollbackNote(opts.afterRollback));
  if (opts.generic === 'generic-plan') notes.push('Generic plan (EXPLAIN GENERIC_PLAN): $n parameters were left unbound.');
  if (opts.generic === 'prepared') notes.push('Generic plan via PREPARE + EXPLAIN EXECUTE with NULL parameters (plan_cache_mode = force_generic_plan).');
  if (notes.length) out.push('', ...notes);

  if (findings.length) {
    out.push('', 'Findings:');
    for (const f of findings) out.push(`  ! ${findingMessage(f)}`, `    ${findingHelp(f)}`);
  }
  return out.join('\n') + '\n';
}
