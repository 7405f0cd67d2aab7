// Generates a down migration from an up migration and the catalog as it stood before it: each statement inverted, in reverse.
import type { RangeVar } from '@pgsql/types';
import { applyStatement, newApplyState, resolveTable } from '../catalog/build';
import type { Catalog } from '../catalog/types';
import { unwrap } from '../parse/ast';
import { parseSql, type ParsedSql, type Statement } from '../parse/parse';
import { cloneCatalog } from './catalog-before';
import { invert } from './inverse';
import { irreversibleComment, sqlComment } from './sql';
import type { Created, Inverse, Rollback, RollbackItem, RollbackOptions, RollbackWarning } from './types';

export interface GenerateOptions extends RollbackOptions {
  /** Only statements starting inside this range (a dbmate up section); offsets stay those of the parsed text. */
  section?: { start: number; end: number };
}

const CREATING = /^(Create|Define|Composite|View|Index)/;

function keys(c: Catalog): Created {
  const functions = new Set<string>();
  for (const [k, list] of c.functions) for (const f of list) functions.add(`${k}(${f.argTypes.join(',')})`);
  return {
    tables: new Set(c.tables.keys()),
    indexes: new Set(c.indexes.keys()),
    types: new Set([...c.enums.keys(), ...(c.types?.keys() ?? [])]),
    sequences: new Set(c.sequences?.keys() ?? []),
    functions,
    schemas: new Set(c.schemas),
  };
}

function noteCreated(created: Created, before: Created, after: Created): void {
  for (const k of Object.keys(created) as (keyof Created)[]) {
    for (const key of after[k]) if (!before[k].has(key)) created[k].add(key);
  }
}

function emptyCreated(): Created {
  return { tables: new Set(), indexes: new Set(), types: new Set(), sequences: new Set(), functions: new Set(), schemas: new Set() };
}

function safeInvert(run: () => Inverse): Inverse {
  try {
    return run();
  } catch (err) {
    return { irreversible: `pgdba could not invert this statement (${err instanceof Error ? err.message : String(err)})` };
  }
}

function excerpt(stmt: Statement): string {
  const line = stmt.text.trim().split('\n')[0] ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}…` : line;
}

/**
 * The down migration for `up`, given the catalog before it (see catalogBefore). Statements are undone in reverse order;
 * what cannot be undone is re-created as far as the catalog allows and marked `-- pgdba: irreversible: <why>`.
 */
export function generateRollback(up: string | ParsedSql, before: Catalog, opts: GenerateOptions = {}): Rollback {
  const parsed = typeof up === 'string' ? parseSql(up) : up;
  const catalog = cloneCatalog(before);
  const state = newApplyState(opts.file ?? '<up>');
  const created = emptyCreated();
  const items: RollbackItem[] = [];
  const warnings: RollbackWarning[] = [];
  const prelude: string[] = [];
  let explicitTransaction = false;
  const inSection = (offset: number) => !opts.section || (offset >= opts.section.start && offset < opts.section.end);
  for (const stmt of parsed.statements) {
    if (!inSection(stmt.start)) continue;
    const u = unwrap(stmt.node);
    if (stmt.kind === 'TransactionStmt') {
      if (u?.value.kind === 'TRANS_STMT_BEGIN' || u?.value.kind === 'TRANS_STMT_START') explicitTransaction = true;
      items.push({ statementIndex: stmt.index, inverse: '', note: 'transaction control: the down gets the same' });
      continue;
    }
    if (stmt.kind === 'VariableSetStmt') {
      // Session settings (search_path, lock_timeout…) apply to the down as well.
      prelude.push(stmt.text.trim());
      applyStatement(catalog, stmt, state);
      items.push({ statementIndex: stmt.index, inverse: '', note: 'setting repeated at the top of the down' });
      continue;
    }
    const snapshot = CREATING.test(stmt.kind) ? keys(catalog) : undefined;
    const renamedTable = stmt.kind === 'RenameStmt' && u?.value.relation ? resolveTable(catalog, (u.value.relation as RangeVar).schemaname, (u.value.relation as RangeVar).relname ?? '', state.searchPath)?.key : undefined;
    let inv = safeInvert(() => invert({ catalog, state, stmt, created }));
    applyStatement(catalog, stmt, state);
    const late = inv.late;
    if (late) inv = safeInvert(() => late(catalog));
    if (snapshot) noteCreated(created, snapshot, keys(catalog));
    if (renamedTable && created.tables.has(renamedTable) && u) {
      const schema = renamedTable.split('.')[0];
      if (u.value.renameType === 'OBJECT_TABLE' || u.value.renameType === 'OBJECT_VIEW') created.tables.add(`${schema}.${String(u.value.newname)}`);
    }
    const item: RollbackItem = { statementIndex: stmt.index, inverse: (inv.sql ?? []).map((s) => `${s};`).join('\n') };
    if (inv.irreversible) item.irreversible = inv.irreversible;
    if (inv.warning) item.warning = inv.warning;
    if (inv.note) item.note = inv.note;
    items.push(item);
    if (inv.irreversible) warnings.push({ statementIndex: stmt.index, start: stmt.start, end: stmt.end, message: inv.irreversible, irreversible: true });
    if (inv.warning) warnings.push({ statementIndex: stmt.index, start: stmt.start, end: stmt.end, message: inv.warning, irreversible: false });
  }
  for (const e of parsed.errors) {
    if (!inSection(e.start)) continue;
    warnings.push({ start: e.start, end: e.end, message: `a syntax error here hides a statement from the rollback: ${e.message}`, irreversible: true });
  }
  return { sql: render(parsed, items, prelude, explicitTransaction, warnings, opts), items, warnings };
}

function render(parsed: ParsedSql, items: RollbackItem[], prelude: string[], tx: boolean, warnings: RollbackWarning[], opts: GenerateOptions): string {
  const out: string[] = [];
  if (opts.header !== false) out.push(sqlComment(`Rollback of ${opts.file ?? 'the up migration'}, generated by pgdba. Review before running.`));
  for (const p of prelude) out.push(`${p};`);
  if (tx) out.push('BEGIN;');
  const byIndex = new Map(parsed.statements.map((s) => [s.index, s]));
  const body: string[] = [];
  for (const item of [...items].reverse()) {
    const stmt = byIndex.get(item.statementIndex);
    const lines: string[] = [];
    if (item.irreversible) lines.push(irreversibleComment(`${item.irreversible} (undoing: ${stmt ? excerpt(stmt) : '?'})`));
    if (item.warning) lines.push(sqlComment(`pgdba: check: ${item.warning}`));
    if (item.inverse) lines.push(item.inverse);
    if (lines.length) body.push(lines.join('\n'));
  }
  for (const w of warnings) if (w.statementIndex === undefined) body.push(irreversibleComment(w.message));
  if (!body.length) body.push(sqlComment('pgdba: nothing to undo: the up migration changes no schema pgdba knows of.'));
  out.push(body.join('\n\n'));
  if (tx) out.push('COMMIT;');
  return out.join('\n') + '\n';
}
