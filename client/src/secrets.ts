// Database passwords in VS Code SecretStorage (the OS keychain), keyed by connection target; the server asks for them with pgdba/password.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { passwordRequest } from './protocol';

/** SecretStorage key for `user@host:port/database`. */
export function passwordKey(target: string): string {
  return `pgdba.password:${target}`;
}

/** Answers the server's pgdba/password requests; registered before the client starts, so it survives restarts. */
export function servePasswords(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(client.onRequest(passwordRequest, async (params) => (await context.secrets.get(passwordKey(params.target))) ?? null));
}
