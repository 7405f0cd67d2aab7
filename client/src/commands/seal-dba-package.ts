// pgdba.sealDbaPackage: seals a DBA package (the hash of every listed file into its manifest), as `pgdba package seal`.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { sealPackageRequest } from '../protocol';

const MANIFEST = /(^|\/)DBA_[A-Za-z0-9_-]+_\d{8}_package\.json$/;

/** The manifest in the active editor, else the one the user picks among the workspace's packages. */
async function chooseManifest(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && MANIFEST.test(active.path)) return active;
  const found = await vscode.workspace.findFiles('**/DBA_*_package.json', '**/node_modules/**');
  const manifests = found.filter((u) => MANIFEST.test(u.path));
  if (manifests.length === 0) {
    void vscode.window.showWarningMessage('pgdba: no DBA package in this workspace (create one with "pgdba: New DBA package").');
    return undefined;
  }
  if (manifests.length === 1) return manifests[0];
  const pick = await vscode.window.showQuickPick(
    manifests.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'pgdba: Seal DBA package', placeHolder: 'Which package?' },
  );
  return pick?.uri;
}

export async function sealDbaPackage(client: LanguageClient): Promise<void> {
  const manifest = await chooseManifest();
  if (!manifest) return;
  // Sealing hashes the files on disk: unsaved edits in the package would not be what is sealed.
  const unsaved = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.path.startsWith(manifest.path.replace(/_package\.json$/, '')));
  if (unsaved.length && !(await vscode.workspace.saveAll(false))) return;
  const r = await client.sendRequest(sealPackageRequest, { manifestUri: manifest.toString() });
  if (r.ok) void vscode.window.showInformationMessage(`pgdba: ${r.message}`);
  else void vscode.window.showErrorMessage(`pgdba: ${r.message}`);
}
