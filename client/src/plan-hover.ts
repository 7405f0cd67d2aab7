// The plan part of a hover, asked apart from the language server's hover (pgdba/planHover) so VS Code shows it in place when PGlite is ready.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPLAIN_ANALYZE_COMMAND, OPEN_PLAN_COMMAND, planHoverRequest } from './protocol';
import { markPlanShown } from './walkthrough';

/**
 * Why a hover part of its own, not textDocument/hover: VS Code renders each hover provider's answer as it arrives, with
 * "Loading…" under the parts already shown, and cancels the pending ones when the pointer leaves. So the finding and the
 * name under the pointer show at once, the first plan replaces "Loading…" by itself when the build ends (its progress is
 * in the status bar), and a hover nobody looks at any more stops waiting. An extension cannot re-open a hover at the
 * pointer (editor.action.showHover opens one at the cursor), so waiting in the request is the only way to refresh it.
 *
 * Register before the language client starts: VS Code orders equal providers newest first, and the plan goes last.
 */
export function registerPlanHover(client: LanguageClient, selector: vscode.DocumentSelector): vscode.Disposable {
  return vscode.languages.registerHoverProvider(selector, {
    async provideHover(document, position, token) {
      if (!client.isRunning()) return undefined;
      const params = {
        textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
        position: { line: position.line, character: position.character },
      };
      const markdown = await client.sendRequest(planHoverRequest, params, token).catch(() => null);
      if (!markdown || token.isCancellationRequested) return undefined;
      const value = new vscode.MarkdownString(markdown);
      // The plan preview links to these two commands (command URIs); no other command runs from it.
      value.isTrusted = { enabledCommands: [OPEN_PLAN_COMMAND, EXPLAIN_ANALYZE_COMMAND] };
      if (markdown.includes(`command:${OPEN_PLAN_COMMAND}`)) markPlanShown();
      return new vscode.Hover(value);
    },
  });
}
