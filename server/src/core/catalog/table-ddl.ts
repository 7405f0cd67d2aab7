// Applies table DDL to the catalog: CREATE TABLE (columns, constraints, inheritance, partitioning) and ALTER TABLE.
import type { AlterTableStmt, ColumnDef, Constraint as PgConstraint, CreateStmt, RangeVar } from '@pgsql/types';
import { as, strs, typeNameText, unwrap, walk } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { Catalog, Column, Constraint, Loc, Table } from './types';
import { type ApplyState, deparseTypeName, loc, safeDeparse, tableKey } from './apply-state';
import { dropForeignKeysOn } from './drop-cascade';
import { peek } from '../rollback/cow-map';
import { applyColumnDefPhysical, applyCreatePhysical, applyPhysicalCmd } from './physical';

function columnFrom(def: ColumnDef, state: ApplyState, start: number, end: number): { column: Column; constraints: Constraint[] } {
  const column: Column = { name: def.colname ?? '', type: typeNameText(def.typeName), notNull: false, loc: loc(state, start, end) };
  column.typeSql = def.typeName ? deparseTypeName(def.typeName) : undefined;
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

/** PRIMARY KEY makes its columns NOT NULL; so does a table constraint `[CONSTRAINT name] NOT NULL col` (PostgreSQL 18 syntax). */
function markNotNull(table: Table, con: Constraint): void {
  if (con.type !== 'primary' && con.type !== 'not-null') return;
  for (const c of con.columns) {
    const col = table.columns.get(c);
    if (col) col.notNull = true;
  }
}

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

export function newTable(key: string, kind: Table['kind'], l: Loc): Table {
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

export function applyCreate(catalog: Catalog, s: CreateStmt, stmt: Statement, state: ApplyState): void {
  const key = tableKey(s.relation, state);
  if (s.if_not_exists && catalog.tables.has(key)) return;
  const table = newTable(key, 'table', loc(state, stmt.start, stmt.end));
  for (const inh of s.inhRelations ?? []) {
    const rv = as<RangeVar>(inh, 'RangeVar');
    // Read only (its columns are copied): a catalog copy need not clone it.
    const parent = rv && peek(catalog.tables, tableKey(rv, state, catalog));
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
      markNotNull(table, con);
    }
  }
  if (s.partspec) {
    const strategy = String(s.partspec.strategy ?? '')
      .replace('PARTITION_STRATEGY_', '')
      .toLowerCase();
    const columns = (s.partspec.partParams ?? [])
      .map((p) => as<{ name?: string; expr?: unknown }>(p, 'PartitionElem'))
      .map((p) => p?.name ?? exprColumn(p?.expr))
      .filter((c): c is string => !!c);
    table.partition = { strategy: strategy === 'list' || strategy === 'hash' ? strategy : 'range', columns };
  }
  applyCreatePhysical(table, s);
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

export function applyAlterTable(catalog: Catalog, s: AlterTableStmt, stmt: Statement, state: ApplyState): void {
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
          applyColumnDefPhysical(column, def);
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
        if (col && def?.typeName) col.typeSql = deparseTypeName(def.typeName);
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
        if (!con) break;
        const added = constraintFrom(con, state, stmt.start, stmt.end);
        table.constraints.push(added);
        markNotNull(table, added);
        break;
      }
      case 'AT_DropConstraint': {
        const dropped = table.constraints.find((k) => (k.pgName ?? k.name) === cmd.name);
        table.constraints = table.constraints.filter((k) => k.name !== cmd.name);
        // DROP CONSTRAINT … CASCADE of a primary key or unique constraint takes the foreign keys that reference it.
        if (dropped && (dropped.type === 'primary' || dropped.type === 'unique') && (cmd as { behavior?: string }).behavior === 'DROP_CASCADE') {
          dropForeignKeysOn(catalog, table.key, dropped.columns);
        }
        break;
      }
      case 'AT_ValidateConstraint':
        for (const k of table.constraints) if (k.name === cmd.name) k.notValid = false;
        break;
      default:
        applyPhysicalCmd(table, cmd);
        break;
    }
  }
}
