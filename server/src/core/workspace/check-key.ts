// What one file's findings depend on, as text to hash: the workspace's schema (DDL in catalog order), the file, its
// migration partners, its roles and its config. Equal texts give equal findings (the check's result cache relies on it).
import type { Config } from '../config';
import type { Migration } from '../migrations';
import type { Workspace } from './workspace';

/** The DDL of every file that builds the catalog (migration ups, then plain SQL), in order, and the list of SQL files. */
export function schemaSignature(ws: Workspace): string {
  const parts: string[] = [];
  for (const path of ws.sqlFiles()) {
    const roles = ws.fileParts(path).map((p) => p.role);
    parts.push(`${path}\u0001${roles.join(',')}`);
    if (!roles.some((r) => r === 'migration-up' || r === 'plain')) continue;
    // A migration's up runs every statement it holds; other files build the catalog with their DDL only.
    parts.push(ws.ddl(path, roles.includes('migration-up') ? 'migration' : 'schema') ?? '\u0002unreadable');
  }
  return parts.join('\u0000');
}

const groupOf = (x: Migration) => `${x.root}\u0000${x.version.slice(0, 14)}`;
/** Per layout's migration list: pop part groups by key (made once, not once per file). */
const POP_GROUPS = new WeakMap<readonly Migration[], Map<string, Migration[]>>();

/** ory's pop migrations roll back in groups of parts (see rollback/leftovers-pass.ts): a part's partners are its group's. */
function partners(ws: Workspace, m: Migration): Migration[] {
  if (m.layout !== 'pop') return [m];
  const all = ws.layout().migrations;
  let groups = POP_GROUPS.get(all);
  if (!groups) {
    groups = new Map();
    for (const x of all) {
      if (x.layout !== 'pop') continue;
      const list = groups.get(groupOf(x));
      if (list) list.push(x);
      else groups.set(groupOf(x), [x]);
    }
    POP_GROUPS.set(all, groups);
  }
  return groups.get(groupOf(m)) ?? [m];
}

const CONFIG_TEXTS = new WeakMap<Config, string>();

/** A config as text, once per config object (the files of a folder share theirs). */
function configText(config: Config): string {
  let text = CONFIG_TEXTS.get(config);
  if (text === undefined) CONFIG_TEXTS.set(config, (text = JSON.stringify(config)));
  return text;
}

/** Everything besides the schema that one file's findings depend on. */
export function fileInputs(ws: Workspace, path: string, config: Config): string {
  const out: string[] = [path, configText(config), ws.text(path) ?? '\u0002unreadable'];
  for (const part of ws.fileParts(path)) {
    const { migration, ...rest } = part;
    out.push(JSON.stringify({ role: rest.role, transaction: rest.transaction, section: rest.section }));
    if (!migration) continue;
    for (const m of partners(ws, migration)) {
      out.push(JSON.stringify(m));
      for (const s of [m.up, m.down, m.verify]) if (s && s.path !== path) out.push(`${s.path}\u0001${ws.text(s.path) ?? ''}`);
    }
  }
  return out.join('\u0000');
}
