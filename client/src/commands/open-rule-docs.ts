// pgdba.openRuleDocs: shows a rule's documentation (rendered markdown from the server) beside the editor.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { rulesRequest } from '../protocol';

export async function openRuleDocs(client: LanguageClient, rule: string, extensionUri: vscode.Uri): Promise<void> {
  let id = rule;
  if (!id) {
    const rules = await client.sendRequest(rulesRequest);
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: r.category, detail: r.summary })),
      { title: 'pgdba: rule documentation', matchOnDetail: true },
    );
    if (!pick) return;
    id = pick.label;
  }
  // The extension ships docs/rules/<id>.md: preview that file (read-only, nothing to save on close).
  const file = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${id}.md`);
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    void vscode.window.showWarningMessage(`pgdba: no documentation for "${id}".`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreviewToSide', file);
}
