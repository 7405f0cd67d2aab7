// The node layer: WorkspaceFiles backed by node:fs, shared by the CLI and the language server.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { WorkspaceFiles } from '../core/migrations';

/** Folders that never hold the project's own migrations and are expensive to walk. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

function walk(root: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // Unreadable folder (permissions, removed while walking): skip it.
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) walk(root, full, out);
    } else if (e.isFile()) {
      out.push(relative(root, full).split(sep).join('/'));
    } else if (e.isSymbolicLink()) {
      // Follow links to files only: linked folders can form cycles.
      try {
        if (statSync(full).isFile()) out.push(relative(root, full).split(sep).join('/'));
      } catch {
        // Dangling link.
      }
    }
  }
}

/**
 * Lists `rootDir` recursively on every `list()` call (so edits on disk show up), with workspace-relative posix
 * paths. `read` refuses paths that leave the root and returns undefined for unreadable files.
 */
export function nodeWorkspaceFiles(rootDir: string): WorkspaceFiles {
  const root = resolve(rootDir);
  return {
    list() {
      const out: string[] = [];
      walk(root, root, out);
      return out.sort();
    },
    read(path) {
      const full = resolve(root, path);
      if (full !== root && !full.startsWith(root + sep)) return undefined;
      try {
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
