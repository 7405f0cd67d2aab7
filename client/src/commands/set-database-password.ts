// pgdba.setDatabasePassword: stores the dev database's password in SecretStorage (never in settings) and tells the server to reconnect.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { databaseTargetsRequest, passwordChangedNotification } from '../protocol';
import { passwordKey } from '../secrets';

const TARGET = /^[^@\s]+@[^\s/]+:\d+\/\S+$/;

async function chooseTarget(client: LanguageClient): Promise<string | undefined> {
  const targets = await client.sendRequest(databaseTargetsRequest);
  const unique = [...new Map(targets.map((t) => [t.target, t])).values()];
  if (unique.length === 1) return unique[0].target;
  if (unique.length > 1) {
    const pick = await vscode.window.showQuickPick(
      unique.map((t) => ({ label: t.target, description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(t.folderUri))} · ${t.source}` })),
      { title: 'pgdba: which database?' },
    );
    return pick?.label;
  }
  // Nothing configured yet: offer to set the URL first; the password can still be stored ahead of it.
  const next = await vscode.window.showQuickPick(
    [
      { label: 'Set the database URL first', detail: 'Opens the pgdba.database.url setting (a libpq URL without the password)', url: true },
      { label: 'Enter the connection for the password', detail: 'Store the password now, under user@host:port/database', url: false },
    ],
    { title: 'pgdba: no dev database is configured' },
  );
  if (!next) return undefined;
  if (next.url) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'pgdba.database.url');
    return undefined;
  }
  return vscode.window.showInputBox({
    title: 'pgdba: database password',
    prompt: 'No dev database is configured (pgdba.database.url or "database" in pgdba.json). Which connection is the password for?',
    placeHolder: 'user@localhost:5432/app',
    validateInput: (v) => (TARGET.test(v) ? undefined : 'Write it as user@host:port/database.'),
  });
}

export async function setDatabasePassword(context: vscode.ExtensionContext, client: LanguageClient): Promise<void> {
  const target = await chooseTarget(client);
  if (!target) return;
  const password = await vscode.window.showInputBox({
    title: `pgdba: password for ${target}`,
    prompt: 'Kept in VS Code SecretStorage (your OS keychain), never in settings. Leave empty to remove the stored password.',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return;
  if (password) await context.secrets.store(passwordKey(target), password);
  else await context.secrets.delete(passwordKey(target));
  await client.sendNotification(passwordChangedNotification, { target });
  void vscode.window.showInformationMessage(password ? `pgdba: password for ${target} saved.` : `pgdba: password for ${target} removed.`);
}
