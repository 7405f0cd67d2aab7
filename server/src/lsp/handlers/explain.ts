// pgdba/explain: EXPLAIN (or a rolled-back EXPLAIN ANALYZE, after confirmation for a write) of the statement at a position, for the commands and the plan view.
import { changesData } from '../../core/explain/changes-data';
import { isExplainable, planPreviewMarkdown, planRelations, planText } from '../../core/explain';
import { planViewHtml } from '../../core/explain/plan-html';
import { Converter } from '../convert';
import type { ExplainFeature } from '../explain';
import type { ExplainParams, ExplainResult } from '../protocol';

const error = (message: string): ExplainResult => ({ kind: 'error', message });

export function explainHandler(feature: ExplainFeature) {
  return async (params: ExplainParams): Promise<ExplainResult> => {
    const document = feature.document(params.textDocument.uri);
    if (!document) return error('pgdba explains statements of open editors: open the file first.');
    const convert = new Converter(document);
    const found = feature.statementAt(document, convert.offset(params.position));
    if (!found) return error('There is no SQL statement at the cursor.');
    const { root, stmt } = found;
    if (!isExplainable(stmt.kind))
      return error(
        `EXPLAIN cannot plan a ${stmt.kind.replace(/Stmt$/, '')} statement; put the cursor on a SELECT, INSERT, UPDATE, DELETE, MERGE or CREATE TABLE AS.`,
      );
    const choice = await feature.choice(root, document.uri);
    if (params.analyze && !params.confirmed && changesData(stmt.kind, stmt.node)) {
      const where = feature.engines.peek(root, choice)?.label ?? (choice.kind === 'pg' ? 'the dev database' : 'embedded PGlite');
      return {
        kind: 'confirm',
        message:
          `EXPLAIN ANALYZE runs the statement, and this one changes data. pgdba runs it on ${where} inside a transaction that is ` +
          'rolled back, so no rows stay changed (but sequences it advances stay advanced, and it holds its locks while it runs).',
      };
    }
    let outcome;
    try {
      outcome = await feature.plans.plan(root, choice, stmt.text, { analyze: params.analyze, fresh: params.fresh });
    } catch (err) {
      return error((err as Error).message);
    }
    const { entry } = outcome;
    if (!entry.ok) return error(`EXPLAIN failed: ${entry.message}`);
    const r = entry.result;
    const header = [
      `-- ${r.outcome.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN'} on ${entry.source}, ${new Date().toISOString()}`,
      stmt.text.trim() + ';',
      '',
    ];
    const table = planRelations(r.plan)[0]?.split('.').pop() ?? 'statement';
    return {
      kind: 'plan',
      statement: stmt.text,
      range: convert.range(stmt.start, stmt.end),
      source: entry.source,
      analyzed: r.outcome.analyzed,
      json: r.outcome.json,
      text: header.join('\n') + planText(r.plan, r.findings, { source: entry.source, generic: r.outcome.generic, afterRollback: r.outcome.afterRollback }),
      markdown: planPreviewMarkdown(r.plan, r.findings, { source: entry.source, generic: r.outcome.generic }),
      html: params.webview && planViewHtml(r.plan, r.findings, { ...params.webview, statement: stmt.text, source: entry.source, generic: r.outcome.generic }),
      suggestedName: `${table.replace(/[^A-Za-z0-9_-]/g, '_')}-${r.outcome.analyzed ? 'explain-analyze' : 'explain'}`,
      findings: r.findings.length,
      cached: outcome.cached,
    };
  };
}
