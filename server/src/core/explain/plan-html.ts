// The plan picture for the editor's webview: one self-contained HTML page (inline SVG tree, no network, CSP locked to a nonce).
import { findingHelp, findingMessage, type PlanFinding } from './findings';
import { fmtMs, fmtNumber, nodeDetails, nodeLine } from './format';
import { nodeLabel, type Plan, type PlanNode } from './plan';

export interface PlanHtmlOptions {
  /** A fresh random value per page: the only script and style allowed to run carry it. */
  nonce: string;
  statement: string;
  /** e.g. `PGlite (embedded), PostgreSQL 18`. */
  source?: string;
  generic?: 'none' | 'generic-plan' | 'prepared';
}

const BOX_W = 230;
const BOX_H = 66;
const GAP_X = 22;
const GAP_Y = 46;
const PAD = 12;

interface Placed {
  node: PlanNode;
  x: number;
  y: number;
  depth: number;
}

/** Leaves take consecutive columns; a parent sits centred over its first and last child (a simple tidy tree). */
function layout(plan: Plan): { placed: Placed[]; width: number; height: number } {
  const placed: Placed[] = [];
  let column = 0;
  let maxDepth = 0;
  const place = (n: PlanNode, depth: number): number => {
    maxDepth = Math.max(maxDepth, depth);
    let x: number;
    if (n.children.length === 0) x = column++ * (BOX_W + GAP_X);
    else {
      const xs = n.children.map((c) => place(c, depth + 1));
      x = (xs[0] + xs[xs.length - 1]) / 2;
    }
    placed[n.id] = { node: n, x: x + PAD, y: depth * (BOX_H + GAP_Y) + PAD, depth };
    return x;
  };
  place(plan.root, 0);
  return { placed, width: column * (BOX_W + GAP_X) - GAP_X + 2 * PAD, height: (maxDepth + 1) * (BOX_H + GAP_Y) - GAP_Y + 2 * PAD };
}

/** Time (analysed: ms over all loops) or cost spent in the node itself, without its children. */
function selfWeight(n: PlanNode, analyzed: boolean): number {
  const total = (m: PlanNode) => (analyzed ? (m.actual ? m.actual.totalTime * m.actual.loops : 0) : m.totalCost);
  return Math.max(0, total(n) - n.children.reduce((s, c) => s + total(c), 0));
}

/** Estimated vs actual rows off by 10× or more on at least 100 rows (the misestimate finding's default). */
function misestimate(n: PlanNode): number | undefined {
  if (!n.actual || n.actual.loops === 0) return undefined;
  const est = n.planRows;
  const act = n.actual.rows;
  const factor = Math.max(est, act) / Math.max(1, Math.min(est, act));
  return factor >= 10 && Math.max(est, act) >= 100 ? factor : undefined;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function boxLines(n: PlanNode, analyzed: boolean): [string, string, string] {
  const full = nodeLabel(n);
  const head = n.nodeType === 'ModifyTable' && n.operation ? n.operation : full.split(' on ')[0].split(' using ')[0];
  const where = full.slice(head.length).trim();
  const rows = n.actual
    ? `rows ${fmtNumber(n.actual.rows * n.actual.loops)} (est ${fmtNumber(n.planRows * Math.max(1, n.actual.loops))})`
    : `rows ${fmtNumber(n.planRows)}`;
  const cost = analyzed && n.actual ? (n.actual.loops === 0 ? 'never executed' : fmtMs(n.actual.totalTime * n.actual.loops)) : `cost ${fmtNumber(n.totalCost)}`;
  return [clip(head, 32), clip(where, 36), clip(`${cost} · ${rows}`, 38)];
}

function svg(plan: Plan, findings: readonly PlanFinding[]): string {
  const { placed, width, height } = layout(plan);
  const weights = plan.nodes.map((n) => selfWeight(n, plan.analyzed));
  const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
  const flagged = new Set(findings.map((f) => f.nodeId));
  const maxRows = Math.max(1, ...plan.nodes.map((n) => (n.actual ? n.actual.rows * n.actual.loops : n.planRows)));
  const out: string[] = [];
  for (const p of placed) {
    for (const c of p.node.children) {
      const q = placed[c.id];
      const rows = c.actual ? c.actual.rows * c.actual.loops : c.planRows;
      // Edge width grows with the rows flowing up it (log scale), as in PEV2, so the heavy path stands out.
      const w = (1 + (5 * Math.log10(rows + 1)) / Math.log10(maxRows + 1)).toFixed(1);
      const x1 = p.x + BOX_W / 2;
      const y1 = p.y + BOX_H;
      const x2 = q.x + BOX_W / 2;
      const y2 = q.y;
      const my = (y1 + y2) / 2;
      out.push(`<path class="edge" stroke-width="${w}" d="M${x1} ${y1} C${x1} ${my} ${x2} ${my} ${x2} ${y2}"/>`);
    }
  }
  for (const p of placed) {
    const n = p.node;
    const share = weights[n.id] / totalWeight;
    const heat = Math.min(5, Math.floor(share * 6));
    const off = misestimate(n);
    const classes = ['node', `heat${heat}`, flagged.has(n.id) ? 'flagged' : '', off ? 'misestimate' : ''].filter(Boolean).join(' ');
    const [l1, l2, l3] = boxLines(n, plan.analyzed);
    const tip = `${nodeLabel(n)} — ${Math.round(share * 100)}% of the plan's ${plan.analyzed ? 'time' : 'cost'} in this node`;
    out.push(
      `<g class="${classes}" data-node="${n.id}" tabindex="0" role="button" transform="translate(${p.x} ${p.y})">`,
      `<title>${escapeHtml(tip)}</title>`,
      `<rect width="${BOX_W}" height="${BOX_H}" rx="5"/>`,
      `<rect class="share" x="0" y="${BOX_H - 5}" height="5" width="${(BOX_W * share).toFixed(1)}"/>`,
      `<text x="8" y="18" class="head">${escapeHtml(l1)}</text>`,
      `<text x="8" y="35">${escapeHtml(l2)}</text>`,
      `<text x="8" y="52">${escapeHtml(l3)}</text>`,
    );
    if (off || flagged.has(n.id)) {
      const badge = off ? `⚠ ${Math.round(off)}×` : '⚠';
      out.push(`<text x="${BOX_W - 8}" y="18" class="badge" text-anchor="end">${escapeHtml(badge)}</text>`);
    }
    out.push('</g>');
  }
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Plan tree">${out.join('')}</svg>`;
}

function details(plan: Plan, findings: readonly PlanFinding[]): string {
  const byNode = new Map<number, PlanFinding[]>();
  for (const f of findings) byNode.set(f.nodeId, [...(byNode.get(f.nodeId) ?? []), f]);
  return plan.nodes
    .map((n) => {
      const lines = [nodeLine(n), ...nodeDetails(n).map((d) => `  ${d}`)];
      const off = misestimate(n);
      if (off) lines.push(`  Row estimate off by ${Math.round(off)}×`);
      for (const f of byNode.get(n.id) ?? []) lines.push(`  ⚠ ${findingMessage(f)} ${findingHelp(f)}`);
      return `<pre id="n${n.id}" class="detail">${escapeHtml(lines.join('\n'))}</pre>`;
    })
    .join('\n');
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); margin: 0; padding: 12px 16px; }
header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; }
h1 { font-size: 1.1em; margin: 0; }
.facts { opacity: 0.8; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 10px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); white-space: pre-wrap; }
.statement { border-left: 3px solid var(--vscode-textBlockQuote-border); padding-left: 8px; max-height: 10em; overflow: auto; }
.canvas { overflow: auto; border: 1px solid var(--vscode-panel-border); margin: 8px 0; }
.edge { fill: none; stroke: var(--vscode-editorLineNumber-foreground); }
.node { cursor: pointer; }
.node rect { stroke: #888; stroke-width: 1; }
.node text { font: 12px var(--vscode-editor-font-family); fill: #1e1e1e; }
.node text.head { font-weight: bold; }
.node .share { fill: #7a1f1f; stroke: none; }
.node.flagged > rect:first-of-type { stroke: #d00000; stroke-width: 3; }
.node.misestimate > rect:first-of-type { stroke-dasharray: 6 3; }
.node:focus > rect:first-of-type, .node.selected > rect:first-of-type { stroke: var(--vscode-focusBorder); stroke-width: 3; }
.badge { fill: #a00000 !important; font-weight: bold; }
.heat0 > rect:first-of-type { fill: #f3f3f3; } .heat1 > rect:first-of-type { fill: #fde9c9; } .heat2 > rect:first-of-type { fill: #fccf95; }
.heat3 > rect:first-of-type { fill: #f9a66c; } .heat4 > rect:first-of-type { fill: #f47c5c; } .heat5 > rect:first-of-type { fill: #e8544e; }
.legend span { display: inline-block; width: 14px; height: 10px; margin-right: 2px; }
.findings li { margin: 4px 0; }
.detail { margin: 4px 0; padding: 4px 6px; }
.detail.selected { outline: 2px solid var(--vscode-focusBorder); }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
document.getElementById('save').addEventListener('click', () => vscode.postMessage({ type: 'save' }));
function select(id) {
  document.querySelectorAll('.selected').forEach((el) => el.classList.remove('selected'));
  const d = document.getElementById('n' + id);
  if (!d) return;
  d.classList.add('selected');
  const g = document.querySelector('[data-node="' + id + '"]');
  if (g) g.classList.add('selected');
  d.scrollIntoView({ block: 'nearest' });
}
document.querySelectorAll('[data-node]').forEach((el) => {
  const id = el.getAttribute('data-node');
  el.addEventListener('click', () => select(id));
  el.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') select(id); });
});
`;

/**
 * The whole webview page. Everything from the plan is escaped; the CSP allows nothing but this page's nonce'd style and
 * script (no images, fonts, frames or connections: the picture is inline SVG).
 */
export function planViewHtml(plan: Plan, findings: readonly PlanFinding[], opts: PlanHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(opts.nonce)) throw new Error('planViewHtml: the nonce must be at least 16 base64 characters');
  const nonce = opts.nonce;
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
  const facts = [plan.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN'];
  if (opts.source) facts.push(opts.source);
  if (opts.generic === 'generic-plan' || opts.generic === 'prepared') facts.push('generic plan for $n parameters');
  if (plan.analyzed && plan.executionTimeMs !== undefined) facts.push(`ran in ${fmtMs(plan.executionTimeMs)}`);
  facts.push(`cost ${fmtNumber(plan.root.totalCost)}`, `${plan.nodes.length} nodes`);
  const findingItems = findings.map((f) => `<li>⚠ ${escapeHtml(findingMessage(f))} <em>${escapeHtml(findingHelp(f))}</em></li>`).join('');
  const legend = [0, 1, 2, 3, 4, 5].map((h) => `<svg width="14" height="10" class="heat${h}"><rect width="14" height="10"/></svg>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Plan</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(nodeLabel(plan.root))}</h1>
<span class="facts">${escapeHtml(facts.join(' · '))}</span>
<button id="save" type="button">Save plan to a DBA package…</button>
</header>
<pre class="statement">${escapeHtml(opts.statement)}</pre>
<p class="legend">Colour: share of the plan's ${plan.analyzed ? 'time' : 'cost'} spent in the node itself ${legend} low → high. Bar: the same share. Edge width: rows. Red border: a finding; dashed border and ⚠ n×: rows misestimated.</p>
${findings.length ? `<ul class="findings">${findingItems}</ul>` : '<p>No plan findings.</p>'}
<div class="canvas">${svg(plan, findings)}</div>
<h2>Nodes</h2>
${details(plan, findings)}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
