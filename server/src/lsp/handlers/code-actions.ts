// textDocument/codeAction: quick fix, suppress for this statement or file, and open the rule's docs — all from Diagnostic.data.
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { DiagnosticData } from '../convert';

export const OPEN_RULE_DOCS = 'pgdba.openRuleDocs';

function edit(uri: string, version: number, edits: TextEdit[]) {
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

export function codeActionsHandler() {
  return (params: CodeActionParams): CodeAction[] => {
    const uri = params.textDocument.uri;
    const actions: CodeAction[] = [];
    // When VS Code asks only for some kinds (the lightbulb asks for quick fixes), answer only those.
    const only = params.context.only;
    const wanted = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    for (const d of params.context.diagnostics) {
      const data = d.data as DiagnosticData | undefined;
      if (d.source !== 'pgdba' || !data) continue;
      if (data.fix) {
        actions.push({ title: data.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: edit(uri, data.version, data.fix.edits) });
      }
      if (data.suppress) {
        actions.push({ title: `Suppress ${data.rule} for this statement`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: edit(uri, data.version, [data.suppress.statement]) });
        actions.push({ title: `Suppress ${data.rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: edit(uri, data.version, [data.suppress.file]) });
      }
      if (data.rule === 'missing-rollback') {
        actions.push({ title: 'Generate rollback', kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, command: { title: 'Generate rollback', command: 'pgdba.generateRollback', arguments: [uri] } });
      }
      if (d.codeDescription && wanted(CodeActionKind.Empty)) {
        actions.push({ title: `Show documentation for ${data.rule}`, kind: CodeActionKind.Empty, diagnostics: [d], command: { title: 'Show rule documentation', command: OPEN_RULE_DOCS, arguments: [data.rule] } });
      }
    }
    return actions.filter((a) => wanted(a.kind ?? CodeActionKind.Empty));
  };
}
