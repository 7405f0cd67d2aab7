// The migrations of a folder as rehearsal input: up and down texts per migration in apply order, grouped by migrations root.
import { discoverLayout, resolveSection, type Migration, type SqlSection, type WorkspaceFiles } from '../core/migrations';
import type { RehearsalMigration } from './rehearse';

export interface RehearsalRoot {
  /** The migrations folder, workspace-relative ('' for the folder itself). */
  root: string;
  layout: string;
  migrations: RehearsalMigration[];
}

function section(files: WorkspaceFiles, s: SqlSection | undefined): { text?: string; line: number } {
  if (!s) return { line: 1 };
  const full = files.read(s.path);
  if (full === undefined) return { line: 1 };
  const { start, end } = resolveSection(s, full);
  return { text: full.slice(start, end), line: 1 + (full.slice(0, start).match(/\n/g)?.length ?? 0) };
}

function toRehearsal(files: WorkspaceFiles, m: Migration): RehearsalMigration | undefined {
  const up = section(files, m.up);
  if (up.text === undefined) return undefined;
  const down = section(files, m.down);
  return { name: m.id, up: up.text, upLine: up.line, upPath: m.up.path, ...(m.down ? { down: down.text ?? '', downLine: down.line, downPath: m.down.path } : {}) };
}

/** Every migrations root under the files, each with its migrations in the tool's apply order. */
export function rehearsalRoots(files: WorkspaceFiles): RehearsalRoot[] {
  const layout = discoverLayout(files);
  return layout.roots.map((r) => ({
    root: r.path,
    layout: r.layout,
    migrations: layout.migrations
      .filter((m) => m.root === r.path && m.layout === r.layout)
      .map((m) => toRehearsal(files, m))
      .filter((m): m is RehearsalMigration => !!m),
  }));
}
