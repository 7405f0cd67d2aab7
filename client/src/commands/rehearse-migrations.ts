// pgdba.rehearseMigrations: up → down → up of a folder's migrations on PGlite, with the report in the pgdba output and
// each failure as a diagnostic on its down file (the server publishes those).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { rehearseRequest } from '../protocol';
import { rehearsalSummary } from '../rehearsal-summary';

export async function rehearseMigrations(client: LanguageClient, output: vscode.LogOutputChannel): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder whose migrations to rehearse' });
  if (!folder) return;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Own down files', down: 'files' as const, detail: "Prove that the project's down migrations restore the schema" },
      { label: 'Generated rollbacks', down: 'generated' as const, detail: "Prove that pgdba's generated rollbacks restore the schema" },
    ],
    { title: 'pgdba: Rehearse migrations' },
  );
  if (!pick) return;
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'pgdba: rehearsing migrations (up → down → up on PGlite)…' },
    () => client.sendRequest(rehearseRequest, { folderUri: folder.uri.toString(), down: pick.down }),
  );
  output.info(`Rehearsal of ${folder.name} (${pick.label}):\n${r.report}`);
  const summary = rehearsalSummary(r.report);
  if (r.ok) {
    void vscode.window.showInformationMessage(`pgdba: ${summary}`);
    return;
  }
  const actions = r.problems ? ['Show Problems', 'Show Report'] : ['Show Report'];
  const choice = await vscode.window.showWarningMessage(`pgdba: rehearsal of ${folder.name} failed: ${summary}`, ...actions);
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === 'Show Report') output.show(true);
}
