// Markdown for hovering a name: a table's columns, indexes, RLS, policies, tenant column and history; a column's type and history; a function's signature and attributes.
import { tenantColumnOf } from '../facts/tenant';
import { as, defElems, str } from '../parse/ast';
import type { Catalog, FunctionDef, Loc, Table } from '../catalog/types';
import { platformOf } from '../projects/platform';
import { displayType } from './builtins';
import { historyLine, historyOf, type HistoryEntry } from './history';
import { lookup, type IntelProject, type ObjectRef } from './resolve';

export interface HoverOptions {
  tenantColumns: readonly string[];
  /** A link to a place in a project file (markdown target). */
  link(file: string, offset: number): string;
}

/** Where an object was made: a link to the statement, or the platform that made it before the first migration. */
function definedIn(loc: Loc, opts: HoverOptions): string {
  const platform = platformOf(loc.file);
  return platform ? `Made by the ${platform} platform before the first migration.` : `Defined in [${loc.file}](${opts.link(loc.file, loc.start)})`;
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function historyText(project: IntelProject, o: ObjectRef, opts: HoverOptions): string | undefined {
  const entries = historyOf(project, o);
  return historyLine(entries, (e: HistoryEntry) => `[${e.where.replace(/[[\]]/g, '')}](${opts.link(e.file, e.start)})`);
}

function tableMarkdown(project: IntelProject, t: Table, opts: HoverOptions): string {
  const kind = t.kind === 'materialized-view' ? 'materialized view' : t.kind;
  const lines = [
    `**${kind}** ${code(t.key)}${t.partition ? ` — partitioned by ${t.partition.strategy} (${t.partition.columns.join(', ')})` : ''}${t.partitionOf ? ` — partition of ${code(t.partitionOf)}` : ''}`,
  ];
  const history = historyText(project, { kind: 'table', key: t.key }, opts);
  if (platformOf(t.loc.file)) lines.push('', definedIn(t.loc, opts));
  if (history) lines.push('', history);
  if (t.comment) lines.push('', t.comment);
  if (t.columns.size) {
    lines.push('', '| column | type | null | default |', '| --- | --- | --- | --- |');
    for (const c of t.columns.values()) {
      const dflt = c.identity ? `identity (${c.identity})` : c.generated ? `generated (${c.generatedExpr ?? c.generated})` : (c.default ?? '');
      lines.push(`| ${cell(c.name)} | ${cell(c.typeSql ?? c.type)} | ${c.notNull ? 'not null' : ''} | ${cell(dflt)} |`);
    }
  }
  const indexes = [...project.catalog.indexes.values()].filter((i) => i.table === t.key);
  if (indexes.length) lines.push('', `**Indexes:** ${indexes.map((i) => `${code(i.name)} (${i.columns.join(', ')})${i.unique ? ' unique' : ''}`).join(', ')}`);
  const tenant = tenantColumnOf(t, opts.tenantColumns);
  if (tenant) lines.push('', `**Tenant column:** ${code(tenant)}`);
  if (t.kind === 'table') {
    const rls = t.rls.enabled ? `enabled${t.rls.forced ? ', forced' : ''}` : 'disabled';
    const policies = t.policies.map((p) => `${code(p.name)} (${p.command}${p.permissive ? '' : ', restrictive'})`).join(', ');
    lines.push('', `**Row-level security:** ${rls}${policies ? ` · policies: ${policies}` : ''}`);
  }
  return lines.join('\n');
}

function columnMarkdown(project: IntelProject, t: Table, name: string, opts: HoverOptions): string | undefined {
  const c = t.columns.get(name);
  if (!c) return undefined;
  const attrs = [
    c.typeSql ?? c.type,
    c.notNull ? 'not null' : 'null',
    c.default ? `default ${c.default}` : '',
    c.identity ? `generated ${c.identity} as identity` : '',
    c.generated ? `generated always as (${c.generatedExpr ?? '…'}) stored` : '',
  ].filter(Boolean);
  const lines = [`**column** ${code(`${t.key}.${c.name}`)} ${code(attrs.join(' '))}`];
  if (tenantColumnOf(t, opts.tenantColumns) === c.name) lines.push('', 'The tenant column of this table.');
  if (c.comment) lines.push('', c.comment);
  const history = historyText(project, { kind: 'column', table: t.key, column: c.name }, opts);
  if (history) lines.push('', history);
  return lines.join('\n');
}

/** Volatility as the catalog holds it (ALTER FUNCTION included); strictness and parallel safety as written on the routine's latest CREATE statement. */
function attributesOf(project: IntelProject, f: FunctionDef): string[] {
  const file = project.files().find((x) => x.path === f.loc.file);
  const stmt = file?.parsed.statements.find((s) => s.start === f.loc.start);
  const opts = defElems(as<{ options?: unknown[] }>(stmt?.node, 'CreateFunctionStmt')?.options);
  const out: string[] = [f.volatility ?? 'volatile'];
  if (as<{ boolval?: boolean }>(opts.get('strict'), 'Boolean')?.boolval) out.push('strict');
  const parallel = str(opts.get('parallel'));
  if (parallel) out.push(`parallel ${parallel}`);
  return out;
}

function functionMarkdown(project: IntelProject, list: FunctionDef[], opts: HoverOptions): string {
  return list
    .map((f) => {
      const sig = `${f.key}(${f.argTypes.map(displayType).join(', ')})${f.returns ? ` → ${displayType(f.returns)}` : ''}`;
      const attrs = [f.language, ...attributesOf(project, f), f.securityDefiner ? '**SECURITY DEFINER**' : 'security invoker'];
      const sp = f.searchPath ? `search_path = ${f.searchPath.length ? f.searchPath.join(', ') : "''"}` : f.securityDefiner ? '⚠ no pinned search_path' : '';
      return [`**${f.kind}** ${code(sig)}`, '', [...attrs, sp].filter(Boolean).join(' · '), '', definedIn(f.loc, opts), f.comment ? `\n${f.comment}` : '']
        .join('\n')
        .trim();
    })
    .join('\n\n');
}

/** The hover section for a catalog object, or undefined when there is nothing to say. */
export function objectMarkdown(project: IntelProject, o: ObjectRef, opts: HoverOptions): string | undefined {
  const catalog: Catalog = project.catalog;
  const hit = lookup(catalog, o);
  switch (o.kind) {
    case 'table':
      return hit.table ? tableMarkdown(project, hit.table, opts) : undefined;
    case 'column':
      return hit.table ? columnMarkdown(project, hit.table, o.column, opts) : undefined;
    case 'function':
      return hit.functions?.length ? functionMarkdown(project, hit.functions, opts) : undefined;
    case 'index': {
      const ix = catalog.indexes.get(o.key);
      return ix
        ? `**index** ${code(o.key)} on ${code(ix.table)} (${ix.columns.join(', ')})${ix.unique ? ' unique' : ''}\n\n${definedIn(ix.loc, opts)}`
        : undefined;
    }
    case 'type': {
      const e = catalog.enums.get(o.key);
      if (e) return `**enum** ${code(o.key)}: ${e.values.map((v) => code(`'${v}'`)).join(', ')}\n\n${definedIn(e.loc, opts)}`;
      const t = catalog.types?.get(o.key);
      return t ? `**${t.kind} type** ${code(o.key)}\n\n${definedIn(t.loc, opts)}` : undefined;
    }
  }
}
