// The server's state: one core Workspace per workspace folder (plus loose files), configs and the open documents' versions.
import { dirname, relative, sep } from 'node:path';
import { URI } from 'vscode-uri';
import type { Finding } from '../core/analyze';
import type { Config } from '../core/config';
import { Workspace } from '../core/workspace/workspace';
import { ConfigFiles } from '../node/config-files';
import { nodeWorkspaceFiles } from '../node/workspace-files';

export interface Located {
  workspace: Workspace;
  root: string;
  /** Workspace-relative posix path. */
  path: string;
}

export class Session {
  private readonly workspaces = new Map<string, Workspace>();
  private readonly loose = new Map<string, Workspace>();
  readonly configs = new ConfigFiles();
  folders: string[] = [];

  setFolders(uris: string[]): void {
    this.folders = uris.map((u) => URI.parse(u).fsPath).sort((a, b) => b.length - a.length);
    for (const root of [...this.workspaces.keys()]) if (!this.folders.includes(root)) this.workspaces.delete(root);
  }

  private workspaceFor(root: string, map: Map<string, Workspace>, virtual = false): Workspace {
    let ws = map.get(root);
    if (!ws) {
      const files = virtual ? { list: () => [], read: () => undefined } : nodeWorkspaceFiles(root);
      ws = new Workspace({ files, configFor: (rel) => (virtual ? this.configs.defaults() : this.configFor(root, rel)) });
      map.set(root, ws);
    }
    return ws;
  }

  /** The workspace of a workspace folder (created on first use). */
  workspaceAt(root: string): Workspace {
    return this.workspaceFor(root, this.workspaces);
  }

  configFor(root: string, rel: string): Config {
    return this.configs.forPath(`${root}${sep}${rel.split('/').join(sep)}`).config;
  }

  /** Which workspace a document belongs to: the innermost folder that contains it, else a workspace of its own folder. */
  locate(uri: string): Located | undefined {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') {
      // Untitled and virtual documents: analysed on their own, with nothing on disk around them.
      return { workspace: this.workspaceFor(`${parsed.scheme}:`, this.loose, true), root: `${parsed.scheme}:`, path: uri };
    }
    const fsPath = parsed.fsPath;
    const root = this.folders.find((f) => fsPath === f || fsPath.startsWith(f + sep));
    if (root) return { workspace: this.workspaceFor(root, this.workspaces), root, path: relative(root, fsPath).split(sep).join('/') };
    const dir = dirname(fsPath);
    return { workspace: this.workspaceFor(dir, this.loose), root: dir, path: relative(dir, fsPath).split(sep).join('/') };
  }

  /** Every workspace that could see a file on disk (for watched-file events). */
  allWorkspaces(): { root: string; workspace: Workspace }[] {
    return [...this.workspaces, ...this.loose].map(([root, workspace]) => ({ root, workspace }));
  }

  findings(uri: string): Finding[] {
    const at = this.locate(uri);
    return at ? at.workspace.analyze(at.path) : [];
  }
}
