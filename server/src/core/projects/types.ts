// The project model: a workspace holds projects, each one ordered migration set with its schema and query files.
import type { LayoutKind, Migration, WorkspaceLayout } from '../migrations';

export type ProjectLayout = LayoutKind | 'sqlc';

export interface Project {
  /** From pgdba.json, sqlc.yaml, or the migrations folder's path ('.' for a workspace of plain SQL). */
  name: string;
  /** The migrations folder, else the sqlc.yaml folder, else '' (workspace-relative, posix). */
  root: string;
  layout: ProjectLayout;
  /** In apply order. */
  migrations: Migration[];
  /** Schema files (a schema dump, structure.sql, sqlc schema files), applied after the migrations in this order. */
  schema: string[];
  /** Every other SQL file of the project, analysed against its schema and never building it. */
  queries: string[];
  /** Where the project came from. */
  origin: 'config' | 'detected' | 'sqlc' | 'plain';
  /** Said to the user by `pgdba migrations`, e.g. that a configured folder's layout was not recognised. */
  notes: string[];
}

export interface ProjectProblem {
  path: string;
  message: string;
}

export interface ProjectModel {
  /** The discovered layout, its `migrations` replaced by every project's migrations (configured folders included). */
  layout: WorkspaceLayout;
  projects: Project[];
  /** Workspace path → index in `projects` of the project holding it (migration parts, schema and query files). */
  projectOf: Map<string, number>;
  problems: ProjectProblem[];
}
