// The migrations of a folder as rehearsal input: up and down texts per migration in apply order, one group per project.
import type { ProjectConfig } from '../core/config';
import { resolveSection, type Migration, type SqlSection, type WorkspaceFiles } from '../core/migrations';
import { buildProjects } from '../core/projects';
import { platformPrelude } from '../core/projects/platform';
import type { RehearsalMigration } from './rehearse';

export interface RehearsalRoot {
  /** The migrations folder, workspace-relative ('' for the folder itself). */
  root: string;
  layout: string;
  migrations: RehearsalMigration[];
  /** What the project's platform makes before its first migration (Supabase's auth and storage schemas), if anything. */
  prelude?: string;
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
  return {
    name: m.id,
    up: up.text,
    upLine: up.line,
    upPath: m.up.path,
    ...(m.down ? { down: down.text ?? '', downLine: down.line, downPath: m.down.path } : {}),
  };
}

/** Every project with migrations under the files (the same project model as the catalog), in the tool's apply order. */
export function rehearsalRoots(files: WorkspaceFiles, projects: readonly ProjectConfig[] = []): RehearsalRoot[] {
  return buildProjects(files, projects)
    .projects.filter((p) => p.migrations.length > 0)
    .map((p) => {
      const prelude = platformPrelude(p.layout);
      return {
        root: p.root,
        layout: p.layout,
        migrations: p.migrations.map((m) => toRehearsal(files, m)).filter((m): m is RehearsalMigration => !!m),
        ...(prelude ? { prelude: prelude.sql } : {}),
      };
    });
}
