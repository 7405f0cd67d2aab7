// The node layer's view of a workspace's projects: its files (ignore rules and `exclude` applied) and configured projects.
import { dirname, join, relative, sep } from 'node:path';
import { normalizeProjectPath, type ProjectConfig } from '../core/config';
import type { WorkspaceFiles } from '../core/migrations';
import { buildProjects, type ProjectModel } from '../core/projects';
import type { ConfigFiles } from './config-files';
import { nodeWorkspaceFiles } from './workspace-files';

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * The projects pgdba.json configures for a workspace root, their paths made root-relative: the pgdba.json may sit above
 * the root (a monorepo checked from one service's folder). Projects outside the root are left out.
 */
export function configuredProjects(root: string, configs: ConfigFiles): ProjectConfig[] {
  const resolved = configs.forPath(join(root, 'pgdba.json'));
  const projects = resolved.config.projects;
  const prefix = resolved.path ? toPosix(relative(dirname(resolved.path), root)) : '';
  // `--config` from elsewhere, or the root's own pgdba.json: paths are the root's already.
  if (!prefix || prefix.startsWith('..')) return projects;
  const strip = (p: string) => {
    const n = normalizeProjectPath(p);
    return n === prefix ? '' : n.startsWith(`${prefix}/`) ? n.slice(prefix.length + 1) : undefined;
  };
  return projects.flatMap((p) => {
    const migrations = p.migrations === undefined ? undefined : strip(p.migrations);
    if (p.migrations !== undefined && migrations === undefined) return [];
    const schema = p.schema.map(strip).filter((s): s is string => s !== undefined);
    // A pattern reaching into the root keeps its rest; one starting with `**` matches at any depth.
    const queries = p.queries.flatMap((g) => {
      if (g.startsWith('**')) return [g];
      const rest = strip(g);
      return rest === undefined ? [] : [rest === '' ? '**' : rest];
    });
    return [{ ...p, ...(migrations === undefined ? {} : { migrations }), schema, queries }];
  });
}

/** The root's files as the project model sees them: what git ignores and what `exclude` names are left out. */
export function projectFiles(root: string, configs: ConfigFiles): WorkspaceFiles {
  const files = nodeWorkspaceFiles(root);
  const excludedBy = (prefixes: readonly string[], rel: string) => prefixes.some((prefix) => rel.startsWith(prefix));
  const excluded = (rel: string) => excludedBy(configs.forPath(join(root, rel)).config.exclude, rel);
  return {
    list: () => {
      const all = files.list();
      // Without a pgdba.json below the root every file has the root's config: one lookup instead of one per folder.
      if (all.some((p) => p.endsWith('/pgdba.json'))) return all.filter((p) => !excluded(p));
      const prefixes = configs.forPath(join(root, 'pgdba.json')).config.exclude;
      return prefixes.length ? all.filter((p) => !excludedBy(prefixes, p)) : all;
    },
    read: (p) => files.read(p),
    ignored: (p) => !!files.ignored?.(p) || excluded(p),
  };
}

/** The project model of a workspace root. */
export function nodeProjects(root: string, configs: ConfigFiles): ProjectModel {
  return buildProjects(projectFiles(root, configs), configuredProjects(root, configs));
}
