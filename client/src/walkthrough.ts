// The Get Started walkthrough: the context keys its steps complete on.
import * as vscode from 'vscode';

/** A `.sql` or `.pgsql` editor: the "Open a SQL file" step completes on pgdba.sqlFileOpened (set once, globally). */
function isSql(editor: vscode.TextEditor | undefined): boolean {
  return editor?.document.languageId === 'sql' || editor?.document.languageId === 'pgsql';
}

export function watchWalkthrough(context: vscode.ExtensionContext): void {
  // editorLangId is an editor-scoped context key, which walkthrough completion events never see: set our own.
  let seen = false;
  const mark = (editor: vscode.TextEditor | undefined) => {
    if (seen || !isSql(editor)) return;
    seen = true;
    void vscode.commands.executeCommand('setContext', 'pgdba.sqlFileOpened', true);
  };
  mark(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(mark));
}

/** The "Connect your dev database" step completes once a configured database (not PGlite) answered. */
export function markDatabaseConnected(engineLabel: string | undefined, state: string): void {
  if (state === 'ready' && engineLabel && !/^PGlite/.test(engineLabel)) void vscode.commands.executeCommand('setContext', 'pgdba.databaseConnected', true);
}
