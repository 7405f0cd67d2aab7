// The node layer: WorkspaceFiles backed by node:fs, shared by the CLI and the language server; honours .gitignore.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { WorkspaceFiles } from '../core/migrations';
import { GitIgnore } from './git-ignore';

/** Folders that never hold the project's own migrations and are expensive to walk. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

function walk(root: string, dir: string, out: string[], ignore: GitIgnore | undefined): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // Unreadable folder (permissions, removed while walking): skip it.
  }
  const relDir = relative(root, dir).split(sep).join('/');
  ignore?.load(
    relDir,
    entries.some((e) => e.name === '.gitignore' && e.isFile()),
  );
  const rel = (name: string) => (relDir ? `${relDir}/${name}` : name);
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !ignore?.matches(rel(e.name), true)) walk(root, full, out, ignore);
    } else if (e.isFile()) {
      if (!ignore?.matches(rel(e.name), false)) out.push(rel(e.name));
    } else if (e.isSymbolicLink()) {
      // Follow links to files only: linked folders can form cycles.
      try {
        if (statSync(full).isFile() && !ignore?.matches(rel(e.name), false)) out.push(rel(e.name));
      } catch {
        // Dangling link.
      }
    }
  }
}

export interface NodeFilesOptions {
  /** Leave out what git ignores (.gitignore files, .git/info/exclude); default true. */
  gitignore?: boolean;
}

/**
 * Lists `rootDir` recursively on every `list()` call (so edits on disk show up), with workspace-relative posix
 * paths, leaving out ignored files. `read` refuses paths that leave the root and returns undefined for unreadable files.
 */
export function nodeWorkspaceFiles(rootDir: string, options: NodeFilesOptions = {}): WorkspaceFiles {
  const root = resolve(rootDir);
  const useIgnore = options.gitignore ?? true;
  // Rules are read again on each listing, so an edited .gitignore takes effect with the next one.
  let rules = useIgnore ? new GitIgnore(root) : undefined;
  return {
    list() {
      const out: string[] = [];
      if (useIgnore) rules = new GitIgnore(root);
      walk(root, root, out, rules);
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
    ignored: (path) => !!rules && !path.startsWith('../') && !/^[a-z]+:/i.test(path) && rules.ignored(path),
  };
}
