// textDocument/codeAction: quick fix, suppress for this statement or file, and open the rule's docs — all from Diagnostic.data.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type TextEdit } from 'vscode-languageserver';
import type { DiagnosticData } from '../convert';
import { TYPE_SUPPRESSION_REASON_COMMAND } from '../protocol';

export const OPEN_RULE_DOCS = 'pgdba.openRuleDocs';

function edit(uri: string, version: number, edits: TextEdit[]) {
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

/**
 * The suppression comment is inserted at a line start and ends in `reason: ` and a newline: afterwards the cursor goes
 * there, so the reason is typed at once (a workspace edit alone cannot place the cursor).
 */
export function reasonCursor(uri: string, insert: TextEdit): Command {
  const position = { line: insert.range.start.line, character: insert.range.start.character + insert.newText.replace(/\n$/, '').length };
  return { title: 'Type the reason', command: TYPE_SUPPRESSION_REASON_COMMAND, arguments: [uri, position] };
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
        actions.push({
          title: data.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: edit(uri, data.version, data.fix.edits),
        });
      }
      if (data.suppress) {
        const { statement, file } = data.suppress;
        actions.push({
          title: `Suppress ${data.rule} for this statement`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: edit(uri, data.version, [statement]),
          command: reasonCursor(uri, statement),
        });
        actions.push({
          title: `Suppress ${data.rule} for this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: edit(uri, data.version, [file]),
          command: reasonCursor(uri, file),
        });
      }
      if (data.rule === 'missing-rollback') {
        actions.push({
          title: 'Generate rollback',
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          command: { title: 'Generate rollback', command: 'pgdba.generateRollback', arguments: [uri] },
        });
      }
      if (d.codeDescription && wanted(CodeActionKind.Empty)) {
        actions.push({
          title: `Show documentation for ${data.rule}`,
          kind: CodeActionKind.Empty,
          diagnostics: [d],
          command: { title: 'Show rule documentation', command: OPEN_RULE_DOCS, arguments: [data.rule] },
        });
      }
    }
    return actions.filter((a) => wanted(a.kind ?? CodeActionKind.Empty));
  };
}
