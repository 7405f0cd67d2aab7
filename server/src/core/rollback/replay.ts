// Replays a generated down on the catalog after its up, statement by statement in the order it will run, and says which steps PostgreSQL would reject or that silently do more than they show (CASCADE dropping foreign keys).
import type { AlterTableCmd, AlterTableStmt, DropStmt, RangeVar, RenameStmt } from '@pgsql/types';
import { applyStatement, newApplyState, resolveTable } from '../catalog/build';
import type { Catalog, Table } from '../catalog/types';
import { as, strs } from '../parse/ast';
import { parseSql } from '../parse/parse';

type State = ReturnType<typeof newApplyState>;

function table(catalog: Catalog, rv: RangeVar | undefined, state: State): Table | undefined {
  return rv?.relname ? resolveTable(catalog, rv.schemaname || undefined, rv.relname, state.searchPath) : undefined;
}

function indexExists(catalog: Catalog, parts: string[], state: State): boolean {
  const name = parts[parts.length - 1] ?? '';
  const schemas = parts.length > 1 ? [parts[parts.length - 2]] : state.searchPath;
  return schemas.some((s) => catalog.indexes.has(`${s}.${name}`));
}

function constraintNamed(t: Table, name: string): boolean {
  return t.constraints.some((c) => (c.pgName ?? c.name) === name);
}

/** Foreign keys of other tables that reference `t` (DROP TABLE … CASCADE drops them). */
function referencingKeys(catalog: Catalog, t: Table): string[] {
  const out: string[] = [];
  for (const other of catalog.tables.values()) {
    if (other === t) continue;
    for (const c of other.constraints)
      if (c.type === 'foreign' && c.references?.table === t.key) out.push(`${c.pgName ?? c.name ?? 'a foreign key'} on ${other.key}`);
  }
  return out;
}

/** Why PostgreSQL would reject (or CASCADE widen) one statement of the down, given the catalog just before it. */
function problem(catalog: Catalog, sql: string, state: State): string | undefined {
  const stmt = parseSql(sql).statements[0];
  if (!stmt) return undefined;
  const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    const t = table(catalog, alter.relation, state);
    if (!t) return alter.missing_ok ? undefined : `table ${alter.relation?.relname} does not exist at this point of the down`;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (!cmd || cmd.missing_ok || !cmd.name) continue;
      if (cmd.subtype === 'AT_DropConstraint') {
        if (!constraintNamed(t, cmd.name)) return `constraint ${cmd.name} of ${t.key} does not exist at this point of the down`;
      } else if (
        cmd.subtype !== 'AT_AddConstraint' &&
        cmd.subtype !== 'AT_AddColumn' &&
        !t.columns.has(cmd.name) &&
        /Column|Default|NotNull|Statistics|Storage|Identity|Compression/.test(cmd.subtype ?? '')
      ) {
        return `column ${cmd.name} of ${t.key} does not exist at this point of the down`;
      }
    }
  }
  const rename = as<RenameStmt>(stmt.node, 'RenameStmt');
  if (rename?.renameType === 'OBJECT_INDEX' && rename.relation && !rename.missing_ok) {
    const parts = [rename.relation.schemaname, rename.relation.relname].filter((p): p is string => !!p);
    if (!indexExists(catalog, parts, state))
      return `index ${parts.join('.')} does not exist at this point of the down (dropped or absorbed by a constraint earlier)`;
  }
  const drop = as<DropStmt>(stmt.node, 'DropStmt');
  if (drop && !drop.missing_ok) {
    for (const o of drop.objects ?? []) {
      const parts = strs(as<{ items?: unknown[] }>(o, 'List')?.items);
      if (drop.removeType === 'OBJECT_INDEX' && !indexExists(catalog, parts, state))
        return `index ${parts.join('.')} does not exist at this point of the down (dropped or absorbed by a constraint earlier)`;
      const missingTable =
        (drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_VIEW') &&
        !resolveTable(catalog, parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? '', state.searchPath);
      if (missingTable) return `${parts.join('.')} does not exist at this point of the down`;
    }
  }
  if (drop?.behavior === 'DROP_CASCADE' && drop.removeType === 'OBJECT_TABLE') {
    for (const o of drop.objects ?? []) {
      const parts = strs(as<{ items?: unknown[] }>(o, 'List')?.items);
      const t = resolveTable(catalog, parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? '', state.searchPath);
      const fks = t ? referencingKeys(catalog, t) : [];
      if (fks.length) return `CASCADE also drops ${fks.join(', ')}, which this down does not re-create`;
    }
  }
  return undefined;
}

/**
 * Runs `statements` (each one SQL statement, in down order) on a copy of `after` and returns, per statement index,
 * why it needs review. The catalog is changed in place: pass a clone.
 */
export function replayDown(after: Catalog, statements: string[], prelude: string[], file: string): Map<number, string> {
  const state = newApplyState(file);
  const out = new Map<number, string>();
  for (const p of prelude) for (const s of parseSql(`${p};`).statements) applyStatement(after, s, state);
  statements.forEach((sql, i) => {
    const why = problem(after, sql, state);
    if (why) out.set(i, why);
    for (const s of parseSql(`${sql};`).statements) {
      try {
        applyStatement(after, s, state);
      } catch {
        // The catalog builder keeps going on what it cannot apply; so does the replay.
      }
    }
  });
  return out;
}
