// The node layer: WorkspaceFiles backed by node:fs, shared by the CLI and the language server; honours .gitignore.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { WorkspaceFiles } from '../core/migrations';
import { GitIgnore } from './git-ignore';

/** Folders that never hold the project's own migrations and are expensive to walk. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

/** Lists `dir` (whose workspace-relative posix path is `relDir`, '' for the root) into `out`. */
function walk(dir: string, relDir: string, out: string[], ignore: GitIgnore | undefined): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // Unreadable folder (permissions, removed while walking): skip it.
  }
  ignore?.load(
    relDir,
    entries.some((e) => e.name === '.gitignore' && e.isFile()),
  );
  // Paths are joined by hand (the names come from readdir): path.join normalising every entry cost more than reading.
  const prefix = relDir ? `${relDir}/` : '';
  for (const e of entries) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !ignore?.matches(rel, true)) walk(dir + sep + e.name, rel, out, ignore);
    } else if (e.isFile()) {
      if (!ignore?.matches(rel, false)) out.push(rel);
    } else if (e.isSymbolicLink()) {
      // Follow links to files only: linked folders can form cycles.
      try {
        if (statSync(dir + sep + e.name).isFile() && !ignore?.matches(rel, false)) out.push(rel);
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
      walk(root, '', out, rules);
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
