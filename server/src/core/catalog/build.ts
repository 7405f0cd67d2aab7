// Builds the schema catalog by applying parsed DDL statements in order (migration order, then plain SQL files).
import type { Node, AlterTableStmt, CreatePolicyStmt, CreateStmt, GrantStmt, IndexStmt, RangeVar, RoleSpec, VariableSetStmt } from '@pgsql/types';
import { as, constValue, defElems, listName, str, strs, unwrap, walk } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { Catalog, Column, FunctionDef, Grant, Table } from './types';
import { applyFunctionStatement } from './functions';
import { extrasAfter, extrasBefore } from './extras';
import { chooseIndexName } from './extras-table';
import { type ApplyState, findTable, loc, safeDeparse, tableKey } from './apply-state';
import { applyAlterTable, applyCreate, newTable } from './table-ddl';
import { applyViewOptions } from './physical';
import { dropForeignKeysOn, dropRelation } from './drop-cascade';
import { noteCalledRoutines, noteOpaque, rejection } from './rejects';
import { doBlockStatements } from './do-blocks';

export { type ApplyState, loc, newApplyState, resolveTable, safeDeparse, tableKey } from './apply-state';
export { constraintFrom } from './table-ddl';

function roleName(node: unknown): string | undefined {
  const r = as<RoleSpec>(node, 'RoleSpec');
  if (!r) return undefined;
  if (r.roletype === 'ROLESPEC_PUBLIC') return 'public';
  if (r.roletype === 'ROLESPEC_CURRENT_USER') return 'current_user';
  if (r.roletype === 'ROLESPEC_SESSION_USER') return 'session_user';
  return r.rolename;
}

export function grantees(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).map(roleName).filter((r): r is string => !!r);
}

export function privileges(list: unknown): string[] {
  const privs = (Array.isArray(list) ? list : [])
    .map((p) => as<{ priv_name?: string }>(p, 'AccessPriv')?.priv_name?.toUpperCase())
    .filter((p): p is string => !!p);
  return privs.length ? privs : ['ALL'];
}

function applyPolicy(catalog: Catalog, s: CreatePolicyStmt, stmt: Statement, state: ApplyState): void {
  const table = catalog.tables.get(tableKey(s.table, state, catalog));
  if (!table) return;
  const columns = new Set<string>();
  walk([s.qual, s.with_check], (kind, value) => {
    if (kind === 'ColumnRef') {
      const parts = strs(value.fields);
      if (parts.length) columns.add(parts[parts.length - 1]);
    }
  });
  table.policies.push({
    name: s.policy_name ?? '',
    command: s.cmd_name ?? 'all',
    // libpg-query's JSON leaves false out: AS RESTRICTIVE is an absent `permissive`.
    permissive: s.permissive === true,
    roles: grantees(s.roles),
    columns: [...columns],
    loc: loc(state, stmt.start, stmt.end),
  });
}

function applyGrantOnTables(catalog: Catalog, s: GrantStmt, state: ApplyState): void {
  const grant: Grant[] = grantees(s.grantees).map((g) => ({ privileges: privileges(s.privileges), grantee: g }));
  for (const o of s.objects ?? []) {
    const rv = as<RangeVar>(o, 'RangeVar');
    const table = rv && catalog.tables.get(tableKey(rv, state, catalog));
    if (!table) continue;
    if (s.is_grant) table.grants.push(...grant);
    else table.grants = table.grants.filter((g) => !grant.some((r) => r.grantee === g.grantee));
  }
}

function applyIndex(catalog: Catalog, s: IndexStmt, stmt: Statement, state: ApplyState): void {
  const table = tableKey(s.relation, state, catalog);
  const columns = (s.indexParams ?? [])
    .map((p) => as<{ name?: string; expr?: unknown }>(p, 'IndexElem'))
    .map((p) => p?.name ?? (p?.expr ? (safeDeparse(p.expr) ?? '?') : '?'));
  const schema = s.relation?.schemaname ?? table.split('.')[0];
  if (s.if_not_exists && s.idxname && catalog.indexes.has(`${schema}.${s.idxname}`)) return;
  const name = s.idxname ?? chooseIndexName(catalog, schema, s.relation?.relname ?? 'idx', s);
  catalog.indexes.set(`${schema}.${name}`, {
    name,
    table,
    columns,
    unique: s.unique === true,
    loc: loc(state, stmt.start, stmt.end),
    node: s,
    concurrently: s.concurrent === true || undefined,
  });
}

function applyDrop(catalog: Catalog, s: { objects?: unknown[]; removeType?: string; behavior?: string }, state: ApplyState): void {
  for (const o of s.objects ?? []) {
    const items = as<{ items?: unknown[] }>(o, 'List')?.items ?? [];
    const q = listName(items);
    if (!q) continue;
    switch (s.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE': {
        // Only its key is needed: a catalog copy need not clone what it deletes.
        const t = findTable(catalog, q.schema, q.name, state.searchPath);
        if (t) dropRelation(catalog, t.key);
        break;
      }
      case 'OBJECT_INDEX': {
        for (const s2 of q.schema ? [q.schema] : state.searchPath) {
          const ix = catalog.indexes.get(`${s2}.${q.name}`);
          if (!ix) continue;
          catalog.indexes.delete(`${s2}.${q.name}`);
          if (s.behavior === 'DROP_CASCADE' && ix.unique) dropForeignKeysOn(catalog, ix.table, ix.columns);
          break;
        }
        break;
      }
      case 'OBJECT_SCHEMA':
        catalog.schemas.delete(q.name);
        break;
      case 'OBJECT_EXTENSION':
        catalog.extensions.delete(q.name);
        break;
      default:
        break;
    }
  }
  if (s.removeType === 'OBJECT_SCHEMA' || s.removeType === 'OBJECT_EXTENSION') {
    for (const o of s.objects ?? []) {
      const name = str(o);
      if (name && s.removeType === 'OBJECT_SCHEMA') catalog.schemas.delete(name);
      if (name && s.removeType === 'OBJECT_EXTENSION') catalog.extensions.delete(name);
    }
  }
}

function applyRename(catalog: Catalog, s: { renameType?: string; relation?: RangeVar; subname?: string; newname?: string }, state: ApplyState): void {
  if (!s.newname) return;
  if (s.renameType === 'OBJECT_TABLE' || s.renameType === 'OBJECT_VIEW' || s.renameType === 'OBJECT_MATVIEW') {
    const table = catalog.tables.get(tableKey(s.relation, state, catalog));
    if (!table) return;
    catalog.tables.delete(table.key);
    table.name = s.newname;
    table.key = `${table.schema}.${s.newname}`;
    catalog.tables.set(table.key, table);
  } else if (s.renameType === 'OBJECT_COLUMN' && s.subname) {
    const table = catalog.tables.get(tableKey(s.relation, state, catalog));
    const col = table?.columns.get(s.subname);
    if (!table || !col) return;
    // Keep the column's place: PostgreSQL's attnum order is what SELECT * expands to.
    const newname = s.newname;
    col.name = newname;
    table.columns = new Map([...table.columns].map(([k, c]) => (k === s.subname ? [newname, c] : [k, c])));
  }
}

function applyView(catalog: Catalog, node: Record<string, unknown>, kind: Table['kind'], stmt: Statement, state: ApplyState): void {
  const rv = (node.view ?? (node.into as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined;
  if (!rv) return;
  const key = tableKey(rv, state);
  const table = newTable(key, kind, loc(state, stmt.start, stmt.end));
  if (rv.relpersistence === 't') table.temporary = true;
  if (kind === 'view') applyViewOptions(table, node.options);
  for (const a of strs(node.aliases ?? (node.into as { colNames?: unknown } | undefined)?.colNames)) {
    table.columns.set(a, { name: a, type: '', notNull: false, loc: table.loc });
  }
  catalog.tables.set(key, table);
}

function applySet(s: VariableSetStmt, state: ApplyState): void {
  if (s.name !== 'search_path' || s.kind !== 'VAR_SET_VALUE' || s.is_local) return;
  const path = (s.args ?? []).map((a) => constValue(a)).filter((v): v is string => typeof v === 'string');
  const usable = path.map((p) => p.trim().replace(/^"|"$/g, '')).filter((p) => p && p !== '$user' && p !== 'pg_catalog' && p !== 'pg_temp');
  if (usable.length) state.searchPath = usable;
}

/** `INSERT INTO t VALUES (constants…)`: reference data written into the schema's own files (see Table.seededByValues). */
function noteSeeded(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const rv = v.relation as RangeVar | undefined;
  const values = as<{ valuesLists?: unknown[] }>(v.selectStmt, 'SelectStmt')?.valuesLists;
  if (!rv?.relname || !values?.length) return;
  let constant = true;
  walk(values, (kind) => {
    if (kind === 'ParamRef' || kind === 'ColumnRef' || kind === 'SubLink') constant = false;
  });
  const found = constant ? findTable(catalog, rv.schemaname || undefined, rv.relname, state.searchPath) : undefined;
  // Taken for changing only when it changes (a catalog copy clones what it hands out to be changed).
  if (found && !found.seededByValues) catalog.tables.get(found.key)!.seededByValues = true;
}

/** Applies one statement's effect to the catalog. Unknown statements are ignored. */
export function applyStatement(catalog: Catalog, stmt: Statement, state: ApplyState): void {
  const u = unwrap(stmt.node);
  if (!u) return;
  const v = u.value;
  const refused = state.refuse ? rejection(catalog, u.kind, v, state) : undefined;
  if (refused) {
    // The relation it would have made (a table, or a table's new name), so that what later uses it is a consequence.
    const created =
      u.kind === 'CreateStmt'
        ? (v as CreateStmt).relation
        : u.kind === 'RenameStmt'
          ? { ...(v.relation as RangeVar), relname: v.newname as string }
          : undefined;
    const creates = created?.relname ? tableKey(created, state) : undefined;
    (catalog.rejected ??= []).push({ ...loc(state, stmt.start, stmt.end), ...refused, ...(creates ? { creates } : {}) });
    return;
  }
  const before = extrasBefore(catalog, u.kind, v, state);
  switch (u.kind) {
    case 'CreateStmt':
      applyCreate(catalog, v as CreateStmt, stmt, state);
      break;
    case 'AlterTableStmt':
      applyAlterTable(catalog, v as AlterTableStmt, stmt, state);
      break;
    case 'CreatePolicyStmt':
      applyPolicy(catalog, v as CreatePolicyStmt, stmt, state);
      break;
    case 'IndexStmt':
      applyIndex(catalog, v as IndexStmt, stmt, state);
      break;
    case 'DropStmt':
      applyDrop(catalog, v, state);
      applyFunctionStatement(catalog, u.kind, v, stmt, state);
      break;
    case 'RenameStmt':
      applyRename(catalog, v, state);
      break;
    case 'ViewStmt':
      applyView(catalog, v, 'view', stmt, state);
      break;
    case 'CreateTableAsStmt':
      applyView(catalog, v, v.objtype === 'OBJECT_MATVIEW' ? 'materialized-view' : 'table', stmt, state);
      break;
    case 'CreateSchemaStmt': {
      if (typeof v.schemaname !== 'string') break;
      catalog.schemas.add(v.schemaname);
      // CREATE SCHEMA s CREATE TABLE … CREATE VIEW …: the elements are made in the new schema.
      const elements = (v.schemaElts as Node[] | undefined) ?? [];
      if (!elements.length) break;
      const inner = { ...state, searchPath: [v.schemaname] };
      for (const node of elements) {
        const kind = Object.keys(node)[0] ?? '';
        applyStatement(catalog, { index: stmt.index, node, kind, start: stmt.start, end: stmt.end, text: stmt.text }, inner);
      }
      break;
    }
    case 'SelectStmt':
    case 'CallStmt':
      noteCalledRoutines(catalog, v);
      break;
    case 'CreateExtensionStmt':
      if (typeof v.extname === 'string') catalog.extensions.add(v.extname);
      break;
    case 'CreateEnumStmt': {
      const q = listName(v.typeName);
      if (q) {
        const key = `${q.schema ?? state.searchPath[0]}.${q.name}`;
        catalog.enums.set(key, { key, values: strs(v.vals), loc: loc(state, stmt.start, stmt.end) });
      }
      break;
    }
    case 'AlterEnumStmt': {
      const q = listName(v.typeName);
      const e = q && catalog.enums.get(`${q.schema ?? state.searchPath[0]}.${q.name}`);
      if (e && typeof v.oldVal === 'string') {
        // ALTER TYPE … RENAME VALUE 'old' TO 'new'
        const at = e.values.indexOf(v.oldVal);
        if (at >= 0 && typeof v.newVal === 'string') e.values[at] = v.newVal;
      } else if (e && typeof v.newVal === 'string' && !e.values.includes(v.newVal)) {
        const anchor = typeof v.newValNeighbor === 'string' ? e.values.indexOf(v.newValNeighbor) : -1;
        if (anchor < 0) e.values.push(v.newVal);
        else e.values.splice(v.newValIsAfter === true ? anchor + 1 : anchor, 0, v.newVal); // BEFORE: newValIsAfter left out (false)
      }
      break;
    }
    case 'GrantStmt': {
      const g = v as GrantStmt;
      if (g.objtype === 'OBJECT_TABLE') applyGrantOnTables(catalog, g, state);
      else applyFunctionStatement(catalog, u.kind, v, stmt, state);
      break;
    }
    case 'VariableSetStmt':
      applySet(v as VariableSetStmt, state);
      break;
    case 'ClusterStmt': {
      // CLUSTER t USING i also marks i as the table's clustering index, as ALTER TABLE … CLUSTER ON does.
      const table = v.relation ? catalog.tables.get(tableKey(v.relation as RangeVar, state, catalog)) : undefined;
      if (table && typeof v.indexname === 'string') table.clusterOn = v.indexname;
      break;
    }
    case 'InsertStmt':
      noteSeeded(catalog, v, state);
      break;
    case 'DoStmt': {
      // A guarded "create unless it exists" block runs what its conditions select; any other block stays opaque.
      const inner = doBlockStatements(stmt, catalog);
      if (!inner) noteOpaque(catalog, stmt.text);
      for (const s of inner ?? []) applyStatement(catalog, s, state);
      break;
    }
    default:
      applyFunctionStatement(catalog, u.kind, v, stmt, state);
  }
  extrasAfter(catalog, u.kind, v, stmt, state, before);
  catalog.version++;
}

export type { FunctionDef, Table, Column };
export { defElems };
