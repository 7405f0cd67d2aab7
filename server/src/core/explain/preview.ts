// The compact markdown plan preview shown in a hover: node tree with rows and cost (and actual time when analysed), top hazards, links.
import { findingHelp, findingMessage, type PlanFinding } from './findings';
import { eachNode, fmtMs, fmtNumber, nodeLine } from './format';
import type { Plan } from './plan';

export interface PreviewOptions {
  /** e.g. `PGlite 18.6 (embedded)` or `PostgreSQL 15 at localhost`. */
  source?: string;
  /** How a statement with $n parameters was planned. */
  generic?: 'none' | 'generic-plan' | 'prepared';
  /** Command links the LSP layer builds (open the full plan, run EXPLAIN ANALYZE …). */
  links?: { title: string; href: string }[];
  /** At most this many nodes in the tree (default 12); the rest are counted. */
  maxNodes?: number;
  /** At most this many hazards (default 3). */
  maxFindings?: number;
  /** The plan came from the plan cache. */
  cached?: boolean;
}

export function planPreviewMarkdown(plan: Plan, findings: readonly PlanFinding[], opts: PreviewOptions = {}): string {
  const maxNodes = opts.maxNodes ?? 12;
  const maxFindings = opts.maxFindings ?? 3;
  const flagged = new Set(findings.map((f) => f.nodeId));

  const facts = [plan.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN'];
  if (opts.source) facts.push(opts.source);
  if (opts.generic === 'generic-plan' || opts.generic === 'prepared') facts.push('generic plan for $n parameters');
  if (plan.analyzed && plan.executionTimeMs !== undefined) facts.push(`ran in ${fmtMs(plan.executionTimeMs)}`);
  else facts.push(`cost ${fmtNumber(plan.root.totalCost)}, ${fmtNumber(plan.root.planRows)} rows`);
  if (opts.cached) facts.push('cached');

  const lines: string[] = [];
  let shown = 0;
  eachNode(plan, (n, depth) => {
    if (shown >= maxNodes) return;
    shown++;
    const indent = depth === 0 ? '' : '   '.repeat(depth - 1) + '-> ';
    lines.push(`${indent}${nodeLine(n)}${flagged.has(n.id) ? '  ⚠' : ''}`);
  });
  if (plan.nodes.length > shown) lines.push(`… ${plan.nodes.length - shown} more nodes`);

  const out = [`**${facts.join(' · ')}**`, '', '```text', ...lines, '```'];
  if (findings.length) {
    out.push('');
    for (const f of findings.slice(0, maxFindings)) out.push(`- ⚠ ${escapeMarkdown(findingMessage(f))} ${escapeMarkdown(findingHelp(f))}`);
    if (findings.length > maxFindings) out.push(`- … ${findings.length - maxFindings} more`);
  }
  if (opts.links?.length) {
    out.push('', opts.links.map((l) => `[${escapeMarkdown(l.title)}](${l.href})`).join(' · '));
  }
  return out.join('\n');
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
