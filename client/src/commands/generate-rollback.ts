// pgdba.generateRollback: writes the generated down migration where the layout wants it; never over an existing one
// (then a diff against what is there opens instead).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { generateRollbackRequest } from '../protocol';

/**
 * Read-only documents holding generated rollbacks, for the diff against an existing down file: an untitled document
 * would leave a dirty "Untitled-1" tab whose closing asks to save it.
 */
export class GeneratedRollbacks implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'pgdba-rollback';
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(GeneratedRollbacks.scheme, this);

  /** A URI whose document reads `sql`, named after the down file it would be. */
  show(target: vscode.Uri, sql: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: GeneratedRollbacks.scheme, path: target.path, query: String(this.texts.size) });
    this.texts.set(uri.toString(), sql);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}

export async function generateRollback(client: LanguageClient, output: vscode.LogOutputChannel, previews: GeneratedRollbacks, arg?: unknown): Promise<void> {
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
  if (r.target.exists) {
    await vscode.commands.executeCommand('vscode.diff', target, previews.show(target, r.sql), `${r.message} ↔ pgdba's generated rollback`);
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
  const editor = await vscode.window.showTextDocument(target);
  const irreversible = (r.warnings ?? []).length;
  const review = irreversible ? ` ${irreversible === 1 ? '1 statement needs' : `${irreversible} statements need`} review: see the pgdba output.` : '';
  // VS Code saves a file a workspace edit created (files.refactoring.autoSave); an edit into an open file stays unsaved.
  const state = editor.document.isDirty ? 'Review it, then save.' : 'It is saved; review it.';
  void vscode.window.showInformationMessage(`pgdba: wrote ${r.message}. ${state}${review}`);
}
