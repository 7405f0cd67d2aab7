// pgdba.newDbaPackage: asks for a brief id and where (default dba/), scaffolds DBA_<BriefID>_<YYYYMMDD> there, then opens its spec.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { newPackageRequest } from '../protocol';

export async function newDbaPackage(client: LanguageClient): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showWarningMessage('pgdba: open a folder to create a DBA package in it.');
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the DBA package' });
  if (!folder) return;
  const briefId = await vscode.window.showInputBox({
    title: 'pgdba: New DBA package',
    prompt: 'Brief id (letters, digits, - and _), e.g. CHG-1234',
    validateInput: (v) => (/^[A-Za-z0-9_-]+$/.test(v) ? undefined : 'Use only letters, digits, - and _'),
  });
  if (!briefId) return;
  const dir = await vscode.window.showInputBox({
    title: 'pgdba: New DBA package',
    prompt: `Folder for the package, relative to ${folder.name} (created if missing)`,
    value: 'dba',
    validateInput: (v) =>
      v.trim() && !v.split(/[\\/]/).includes('..') && !/^([\\/]|[A-Za-z]:)/.test(v) ? undefined : 'A folder inside the workspace folder, e.g. dba',
  });
  if (dir === undefined) return;
  const result = await client.sendRequest(newPackageRequest, { folderUri: folder.uri.toString(), briefId, dir: dir.trim() });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`pgdba: ${result.message}`);
    return;
  }
  if (result.specUri) await vscode.window.showTextDocument(vscode.Uri.parse(result.specUri));
  void vscode.window.showInformationMessage(
    `pgdba: created the DBA_${briefId} package in ${dir.trim()}/. Fill the spec and the empty folders, then run "pgdba: Seal DBA package".`,
  );
}
