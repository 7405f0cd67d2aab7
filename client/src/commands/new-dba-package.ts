// pgdba.newDbaPackage: asks for a brief id and scaffolds DBA_<BriefID>_<YYYYMMDD> in a workspace folder, then opens its spec.
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
  const result = await client.sendRequest(newPackageRequest, { folderUri: folder.uri.toString(), briefId });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`pgdba: ${result.message}`);
    return;
  }
  if (result.specUri) await vscode.window.showTextDocument(vscode.Uri.parse(result.specUri));
  void vscode.window.showInformationMessage(`pgdba: created DBA_${briefId} package. Fill the spec and the empty folders, then seal it with \`pgdba package seal\`.`);
}
