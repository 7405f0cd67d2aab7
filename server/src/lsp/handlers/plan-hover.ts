// The plan half of a hover: the compact plan preview of the statement under the pointer, with links to the full plan and to ANALYZE.
import type { CancellationToken, RequestHandler } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isExplainable, planPreviewMarkdown } from '../../core/explain';
import { Converter } from '../convert';
import { delay, type ExplainFeature } from '../explain';
import type { PlanOutcome } from '../plans';
import { EXPLAIN_ANALYZE_COMMAND, OPEN_PLAN_COMMAND } from '../protocol';

const escape = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

/** A command URI for hover markdown; parentheses are encoded so a path like `a (1).sql` cannot end the link early. */
function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args)).replace(/\(/g, '%28').replace(/\)/g, '%29')}`;
}

/**
 * `waitMs`: how long the hover waits for a plan whose engine is still starting before it says so. textDocument/hover
 * waits briefly (its other parts wait with it); pgdba/planHover, shown by VS Code beside parts already on screen, waits
 * for the build: VS Code cancels the request when the pointer leaves, and renders the plan in place when it comes.
 */
export function planHover(feature: ExplainFeature, waitMs = feature.hoverWaitMs) {
  return async (document: TextDocument, offset: number, token: CancellationToken): Promise<string | undefined> => {
    const found = feature.statementAt(document, offset);
    if (!found || !isExplainable(found.stmt.kind)) return undefined;
    const settings = await feature.settings.get(document.uri);
    if (!settings.explain.hover) return undefined;
    const { root, stmt } = found;
    const choice = await feature.choice(root, document.uri);
    const hit = await feature.plans.cached(root, choice, stmt.text).catch(() => undefined);
    let outcome: PlanOutcome | undefined = hit && { entry: hit, cached: true };
    if (!outcome) {
      // hoverDelayMs: VS Code decides when to ask for a hover; the server then waits this long before starting an EXPLAIN
      // that is not cached, so sweeping the pointer across a file does not run one per statement.
      await delay(settings.explain.hoverDelayMs, token);
      if (token.isCancellationRequested) return undefined;
      const planning = feature.plans.plan(root, choice, stmt.text);
      planning.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      let cancelled: { dispose(): void } | undefined;
      // An engine still building is not waited for forever: the hover says so, and the plan lands in the cache meanwhile.
      // A hover the pointer left is cancelled: it stops waiting at once (the build goes on).
      const waited = new Promise<'waiting' | 'cancelled'>((resolve) => {
        timer = setTimeout(() => resolve('waiting'), waitMs);
        cancelled = token.onCancellationRequested(() => resolve('cancelled'));
      });
      try {
        const r = await Promise.race([planning, waited]);
        if (r === 'cancelled') return undefined;
        if (r === 'waiting')
          return `_${escape(feature.engines.starting(root) ?? 'Planning…')} The plan shows on the next hover once the status bar says ready._`;
        outcome = r;
      } catch (err) {
        return `_No plan: ${escape((err as Error).message)}_`;
      } finally {
        clearTimeout(timer);
        cancelled?.dispose();
      }
    }
    const { entry, cached } = outcome;
    if (!entry.ok) return `**EXPLAIN** on ${escape(entry.source)} could not plan this statement: ${escape(entry.message)}`;
    const args = [{ uri: document.uri, position: new Converter(document).position(stmt.start) }];
    const links = [
      { title: 'Open full plan', href: commandUri(OPEN_PLAN_COMMAND, args) },
      { title: 'Run EXPLAIN ANALYZE', href: commandUri(EXPLAIN_ANALYZE_COMMAND, args) },
    ];
    const r = entry.result;
    return planPreviewMarkdown(r.plan, r.findings, { source: entry.source, generic: r.outcome.generic, links, cached });
  };
}

/** pgdba/planHover: the plan section alone, for a client that shows it as a hover part of its own (see protocol.ts). */
export function planHoverRequestHandler(
  feature: ExplainFeature,
  waitMs: number,
): RequestHandler<{ textDocument: { uri: string }; position: { line: number; character: number } }, string | null, void> {
  const section = planHover(feature, waitMs);
  return async (params, token) => {
    const document = feature.document(params.textDocument.uri);
    if (!document) return null;
    return (await section(document, new Converter(document).offset(params.position), token).catch(() => undefined)) ?? null;
  };
}
