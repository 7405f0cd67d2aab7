// pgdba.traceLocks: traces the active migration's locks (rolled back) and shows them as inlay hints on each statement.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { traceLocksRequest } from '../protocol';

export async function traceLocks(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('pgdba: open a migration file to trace its locks.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'pgdba: tracing locks (in a transaction that is rolled back)…' },
    () => client.sendRequest(traceLocksRequest, { uri: editor.document.uri.toString() }),
  );
  // The server's messages carry no prefix: every pgdba notification starts with "pgdba:" here.
  if (result.ok) void vscode.window.showInformationMessage(`pgdba: ${result.message}`);
  else void vscode.window.showWarningMessage(`pgdba: ${result.message}`);
}
