// The "pgdba: Top queries" view: pg_stat_statements of each folder's dev database, each statement opening where it lives.
import * as vscode from 'vscode';
import type { FolderQueryStats } from '../protocol';

type Node =
  | { kind: 'folder'; folder: FolderQueryStats }
  | { kind: 'group'; folder: FolderQueryStats; group: 'queries' | 'tables' }
  | { kind: 'query'; query: FolderQueryStats['queries'][number] }
  | { kind: 'table'; table: FolderQueryStats['tables'][number] }
  | { kind: 'text'; text: string; tooltip?: string };

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export class TopQueriesView implements vscode.TreeDataProvider<Node> {
  private folders: FolderQueryStats[] = [];
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly queryNodes = new Map<string, Node>();

  update(folders: FolderQueryStats[]): void {
    this.folders = folders;
    this.queryNodes.clear();
    this.changed.fire(undefined);
  }

  /** The node of a statement by queryid, for revealing it from a code lens. */
  nodeFor(queryid: string): Node | undefined {
    if (!this.queryNodes.size) for (const f of this.folders) for (const q of f.queries) this.queryNodes.set(q.queryid, { kind: 'query', query: q });
    return this.queryNodes.get(queryid);
  }

  getParent(): undefined {
    return undefined; // reveal() is used on top-level statements only (one folder)
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (!this.folders.length) return [{ kind: 'text', text: 'Run "pgdba: Refresh query statistics" to read pg_stat_statements.' }];
      if (this.folders.length === 1) return this.folderChildren(this.folders[0]);
      return this.folders.map((folder) => ({ kind: 'folder', folder }));
    }
    if (node.kind === 'folder') return this.folderChildren(node.folder);
    if (node.kind === 'group') {
      return node.group === 'tables' ? node.folder.tables.map((table) => ({ kind: 'table', table })) : [];
    }
    return [];
  }

  private folderChildren(f: FolderQueryStats): Node[] {
    if (!f.ok) return (f.message ?? 'Query statistics are unavailable.').split('\n').map((text) => ({ kind: 'text', text, tooltip: f.message }));
    const queries: Node[] = f.queries.map((q) => this.nodeFor(q.queryid) ?? { kind: 'query', query: q });
    const notes: Node[] = f.notes.map((text) => ({ kind: 'text', text: `⚠ ${text}`, tooltip: text }));
    return [...notes, ...queries, ...(f.tables.length ? [{ kind: 'group' as const, folder: f, group: 'tables' as const }] : [])];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(
          vscode.Uri.parse(node.folder.folderUri).path.split('/').pop() ?? node.folder.folderUri,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.description = node.folder.source;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem('Tables', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = 'pg_stat_user_tables';
        return item;
      }
      case 'table': {
        const item = new vscode.TreeItem(node.table.name);
        item.description = node.table.summary;
        item.tooltip = node.table.summary;
        return item;
      }
      case 'text': {
        const item = new vscode.TreeItem(node.text);
        item.tooltip = node.tooltip ?? node.text;
        return item;
      }
      case 'query': {
        const q = node.query;
        const item = new vscode.TreeItem(q.query ? oneLine(q.query) : '(query text hidden)');
        const where = q.location
          ? vscode.workspace.asRelativePath(vscode.Uri.parse(q.location.uri)) + `:${q.location.range.start.line + 1}`
          : 'not in this workspace';
        item.description = `${q.title} — ${where}${q.more ? ` (+${q.more} more)` : ''}`;
        item.tooltip = new vscode.MarkdownString()
          .appendCodeblock(q.query || '(hidden: needs pg_read_all_stats)', 'sql')
          .appendMarkdown(`\n\n${q.title}\n\n${where}`);
        item.iconPath = new vscode.ThemeIcon(q.location ? 'symbol-event' : 'question');
        if (q.location) {
          const r = q.location.range;
          const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
          item.command = { title: 'Open statement', command: 'vscode.open', arguments: [vscode.Uri.parse(q.location.uri), { selection }] };
        }
        return item;
      }
    }
  }
}
