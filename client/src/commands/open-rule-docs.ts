// pgdba.openRuleDocs: shows a rule's documentation (rendered markdown from the server) beside the editor.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export async function openRuleDocs(client: LanguageClient, rule: string): Promise<void> {
  let id = rule;
  if (!id) {
    const rules = await client.sendRequest<{ id: string; summary: string; category: string }[]>('pgdba/rules');
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: r.category, detail: r.summary })),
      { title: 'pgdba: rule documentation', matchOnDetail: true },
    );
    if (!pick) return;
    id = pick.label;
  }
  const markdown = await client.sendRequest<string | null>('pgdba/ruleDocs', { rule: id });
  if (!markdown) {
    void vscode.window.showWarningMessage(`pgdba: no rule named "${id}".`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri);
}
