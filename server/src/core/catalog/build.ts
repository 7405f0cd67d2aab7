// Builds the schema catalog by applying parsed DDL statements in order (migration order, then plain SQL files).
import type {
  AlterTableStmt,
  ColumnDef,
  Constraint as PgConstraint,
  CreatePolicyStmt,
  CreateStmt,
  GrantStmt,
  IndexStmt,
  RangeVar,
  RoleSpec,
  VariableSetStmt,
} from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import { as, constValue, defElems, listName, str, strs, typeNameText, unwrap, walk } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { Catalog, Column, Constraint, FunctionDef, Grant, Loc, Table } from './types';
import { applyFunctionStatement } from './functions';
import { extrasAfter, extrasBefore } from './extras';
import { chooseIndexName } from './extras-table';

/** Per-file state while applying statements: the effective search_path for unqualified names. */
export interface ApplyState {
  file: string;
  searchPath: string[];
}

export function newApplyState(file: string): ApplyState {
  return { file, searchPath: ['public'] };
}

export function loc(state: ApplyState, start: number, end: number): Loc {
  return { file: state.file, start, end };
}

/** Resolves a relation name to a catalog key, looking through the search_path when unqualified. */
export function resolveTable(catalog: Catalog, schema: string | undefined, name: string, searchPath = ['public']): Table | undefined {
  if (schema) return catalog.tables.get(`${schema}.${name}`);
  for (const s of searchPath) {
    const t = catalog.tables.get(`${s}.${name}`);
    if (t) return t;
  }
  return undefined;
}

export function tableKey(rv: { schemaname?: string; relname?: string } | undefined, state: ApplyState, catalog?: Catalog): string {
  const schema = rv?.schemaname;
  const name = rv?.relname ?? '';
  if (schema) return `${schema}.${name}`;
  if (catalog) {
    const t = resolveTable(catalog, undefined, name, state.searchPath);
    if (t) return t.key;
  }
  return `${state.searchPath[0] ?? 'public'}.${name}`;
}

export function safeDeparse(node: unknown): string | undefined {
  try {
    return deparseSync(node as never);
  } catch {
    return undefined;
  }
}

function columnFrom(def: ColumnDef, state: ApplyState, start: number, end: number): { column: Column; constraints: Constraint[] } {
  const column: Column = { name: def.colname ?? '', type: typeNameText(def.typeName), notNull: false, loc: loc(state, start, end) };
  column.typeSql = def.typeName ? safeDeparse({ TypeName: def.typeName }) : undefined;
  const collation = strs(def.collClause?.collname);
  if (collation.length) column.collation = collation.join('.');
  const constraints: Constraint[] = [];
  for (const c of def.constraints ?? []) {
    const con = as<PgConstraint>(c, 'Constraint');
    if (!con) continue;
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_DEFAULT':
        column.default = safeDeparse(con.raw_expr);
        break;
      case 'CONSTR_IDENTITY':
        column.identity = con.generated_when === 'a' ? 'always' : 'by default';
        column.notNull = true;
        break;
      case 'CONSTR_GENERATED':
        column.generated = 'stored';
        column.generatedExpr = safeDeparse(con.raw_expr);
        break;
      case 'CONSTR_PRIMARY':
        column.notNull = true;
        constraints.push(constraintFrom(con, state, start, end, [column.name]));
        break;
      default: {
        const k = constraintFrom(con, state, start, end, [column.name]);
        if (k) constraints.push(k);
      }
    }
  }
  if (/^(big|small)?serial\d?$/.test(column.type)) column.notNull = true;
  return { column, constraints: constraints.filter(Boolean) };
}

const CONTYPES: Record<string, Constraint['type']> = {
  CONSTR_PRIMARY: 'primary',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'not-null',
};

export function constraintFrom(con: PgConstraint, state: ApplyState, start: number, end: number, columns?: string[]): Constraint {
  const type = CONTYPES[con.contype ?? ''] ?? 'check';
  const own = type === 'foreign' ? strs(con.fk_attrs) : strs(con.keys);
  const result: Constraint = {
    name: con.conname || undefined,
    type,
    columns: own.length ? own : (columns ?? []),
    notValid: con.skip_validation === true,
    loc: loc(state, start, end),
    node: con,
    deferrable: con.deferrable === true || undefined,
    initiallyDeferred: con.initdeferred === true || undefined,
  };
  if (type === 'foreign' && con.pktable) {
    result.references = { table: tableKey(con.pktable, state), columns: strs(con.pk_attrs) };
  }
  return result;
}

function newTable(key: string, kind: Table['kind'], l: Loc): Table {
  const [schema, ...rest] = key.split('.');
  return {
    key,
    schema,
    name: rest.join('.'),
    kind,
    columns: new Map(),
    rls: { enabled: false, forced: false },
    policies: [],
    constraints: [],
    grants: [],
    loc: l,
  };
}

function applyCreate(catalog: Catalog, s: CreateStmt, stmt: Statement, state: ApplyState): void {
  const key = tableKey(s.relation, state);
  if (s.if_not_exists && catalog.tables.has(key)) return;
  const table = newTable(key, 'table', loc(state, stmt.start, stmt.end));
  for (const inh of s.inhRelations ?? []) {
    const rv = as<RangeVar>(inh, 'RangeVar');
    const parent = rv && catalog.tables.get(tableKey(rv, state, catalog));
    if (parent && s.partbound) {
      table.partitionOf = parent.key;
      for (const [n, c] of parent.columns) table.columns.set(n, { ...c });
    } else if (parent) {
      for (const [n, c] of parent.columns) table.columns.set(n, { ...c });
    }
  }
  for (const elt of s.tableElts ?? []) {
    const u = unwrap(elt);
    if (!u) continue;
    const start = typeof u.value.location === 'number' ? u.value.location : stmt.start;
    if (u.kind === 'ColumnDef') {
      const { column, constraints } = columnFrom(u.value as ColumnDef, state, start, start + String((u.value as ColumnDef).colname ?? '').length);
      table.columns.set(column.name, column);
      table.constraints.push(...constraints);
    } else if (u.kind === 'Constraint') {
      const con = constraintFrom(u.value as PgConstraint, state, start, stmt.end);
      table.constraints.push(con);
      if (con.type === 'primary') for (const c of con.columns) { const col = table.columns.get(c); if (col) col.notNull = true; }
    }
  }
  if (s.partspec) {
    const strategy = String(s.partspec.strategy ?? '').replace('PARTITION_STRATEGY_', '').toLowerCase();
    const columns = (s.partspec.partParams ?? [])
      .map((p) => as<{ name?: string; expr?: unknown }>(p, 'PartitionElem'))
      .map((p) => p?.name ?? exprColumn(p?.expr))
      .filter((c): c is string => !!c);
    table.partition = { strategy: strategy === 'list' || strategy === 'hash' ? strategy : 'range', columns };
  }
  catalog.tables.set(key, table);
}

/** The single column an expression is built on (e.g. date_trunc('day', created_at) → created_at). */
function exprColumn(expr: unknown): string | undefined {
  const cols = new Set<string>();
  walk(expr, (kind, value) => {
    if (kind === 'ColumnRef') {
      const parts = strs(value.fields);
      if (parts.length) cols.add(parts[parts.length - 1]);
    }
  });
  return cols.size === 1 ? [...cols][0] : undefined;
}

function applyAlterTable(catalog: Catalog, s: AlterTableStmt, stmt: Statement, state: ApplyState): void {
  const key = tableKey(s.relation, state, catalog);
  const table = catalog.tables.get(key);
  if (!table) return;
  for (const c of s.cmds ?? []) {
    const cmd = as<{ subtype?: string; name?: string; def?: unknown }>(c, 'AlterTableCmd');
    if (!cmd) continue;
    const col = cmd.name ? table.columns.get(cmd.name) : undefined;
    switch (cmd.subtype) {
      case 'AT_EnableRowSecurity':
        table.rls.enabled = true;
        table.rls.enabledAt = loc(state, stmt.start, stmt.end);
        break;
      case 'AT_DisableRowSecurity':
        table.rls.enabled = false;
        break;
      case 'AT_ForceRowSecurity':
        table.rls.forced = true;
        break;
      case 'AT_NoForceRowSecurity':
        table.rls.forced = false;
        break;
      case 'AT_AddColumn': {
        const def = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (def) {
          const start = typeof def.location === 'number' ? def.location : stmt.start;
          const { column, constraints } = columnFrom(def, state, start, start + (def.colname ?? '').length);
          if (!table.columns.has(column.name)) table.columns.set(column.name, column);
          table.constraints.push(...constraints);
        }
        break;
      }
      case 'AT_DropColumn':
        if (cmd.name) table.columns.delete(cmd.name);
        break;
      case 'AT_AlterColumnType': {
        const def = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (col && def) col.type = typeNameText(def.typeName);
        if (col && def?.typeName) col.typeSql = safeDeparse({ TypeName: def.typeName });
        break;
      }
      case 'AT_SetNotNull':
        if (col) col.notNull = true;
        break;
      case 'AT_DropNotNull':
        if (col) col.notNull = false;
        break;
      case 'AT_ColumnDefault':
        if (col) col.default = cmd.def ? safeDeparse(cmd.def) : undefined;
        break;
      case 'AT_AddConstraint': {
        const con = as<PgConstraint>(cmd.def, 'Constraint');
        if (con) table.constraints.push(constraintFrom(con, state, stmt.start, stmt.end));
        break;
      }
      case 'AT_DropConstraint':
        table.constraints = table.constraints.filter((k) => k.name !== cmd.name);
        break;
      case 'AT_ValidateConstraint':
        for (const k of table.constraints) if (k.name === cmd.name) k.notValid = false;
        break;
      default:
        break;
    }
  }
}

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
    permissive: s.permissive !== false,
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

function applyDrop(catalog: Catalog, s: { objects?: unknown[]; removeType?: string }, state: ApplyState): void {
  for (const o of s.objects ?? []) {
    const items = as<{ items?: unknown[] }>(o, 'List')?.items ?? [];
    const q = listName(items);
    if (!q) continue;
    switch (s.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE': {
        const t = resolveTable(catalog, q.schema, q.name, state.searchPath);
        if (t) catalog.tables.delete(t.key);
        break;
      }
      case 'OBJECT_INDEX': {
        for (const s2 of q.schema ? [q.schema] : state.searchPath) catalog.indexes.delete(`${s2}.${q.name}`);
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

/** Applies one statement's effect to the catalog. Unknown statements are ignored. */
export function applyStatement(catalog: Catalog, stmt: Statement, state: ApplyState): void {
  const u = unwrap(stmt.node);
  if (!u) return;
  const v = u.value;
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
    case 'CreateSchemaStmt':
      if (typeof v.schemaname === 'string') catalog.schemas.add(v.schemaname);
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
        else e.values.splice(v.newValIsAfter === false ? anchor : anchor + 1, 0, v.newVal);
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
    default:
      applyFunctionStatement(catalog, u.kind, v, stmt, state);
  }
  extrasAfter(catalog, u.kind, v, stmt, state, before);
  catalog.version++;
}

export type { FunctionDef, Table, Column };
export { defElems };
