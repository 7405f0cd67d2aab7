// The code-intelligence view of a core Workspace: the catalog a file resolves against and the project's files in apply order.
import type { Workspace } from '../workspace/workspace';
import type { IntelFile, IntelProject } from './resolve';

/** Per workspace: the files of the projects asked about, as of one generation. */
const filesMemo = new WeakMap<Workspace, { generation: number; byFile: Map<string, IntelFile[]> }>();

/**
 * The project a file belongs to, as code intelligence needs it: the catalog the file is analysed against and the
 * project's own files (migrations in apply order, schema files, query files), read lazily once per call.
 */
export function intelProject(workspace: Workspace, current?: string): IntelProject {
  let files: IntelFile[] | undefined;
  return {
    catalog: workspace.catalog(current),
    files() {
      if (files) return files;
      // The list is the same until a text or a file changes (the workspace's generation): a hover, a completion or a
      // lens refresh between two edits does not gather the project's files again.
      let memo = filesMemo.get(workspace);
      if (memo?.generation !== workspace.generation) filesMemo.set(workspace, (memo = { generation: workspace.generation, byFile: new Map() }));
      const key = current ?? '\u0000';
      files = memo.byFile.get(key);
      if (files) return files;
      const project = current === undefined ? undefined : workspace.projectOf(current);
      const paths = project
        ? [
            ...new Set(
              [...project.migrations.flatMap((m) => [m.up.path, m.down?.path, m.verify?.path]), ...project.schema, ...project.queries].filter(
                (p): p is string => !!p,
              ),
            ),
          ]
        : workspace.sqlFiles();
      // The file being edited counts even before the workspace has listed it (created since, or not on disk).
      if (current && !paths.includes(current)) paths.push(current);
      files = paths.flatMap((p) => intelFiles(workspace, p));
      memo.byFile.set(key, files);
      return files;
    },
    searchPath: ['public'],
  };
}

/** A file's parts (one per role; a dbmate file has an up and a down section). */
export function intelFiles(workspace: Workspace, path: string): IntelFile[] {
  const parsed = workspace.parsed(path);
  if (!parsed) return [];
  return workspace.fileParts(path).map((part) => ({
    path,
    parsed,
    role: part.role,
    section: part.section,
    migration: part.migration ? migrationLabel(part.migration.id) : undefined,
  }));
}

/** The file as code intelligence sees it: its first part (a dbmate file's up section covers its statements first). */
export function intelFile(workspace: Workspace, path: string): IntelFile | undefined {
  const parts = intelFiles(workspace, path);
  if (parts.length <= 1) return parts[0] ?? (workspace.parsed(path) ? { path, parsed: workspace.parsed(path)!, role: 'plain' } : undefined);
  // A file with several sections: the whole file, so a name in any section is found.
  return { ...parts[0], section: undefined };
}

/** A migration as its folder or file is named (`2019-03-03-163336_create_post`, `0001_init`). */
function migrationLabel(id: string): string {
  const base = id.slice(id.lastIndexOf('/') + 1);
  return base.replace(/(\.(up|down))?\.sql$/i, '');
}
