// The status bar item: engine, connection state and finding count; clicking it opens the pgdba actions quick pick.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { statusNotification, type StatusParams } from './protocol';
import { markDatabaseConnected } from './walkthrough';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgdba.status', vscode.StatusBarAlignment.Right, 100);

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'pgdba';
    this.item.command = 'pgdba.showActions';
    this.item.text = '$(database) pgdba';
    this.item.tooltip = 'pgdba: starting the language server…';
    this.item.show();
  }

  listen(): void {
    this.client.onNotification(statusNotification, (p) => this.update(p));
    this.item.tooltip = 'pgdba: ready';
  }

  update(p: StatusParams): void {
    markDatabaseConnected(p.engine, p.state);
    const engine = p.engine ?? 'PGlite';
    const icon = p.state === 'error' ? '$(error)' : p.state === 'analysing' ? '$(sync~spin)' : '$(database)';
    this.item.text = `${icon} pgdba ${p.findings ? `${p.findings}` : '✓'}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**pgdba** — ${p.message ?? p.state}\n\nEngine: ${engine}\n\nFindings in this file: ${p.findings} (${p.errors} errors)\n\nClick for pgdba actions.`,
    );
    this.item.backgroundColor = p.errors ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
