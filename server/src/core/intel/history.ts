// The history of a table or column: every schema-building statement that created, altered, renamed or dropped it, in apply order, following renames back.
import { as } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { IntelFile, IntelProject, ObjectRef } from './resolve';
import { namesOf } from './refs';
import { mayName } from './resolve';

export interface HistoryEntry {
  file: string;
  start: number;
  end: number;
  /** created | altered | renamed | dropped | indexed | policy | trigger | comment | granted */
  action: string;
  /** The migration (or file) that did it. */
  where: string;
}

interface RenameStmt {
  renameType?: string;
  relation?: { schemaname?: string; relname?: string };
  subname?: string;
  newname?: string;
}

const TABLE_ACTIONS: Record<string, string> = {
  CreateStmt: 'created',
  ViewStmt: 'created',
  CreateTableAsStmt: 'created',
  AlterTableStmt: 'altered',
  IndexStmt: 'indexed',
  CreatePolicyStmt: 'policy',
  AlterPolicyStmt: 'policy',
  CreateTrigStmt: 'trigger',
  CommentStmt: 'comment',
  GrantStmt: 'granted',
  DropStmt: 'dropped',
  RenameStmt: 'renamed',
};

function schemaFiles(project: IntelProject): IntelFile[] {
  return project.files().filter((f) => f.role === 'migration-up' || f.role === 'plain');
}

/** Walks the project's schema-building statements newest first, so a rename tells which older name to follow. */
function* newestFirst(project: IntelProject): Generator<{ file: IntelFile; statement: Statement }> {
  const files = schemaFiles(project);
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i];
    const stmts = file.parsed.statements.filter((s) => !file.section || (s.start >= file.section.start && s.start < file.section.end));
    for (let j = stmts.length - 1; j >= 0; j--) yield { file, statement: stmts[j] };
  }
}

/** What happened to a table (or one of its columns) over the project's migrations, oldest first. */
export function historyOf(project: IntelProject, o: ObjectRef): HistoryEntry[] {
  if (o.kind !== 'table' && o.kind !== 'column') return [];
  const tableKey = o.kind === 'table' ? o.key : o.table;
  let tableNames = new Set([tableKey.slice(tableKey.indexOf('.') + 1)]);
  let column = o.kind === 'column' ? o.column : undefined;
  const out: HistoryEntry[] = [];
  for (const { file, statement } of newestFirst(project)) {
    if (!TABLE_ACTIONS[statement.kind] || ![...tableNames].some((n) => mayName(statement, n.toLowerCase()))) continue;
    const rename = as<RenameStmt>(statement.node, 'RenameStmt');
    const names = namesOf(file.parsed, statement);
    const mentionsTable =
      names.refs.some((r) => r.kind === 'relation' && tableNames.has(r.name)) || names.refs.some((r) => r.table && tableNames.has(r.table.name));
    if (!mentionsTable) continue;
    if (column) {
      const onColumn =
        names.refs.some(
          (r) =>
            r.kind === 'column' &&
            r.name === column &&
            (r.table ? tableNames.has(r.table.name) : true) &&
            (r.table || statement.kind === 'CreateStmt' || statement.kind === 'AlterTableStmt'),
        ) ||
        (rename?.renameType === 'OBJECT_COLUMN' && rename.newname === column);
      if (!onColumn) continue;
    }
    const entry = {
      file: file.path,
      start: statement.start,
      end: statement.end,
      action: TABLE_ACTIONS[statement.kind] ?? 'changed',
      where: file.migration ?? file.path,
    };
    out.push(entry);
    if (rename?.newname && rename.renameType === 'OBJECT_TABLE' && tableNames.has(rename.newname) && rename.relation?.relname) {
      tableNames = new Set([...tableNames, rename.relation.relname]);
    }
    if (column && rename?.renameType === 'OBJECT_COLUMN' && rename.newname === column && rename.subname) column = rename.subname;
  }
  // Only what happened since the object was (last) created: an older table of the same name is another object.
  const ordered = out.reverse();
  const created = ordered.map((e) => e.action).lastIndexOf('created');
  return created > 0 ? ordered.slice(created) : ordered;
}

/** "created in a · altered in b, c (3 more)" with a link maker for each migration. */
export function historyLine(entries: HistoryEntry[], link: (e: HistoryEntry) => string, shown = 3): string | undefined {
  if (!entries.length) return undefined;
  const [first, ...rest] = entries;
  const parts = [`${first.action === 'created' ? 'created' : first.action} in ${link(first)}`];
  const later = rest.filter((e) => e.action !== 'created');
  if (later.length) {
    const list = later.slice(0, shown).map((e) => `${e.action === 'altered' ? '' : `${e.action} `}${link(e)}`.trim());
    parts.push(`then ${list.join(', ')}${later.length > shown ? ` (${later.length - shown} more)` : ''}`);
  }
  return parts.join(' · ');
}
