// pgdba.refreshQueryStats and pgdba.showTopQueries: read pg_stat_statements again (on demand and on an interval), and
// show the "pgdba: Top queries" view; statistics findings arrive as pgdba/statsDiagnostics in their own collection.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { queryStatsRequest, statsDiagnosticsNotification, type FolderQueryStats } from '../protocol';
import { TopQueriesView } from '../views/top-queries';

export class QueryStats implements vscode.Disposable {
  private readonly view = new TopQueriesView();
  private readonly tree: vscode.TreeView<unknown>;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('pgdba statistics');
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Messages already shown by an automatic refresh: a missing extension is said once, not every interval. */
  private readonly said = new Set<string>();

  constructor(private readonly client: LanguageClient) {
    this.tree = vscode.window.createTreeView('pgdba.topQueries', { treeDataProvider: this.view as vscode.TreeDataProvider<unknown>, showCollapseAll: true });
    this.disposables.push(this.tree, this.diagnostics);
    client.onNotification(statsDiagnosticsNotification, async (p) => {
      this.diagnostics.set(vscode.Uri.parse(p.uri), await client.protocol2CodeConverter.asDiagnostics(p.diagnostics));
    });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('pgdba.queryStats.refreshIntervalSeconds') && this.schedule()),
    );
  }

  /** Starts the interval refresh (after the client is running). */
  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = vscode.workspace.getConfiguration('pgdba').get<number>('queryStats.refreshIntervalSeconds', 300);
    if (seconds > 0) this.timer = setInterval(() => void this.refresh(false), seconds * 1000);
  }

  /** Reads the statistics again; `interactive` shows progress and every problem, otherwise a problem is said once. */
  async refresh(interactive: boolean): Promise<FolderQueryStats[]> {
    const ask = () => this.client.sendRequest(queryStatsRequest, { refresh: true });
    let folders: FolderQueryStats[];
    try {
      folders = interactive
        ? await vscode.window.withProgress({ location: { viewId: 'pgdba.topQueries' }, title: 'Reading pg_stat_statements…' }, ask)
        : await ask();
    } catch {
      return []; // the client is stopping or restarting: the next refresh will do
    }
    this.view.update(folders);
    for (const f of folders) {
      if (f.ok || !f.message || (!interactive && this.said.has(f.message))) continue;
      this.said.add(f.message);
      const [first, ...steps] = f.message.split('\n');
      void vscode.window.showWarningMessage(`pgdba: ${first}`, { detail: steps.join('\n'), modal: false });
    }
    return folders;
  }

  /** Focuses the view (reading the statistics first if it has none), then reveals the statement a code lens stands for. */
  async show(queryid?: unknown): Promise<void> {
    await vscode.commands.executeCommand('pgdba.topQueries.focus');
    if (this.view.getChildren().every((n) => n.kind === 'text')) await this.refresh(true);
    const node = typeof queryid === 'string' ? this.view.nodeFor(queryid) : undefined;
    // With several folders the statement sits under its folder, which reveal() cannot find (getParent is not tracked): the view is shown anyway.
    if (node) await this.tree.reveal(node as unknown, { select: true, focus: false }).then(undefined, () => undefined);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
