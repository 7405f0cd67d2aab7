// What an engine is built from: one project's schema sources (migrations in apply order, then schema files), and where builds are cached.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProjectConfig } from '../core/config';
import type { WorkspaceFiles } from '../core/migrations';
import { parseSql } from '../core/parse/parse';
import { buildProjects, schemaSources, sourceSql, type Project, type ProjectModel } from '../core/projects';
import { platformPrelude } from '../core/projects/platform';
import type { Migration } from './pglite-types';

export interface SourceChoice {
  /** A workspace-relative file: the engine is built for the project holding it. */
  forPath?: string;
  /** Or a project by name. */
  project?: string;
  /** The configured projects (pgdba.json), root-relative. */
  projects?: readonly ProjectConfig[];
}

/**
 * The project to build: the one holding `forPath`, else the one named, else the workspace's only project, else the
 * first one with migrations (several projects and nothing to choose by).
 */
export function chooseProject(model: ProjectModel, choice: SourceChoice): Project | undefined {
  if (choice.forPath !== undefined) {
    const i = model.projectOf.get(choice.forPath);
    if (i !== undefined) return model.projects[i];
  }
  if (choice.project !== undefined) return model.projects.find((p) => p.name === choice.project);
  return model.projects.length === 1 ? model.projects[0] : model.projects.find((p) => p.migrations.length > 0);
}

/**
 * The schema sources of a project as engine input, after what its platform makes first (Supabase's auth and storage
 * schemas). Needs the parser loaded (initParser) for schema files.
 */
export function projectMigrations(files: WorkspaceFiles, project: Project | undefined): Migration[] {
  if (!project) return [];
  const out: Migration[] = [];
  const prelude = platformPrelude(project.layout);
  if (prelude) out.push({ id: prelude.id, sql: prelude.sql, kind: 'platform' });
  for (const source of schemaSources(project)) {
    const text = files.read(source.path);
    if (text === undefined) continue;
    out.push({ id: source.id, sql: sourceSql(source, text, source.kind === 'schema' ? parseSql(text) : undefined), kind: source.kind });
  }
  return out;
}

/**
 * The statements PGlite is built from for one project (see `schemaSources`): its up migrations in the tool's apply
 * order, then its schema files; a folder of plain SQL gives its CREATE statements, never its queries. What PGlite
 * cannot run is skipped and reported.
 */
export function workspaceMigrations(files: WorkspaceFiles, choice: SourceChoice = {}): Migration[] {
  return projectMigrations(files, chooseProject(buildProjects(files, choice.projects ?? []), choice));
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
