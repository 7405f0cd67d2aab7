// textDocument/hover: for a pgdba diagnostic under the cursor, why it matters and how to fix it (from the rule's docs); then the name under the cursor; then the statement's plan.
import type { CancellationToken, Hover, HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById } from '../../core/rules';
import { Converter } from '../convert';
import type { Session } from '../session';

/** Adds a markdown section for the statement at an offset (the plan preview; see plan-hover.ts). */
export type HoverSection = (document: TextDocument, offset: number, token: CancellationToken) => Promise<string | undefined>;

export function hoverHandler(
  session: Session,
  doc: (uri: string) => TextDocument | undefined,
  docsUrl: (rule: string) => string | undefined,
  plan?: HoverSection,
  identifier?: (document: TextDocument, offset: number) => string | undefined,
) {
  return async (params: HoverParams, token: CancellationToken): Promise<Hover | null> => {
    const document = doc(params.textDocument.uri);
    const at = document && session.locate(document.uri);
    if (!document || !at) return null;
    const convert = new Converter(document);
    const offset = convert.offset(params.position);
    const hits = at.workspace.analyze(at.path).filter((f) => f.start <= offset && offset <= f.end);
    const parts: string[] = [];
    for (const f of hits) {
      const rule = ruleById(f.rule);
      if (!rule) continue;
      const link = docsUrl(rule.id);
      parts.push(
        `**pgdba ${rule.id}** — ${rule.docs.summary}\n\n${rule.docs.why}\n\n**Fix:** ${f.help ?? rule.docs.help}${link ? `\n\n[Rule documentation](${link})` : ''}`,
      );
    }
    const named = identifier?.(document, offset);
    if (named) parts.push(named);
    const preview = plan && (await plan(document, offset, token).catch(() => undefined));
    if (preview) parts.push(preview);
    if (!parts.length) return null;
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } };
  };
}
