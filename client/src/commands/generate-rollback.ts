// pgdba.generateRollback: writes the generated down migration where the layout wants it; never over an existing one
// (then a diff against what is there opens instead).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { generateRollbackRequest } from '../protocol';

export async function generateRollback(client: LanguageClient, output: vscode.LogOutputChannel, arg?: unknown): Promise<void> {
  const uri = typeof arg === 'string' ? arg : vscode.window.activeTextEditor?.document.uri.toString();
  if (!uri) {
    void vscode.window.showWarningMessage('pgdba: open an up migration to generate its rollback.');
    return;
  }
  const r = await client.sendRequest(generateRollbackRequest, { uri });
  for (const w of r.warnings ?? []) output.warn(`rollback of ${uri}: ${w}`);
  if (!r.ok || !r.sql || !r.target) {
    void vscode.window.showWarningMessage(`pgdba: ${r.message}`);
    return;
  }
  const target = vscode.Uri.parse(r.target.uri);
  const generated = await vscode.workspace.openTextDocument({ language: 'sql', content: r.sql });
  if (r.target.exists) {
    await vscode.commands.executeCommand('vscode.diff', target, generated.uri, `${r.message} ↔ pgdba's generated rollback`);
    void vscode.window.showInformationMessage(`pgdba: ${r.message} already has a rollback; compare it with the generated one (nothing was changed).`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  if (r.target.sectionOffset !== undefined) {
    const doc = await vscode.workspace.openTextDocument(target);
    edit.insert(target, doc.positionAt(r.target.sectionOffset), (r.target.prefix ?? '') + r.sql);
  } else {
    edit.createFile(target, { overwrite: false, ignoreIfExists: false });
    edit.insert(target, new vscode.Position(0, 0), r.sql);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`pgdba: could not write ${r.message}.`);
    return;
  }
  await vscode.window.showTextDocument(target);
  const irreversible = (r.warnings ?? []).length;
  void vscode.window.showInformationMessage(`pgdba: wrote ${r.message}${irreversible ? ` (${irreversible} statements need review: see the pgdba output)` : ''}. Review it, then save.`);
}
