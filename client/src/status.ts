// The status bar item: engine, connection state and the active editor's finding count; clicking it opens the pgdba actions quick pick.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { statusNotification, type StatusParams } from './protocol';
import { markDatabaseConnected } from './walkthrough';

/** pgdba's findings on a document as the editor holds them (lint diagnostics and pushed rehearsal or plan ones). */
export function activeCounts(uri: vscode.Uri | undefined): { findings: number; errors: number } {
  if (!uri) return { findings: 0, errors: 0 };
  const mine = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdba' || String(d.source ?? '').startsWith('pgdba'));
  return { findings: mine.length, errors: mine.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length };
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgdba.status', vscode.StatusBarAlignment.Right, 100);
  private last: StatusParams = { state: 'ready', findings: 0, errors: 0 };
  private readonly watchers: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'pgdba';
    this.item.command = 'pgdba.showActions';
    this.item.text = '$(database) pgdba';
    this.item.tooltip = 'pgdba: starting the language server…';
    this.item.show();
  }

  listen(): void {
    this.client.onNotification(statusNotification, (p) => this.update(p));
    // The count follows the active editor, not the document the server last analysed (VS Code pulls every visible one).
    const active = () => vscode.window.activeTextEditor?.document.uri;
    this.watchers.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update(this.last)),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const uri = active();
        if (uri && e.uris.some((u) => u.toString() === uri.toString())) this.update(this.last);
      }),
    );
    this.item.tooltip = 'pgdba: ready';
  }

  update(engineState: StatusParams): void {
    this.last = engineState;
    const p = { ...engineState, ...activeCounts(vscode.window.activeTextEditor?.document.uri) };
    markDatabaseConnected(p.engine, p.state);
    const engine = p.engine ?? 'PGlite';
    const icon = p.state === 'error' ? '$(error)' : p.state === 'analysing' ? '$(sync~spin)' : '$(database)';
    // While PGlite builds, the count of migrations in (the window progress says the same; this one is always visible).
    const building = p.state === 'analysing' && p.progress ? ` · PGlite ${p.progress.done}/${p.progress.total}` : '';
    this.item.text = `${icon} pgdba ${p.findings ? `${p.findings}` : '✓'}${building}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**pgdba** — ${p.message ?? p.state}\n\nEngine: ${engine}\n\nFindings in this file: ${p.findings} (${p.errors} errors)\n\nClick for pgdba actions.`,
    );
    this.item.backgroundColor = p.errors ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    this.item.dispose();
  }
}
