// Tests for the plan webview page: locked-down CSP, no network, escaping, one box per node, hot spot and misestimates marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFindings } from './findings';
import { parsePlan } from './plan';
import { escapeHtml, planViewHtml } from './plan-html';

// Recorded from PGlite 0.5 (PostgreSQL 18): EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of a join whose filter on orders
// (a = 1 AND b = 1, perfectly correlated columns) is estimated at 3 rows and returns 300.
const ANALYZED = [
  {
    Plan: {
      'Node Type': 'Sort',
      'Parallel Aware': false,
      'Async Capable': false,
      'Startup Cost': 728.29,
      'Total Cost': 728.3,
      'Plan Rows': 3,
      'Plan Width': 12,
      'Actual Startup Time': 21.049,
      'Actual Total Time': 21.061,
      'Actual Rows': 5,
      'Actual Loops': 1,
      Disabled: false,
      'Sort Key': ['(count(*)) DESC'],
      'Sort Method': 'quicksort',
      'Sort Space Used': 17,
      'Sort Space Type': 'Memory',
      'Shared Hit Blocks': 198,
      'Shared Read Blocks': 0,
      'Shared Dirtied Blocks': 0,
      'Shared Written Blocks': 0,
      'Local Hit Blocks': 0,
      'Local Read Blocks': 0,
      'Local Dirtied Blocks': 0,
      'Local Written Blocks': 0,
      'Temp Read Blocks': 0,
      'Temp Written Blocks': 0,
      Plans: [
        {
          'Node Type': 'Aggregate',
          Strategy: 'Sorted',
          'Partial Mode': 'Simple',
          'Parent Relationship': 'Outer',
          'Parallel Aware': false,
          'Async Capable': false,
          'Startup Cost': 728.22,
          'Total Cost': 728.27,
          'Plan Rows': 3,
          'Plan Width': 12,
          'Actual Startup Time': 20.668,
          'Actual Total Time': 20.992,
          'Actual Rows': 5,
          'Actual Loops': 1,
          Disabled: false,
          'Group Key': ['c.name'],
          'Shared Hit Blocks': 195,
          'Shared Read Blocks': 0,
          'Shared Dirtied Blocks': 0,
          'Shared Written Blocks': 0,
          'Local Hit Blocks': 0,
          'Local Read Blocks': 0,
          'Local Dirtied Blocks': 0,
          'Local Written Blocks': 0,
          'Temp Read Blocks': 0,
          'Temp Written Blocks': 0,
          Plans: [
            {
              'Node Type': 'Sort',
              'Parent Relationship': 'Outer',
              'Parallel Aware': false,
              'Async Capable': false,
              'Startup Cost': 728.22,
              'Total Cost': 728.22,
              'Plan Rows': 3,
              'Plan Width': 4,
              'Actual Startup Time': 18.184,
              'Actual Total Time': 18.444,
              'Actual Rows': 300,
              'Actual Loops': 1,
              Disabled: false,
              'Sort Key': ['c.name'],
              'Sort Method': 'quicksort',
              'Sort Space Used': 17,
              'Sort Space Type': 'Memory',
              'Shared Hit Blocks': 195,
              'Shared Read Blocks': 0,
              'Shared Dirtied Blocks': 0,
              'Shared Written Blocks': 0,
              'Local Hit Blocks': 0,
              'Local Read Blocks': 0,
              'Local Dirtied Blocks': 0,
              'Local Written Blocks': 0,
              'Temp Read Blocks': 0,
              'Temp Written Blocks': 0,
              Plans: [
                {
                  'Node Type': 'Hash Join',
                  'Parent Relationship': 'Outer',
                  'Parallel Aware': false,
                  'Async Capable': false,
                  'Join Type': 'Inner',
                  'Startup Cost': 717.04,
                  'Total Cost': 728.19,
                  'Plan Rows': 3,
                  'Plan Width': 4,
                  'Actual Startup Time': 13.085,
                  'Actual Total Time': 17.351,
                  'Actual Rows': 300,
                  'Actual Loops': 1,
                  Disabled: false,
                  'Inner Unique': false,
                  'Hash Cond': '(c.id = o.customer_id)',
                  'Shared Hit Blocks': 195,
                  'Shared Read Blocks': 0,
                  'Shared Dirtied Blocks': 0,
                  'Shared Written Blocks': 0,
                  'Local Hit Blocks': 0,
                  'Local Read Blocks': 0,
                  'Local Dirtied Blocks': 0,
                  'Local Written Blocks': 0,
                  'Temp Read Blocks': 0,
                  'Temp Written Blocks': 0,
                  Plans: [
                    {
                      'Node Type': 'Seq Scan',
                      'Parent Relationship': 'Outer',
                      'Parallel Aware': false,
                      'Async Capable': false,
                      'Relation Name': 'customers',
                      Alias: 'c',
                      'Startup Cost': 0,
                      'Total Cost': 8,
                      'Plan Rows': 500,
                      'Plan Width': 8,
                      'Actual Startup Time': 0.094,
                      'Actual Total Time': 0.524,
                      'Actual Rows': 500,
                      'Actual Loops': 1,
                      Disabled: false,
                      'Shared Hit Blocks': 3,
                      'Shared Read Blocks': 0,
                      'Shared Dirtied Blocks': 0,
                      'Shared Written Blocks': 0,
                      'Local Hit Blocks': 0,
                      'Local Read Blocks': 0,
                      'Local Dirtied Blocks': 0,
                      'Local Written Blocks': 0,
                      'Temp Read Blocks': 0,
                      'Temp Written Blocks': 0,
                    },
                    {
                      'Node Type': 'Hash',
                      'Parent Relationship': 'Inner',
                      'Parallel Aware': false,
                      'Async Capable': false,
                      'Startup Cost': 717,
                      'Total Cost': 717,
                      'Plan Rows': 3,
                      'Plan Width': 4,
                      'Actual Startup Time': 12.93,
                      'Actual Total Time': 12.932,
                      'Actual Rows': 300,
                      'Actual Loops': 1,
                      Disabled: false,
                      'Hash Buckets': 1024,
                      'Original Hash Buckets': 1024,
                      'Hash Batches': 1,
                      'Original Hash Batches': 1,
                      'Peak Memory Usage': 13,
                      'Shared Hit Blocks': 192,
                      'Shared Read Blocks': 0,
                      'Shared Dirtied Blocks': 0,
                      'Shared Written Blocks': 0,
                      'Local Hit Blocks': 0,
                      'Local Read Blocks': 0,
                      'Local Dirtied Blocks': 0,
                      'Local Written Blocks': 0,
                      'Temp Read Blocks': 0,
                      'Temp Written Blocks': 0,
                      Plans: [
                        {
                          'Node Type': 'Seq Scan',
                          'Parent Relationship': 'Outer',
                          'Parallel Aware': false,
                          'Async Capable': false,
                          'Relation Name': 'orders',
                          Alias: 'o',
                          'Startup Cost': 0,
                          'Total Cost': 717,
                          'Plan Rows': 3,
                          'Plan Width': 4,
                          'Actual Startup Time': 0.024,
                          'Actual Total Time': 12.572,
                          'Actual Rows': 300,
                          'Actual Loops': 1,
                          Disabled: false,
                          Filter: "((a = 1) AND (b = 1) AND (status = 'done'::text))",
                          'Rows Removed by Filter': 29700,
                          'Shared Hit Blocks': 192,
                          'Shared Read Blocks': 0,
                          'Shared Dirtied Blocks': 0,
                          'Shared Written Blocks': 0,
                          'Local Hit Blocks': 0,
                          'Local Read Blocks': 0,
                          'Local Dirtied Blocks': 0,
                          'Local Written Blocks': 0,
                          'Temp Read Blocks': 0,
                          'Temp Written Blocks': 0,
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    Planning: {
      'Shared Hit Blocks': 132,
      'Shared Read Blocks': 1,
      'Shared Dirtied Blocks': 0,
      'Shared Written Blocks': 0,
      'Local Hit Blocks': 0,
      'Local Read Blocks': 0,
      'Local Dirtied Blocks': 0,
      'Local Written Blocks': 0,
      'Temp Read Blocks': 0,
      'Temp Written Blocks': 0,
    },
    'Planning Time': 0.895,
    Triggers: [],
    'Execution Time': 21.256,
  },
];

const NONCE = 'c2VjcmV0LW5vbmNlLTEyMzQ1Ng==';
const opts = {
  nonce: NONCE,
  statement:
    "SELECT c.name, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.a = 1 AND o.b = 1 AND o.status = 'done' GROUP BY c.name ORDER BY 2 DESC",
};

function page(json: unknown = ANALYZED, statement = opts.statement): { html: string; nodes: number } {
  const plan = parsePlan(json);
  return { html: planViewHtml(plan, planFindings(plan), { ...opts, statement }), nodes: plan.nodes.length };
}

test('the page allows only its own nonce and loads nothing from the network', () => {
  const { html } = page();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src &#39;none&#39;/);
  assert.match(csp, new RegExp(`script-src &#39;nonce-${NONCE}&#39;`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  // Every script and style carries the nonce; nothing refers to another origin.
  for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? []) assert.match(tag, new RegExp(`nonce="${NONCE}"`), tag);
  assert.doesNotMatch(html, /\b(src|href)\s*=|https?:\/\/|url\(/i);
  assert.doesNotMatch(html, /\sstyle="/, 'inline style attributes would need unsafe-inline');
});

test('one clickable box per plan node, with the scanned tables', () => {
  const { html, nodes } = page();
  assert.equal((html.match(/<g class="node[^"]*" data-node="\d+"/g) ?? []).length, nodes);
  assert.match(html, /on orders o/);
  assert.match(html, /on customers c/);
  assert.equal((html.match(/<pre id="n\d+" class="detail">/g) ?? []).length, nodes);
});

test('misestimated nodes are flagged with their factor and findings get a red border', () => {
  const { html } = page();
  const seqScan = /<g class="([^"]*)" data-node="6"[^>]*>(.*?)<\/g>/s.exec(html);
  assert.ok(seqScan);
  assert.match(seqScan[1], /\bflagged\b/);
  assert.match(seqScan[1], /\bmisestimate\b/);
  assert.match(seqScan[2], /⚠ 100×/);
  // The root Sort was estimated at 3 and returned 5: not a misestimate.
  assert.doesNotMatch(/<g class="([^"]*)" data-node="0"/.exec(html)?.[1] ?? '', /misestimate/);
});

test('the node where the time goes is the hottest', () => {
  const { html } = page();
  const heat = (id: number) => Number(new RegExp(`<g class="node heat(\\d)[^"]*" data-node="${id}"`).exec(html)?.[1]);
  // The seq scan on orders spends 12.5 of 21 ms on its own; the root sort spends almost nothing.
  assert.ok(heat(6) > heat(0), `seq scan heat ${heat(6)} vs root ${heat(0)}`);
  assert.equal(heat(0), 0);
});

test('text from the plan and the statement is escaped', () => {
  const evil = structuredClone(ANALYZED) as { Plan: Record<string, unknown> }[];
  evil[0].Plan['Node Type'] = 'Seq Scan';
  evil[0].Plan['Relation Name'] = '<img src=x onerror=alert(1)>';
  const { html } = page(evil, "SELECT '</pre><script>alert(1)</script>'");
  assert.doesNotMatch(html, /<img|<script>alert/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('a nonce that could break out of the attribute is refused', () => {
  assert.throws(() => planViewHtml(parsePlan(ANALYZED), [], { ...opts, nonce: '"><script>x</script>' }), /nonce/);
});
