// `package new --security <workspace dir>`: roles, grants, RLS and SECURITY DEFINER routines as the workspace's SQL
// declares them (from the catalog), into security/. Only declared facts; gaps become notes.
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Catalog } from '../../core/catalog/types';
import { PackageError } from '../../core/package/naming';
import type { FillResult } from '../../core/package/plan';
import { initParser } from '../../core/parse/parse';
import { Workspace } from '../../core/workspace/workspace';
import { ConfigFiles } from '../../node/config-files';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import type { PackageFiller } from '../new-package';

/** The security posture the catalog records, as markdown tables. */
export function securityMarkdown(catalog: Catalog, tenantColumns: string[]): string {
  const tables = [...catalog.tables.values()].filter((t) => t.kind === 'table').sort((a, b) => a.key.localeCompare(b.key));
  const rows = tables.map((t) => {
    const tenant = tenantColumns.find((c) => t.columns.has(c)) ?? '';
    const policies = t.policies.map((p) => `${p.name} (${p.command}${p.roles.length ? ` to ${p.roles.join(', ')}` : ''})`).join('; ');
    const grants = t.grants.map((g) => `${g.privileges.join('/')} → ${g.grantee}`).join('; ');
    return `| ${t.key} | ${tenant || '—'} | ${t.rls.enabled ? 'yes' : 'no'} | ${t.rls.forced ? 'yes' : 'no'} | ${policies || '—'} | ${grants || '—'} |`;
  });
  const routines = [...catalog.functions.values()]
    .flat()
    .filter((f) => f.securityDefiner)
    .sort((a, b) => a.key.localeCompare(b.key));
  const routineRows = routines.map(
    (f) =>
      `| ${f.key}(${f.argTypes.join(', ')}) | ${f.kind} | ${f.searchPath ? f.searchPath.join(', ') : 'not pinned'} | ${f.publicExecute ? 'yes' : 'no'} | ${f.grants.map((g) => g.grantee).join(', ') || '—'} |`,
  );
  return [
    '# Security: roles, grants and row level security',
    '',
    'Extracted by pgdba from the workspace SQL (migrations in order, then plain SQL files). Only what the SQL declares is listed.',
    '',
    '## Tables',
    '',
    '| table | tenant column | RLS enabled | RLS forced | policies | grants |',
    '| --- | --- | --- | --- | --- | --- |',
    ...(rows.length ? rows : ['| (no tables) | | | | | |']),
    '',
    '## SECURITY DEFINER routines',
    '',
    '| routine | kind | search_path | EXECUTE for PUBLIC | granted to |',
    '| --- | --- | --- | --- | --- |',
    ...(routineRows.length ? routineRows : ['| (none) | | | | |']),
    '',
  ].join('\n');
}

export const securityFiller: PackageFiller = {
  name: 'security',
  flags: ['security'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const dir = ctx.flags.security?.[0];
    if (!dir) {
      // Not asked for: the section's DBA gate checklist already says what is missing.
      return result;
    }
    const root = resolve(ctx.cwd, dir);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new PackageError(`--security ${dir}: not a folder`);
    await initParser();
    const configs = new ConfigFiles();
    const workspace = new Workspace({ files: nodeWorkspaceFiles(root), configFor: (rel) => configs.forPath(resolve(root, rel)).config });
    const catalog = workspace.catalog();
    const columns = configs.forPath(resolve(root, 'x.sql')).config.tenant.columns;
    result.files.push({ section: 'security', name: 'rls-and-grants.md', content: securityMarkdown(catalog, columns) });
    result.inputs.push(`catalog of \`${relative(ctx.cwd, root) || '.'}\` → \`${ctx.layout.folders.security}/rls-and-grants.md\``);
    const open = [...catalog.tables.values()].filter((t) => t.kind === 'table' && !t.partitionOf && columns.some((c) => t.columns.has(c)) && !t.rls.enabled);
    if (open.length) result.notes.push({ about: 'security', text: `tenant tables without row level security: ${open.map((t) => t.key).join(', ')}` });
    return result;
  },
};
