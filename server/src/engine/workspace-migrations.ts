// The migrations PGlite is built from: the workspace's up migrations in apply order (plain .sql files when it has none), and where builds are cached.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverLayout, resolveSection, type WorkspaceFiles } from '../core/migrations';
import type { Migration } from './pglite-types';

/**
 * Up parts of the discovered migrations, in the tool's apply order. A workspace with no migration layout gets its
 * .sql files in path order instead (a schema.sql plus queries, say): what PGlite cannot run is skipped and reported.
 */
export function workspaceMigrations(files: WorkspaceFiles): Migration[] {
  const layout = discoverLayout(files);
  const out: Migration[] = [];
  if (layout.migrations.length > 0) {
    for (const m of layout.migrations) {
      const text = files.read(m.up.path);
      if (text === undefined) continue;
      const { start, end } = resolveSection(m.up, text);
      out.push({ id: m.id, sql: text.slice(start, end) });
    }
    return out;
  }
  for (const path of layout.plain) {
    const text = files.read(path);
    if (text !== undefined) out.push({ id: path, sql: text });
  }
  return out;
}

/**
 * Per-workspace cache folder for built PGlite data directories, outside the workspace (they are tens of MB of files
 * that file watchers and workspace walks should never see): $XDG_CACHE_HOME/pgdba/pglite/<hash of the root>.
 */
export function defaultPgliteCacheDir(workspaceRoot: string, env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = createHash('sha256').update(resolve(workspaceRoot)).digest('hex').slice(0, 16);
  return join(base, 'pgdba', 'pglite', id);
}
