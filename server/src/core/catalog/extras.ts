// Catalog detail beyond what the rules need, kept so rollbacks can re-create what a migration drops or changes: stored
// definitions, PostgreSQL's generated names, triggers, sequences, types and comments. Runs around build.ts's applyStatement.
import type { AlterTableStmt, ColumnDef, CreateStmt, RangeVar } from '@pgsql/types';
import { as, str, strs } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { ApplyState } from './build';
import { findTable, tableKey } from './apply-state';
import {
  addImplicitSequence,
  dropColumnDependents,
  dropDependentViews,
  enrichColumns,
  nameConstraints,
  renameColumnReferences,
  renameOtherRelation,
  renameTableReferences,
  sequencesOf,
  constraintName,
  SchemaConstraintNames,
  someColumn,
  sweepDangling,
} from './extras-table';
import { outputColumns } from './query-types';
import { expandStars } from './expand-star';
import { figureColname } from './names';
import {
  alterDomain,
  alterPolicy,
  alterSequence,
  comment,
  createSequence,
  createTrigger,
  createType,
  dropObjects,
  qualified,
  renameObject,
  typesOf,
} from './extras-objects';
import type { Catalog, Column, FunctionDef, Sequence, Table } from './types';
import { keysWhere, takeWhere } from '../rollback/cow-map';

/** What the statement's effect needs to know about the catalog before build.ts changes it. */
export interface Before {
  /** Keys of the relations a DROP removes. */
  dropped?: string[];
  /** The key a renamed relation had. */
  renamedKey?: string;
  /** A view or function being replaced, to carry its grants and comment over. */
  replaced?: Table;
  replacedFunctions?: FunctionDef[];
}

const RELATION_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

export function extrasBefore(catalog: Catalog, kind: string, v: Record<string, unknown>, state: ApplyState): Before {
  switch (kind) {
    case 'DropStmt':
      if (!RELATION_DROPS.has(v.removeType as string)) return {};
      return {
        dropped: ((v.objects as unknown[] | undefined) ?? [])
          .map((o) => strs(as<{ items?: unknown[] }>(o, 'List')?.items))
          .map((p) => findTable(catalog, p.length > 1 ? p[p.length - 2] : undefined, p[p.length - 1] ?? '', state.searchPath)?.key)
          .filter((k): k is string => !!k),
      };
    case 'RenameStmt':
      return v.relation
        ? { renamedKey: findTable(catalog, (v.relation as RangeVar).schemaname, (v.relation as RangeVar).relname ?? '', state.searchPath)?.key }
        : {};
    case 'ViewStmt':
    case 'CreateTableAsStmt': {
      const rv = (v.view ?? (v.into as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined;
      return rv ? { replaced: catalog.tables.get(tableKey(rv, state)) } : {};
    }
    case 'CreateFunctionStmt':
      return { replacedFunctions: catalog.functions.get(functionKey(v, state)) };
    default:
      return {};
  }
}

export function extrasAfter(catalog: Catalog, kind: string, v: Record<string, unknown>, stmt: Statement, state: ApplyState, before: Before): void {
  switch (kind) {
    case 'CreateStmt':
      return afterCreate(catalog, v as CreateStmt, stmt, state);
    case 'AlterTableStmt':
      return afterAlterTable(catalog, v as AlterTableStmt, state);
    case 'DropStmt':
      return afterDrop(catalog, v, state, before);
    case 'RenameStmt':
      return afterRename(catalog, v, state, before);
    case 'ViewStmt':
    case 'CreateTableAsStmt':
      return afterView(catalog, v, state, before);
    case 'CreatePolicyStmt': {
      const table = catalog.tables.get(tableKey(v.table as RangeVar, state, catalog));
      const p = table?.policies[table.policies.length - 1];
      if (p && p.name === v.policy_name) p.node = v;
      return;
    }
    case 'AlterPolicyStmt':
      return alterPolicy(catalog, v, state);
    case 'CreateTrigStmt':
      return createTrigger(catalog, v, stmt, state);
    case 'CreateSeqStmt':
      return createSequence(catalog, v, stmt, state);
    case 'AlterSeqStmt':
      return alterSequence(catalog, v, state);
    case 'CompositeTypeStmt':
      return createType(catalog, 'composite', v, stmt, state);
    case 'CreateDomainStmt':
      return createType(catalog, 'domain', v, stmt, state);
    case 'CreateRangeStmt':
      return createType(catalog, 'range', v, stmt, state);
    case 'AlterDomainStmt':
      return alterDomain(catalog, v, state);
    case 'CommentStmt':
      return comment(catalog, v, state);
    case 'CreateFunctionStmt':
      return afterFunction(catalog, v, stmt, state, before);
    case 'AlterEnumStmt':
      if (typeof v.oldVal === 'string' && typeof v.newVal === 'string') renameEnumValue(catalog, qualified(v.typeName, state), v.oldVal, v.newVal);
      return;
    default:
      return;
  }
}

function afterCreate(catalog: Catalog, s: CreateStmt, stmt: Statement, state: ApplyState): void {
  const table = catalog.tables.get(tableKey(s.relation, state));
  // CREATE TABLE IF NOT EXISTS of a table that was already there changes nothing.
  if (!table || table.loc.start !== stmt.start || table.loc.file !== state.file) return;
  table.node = s;
  const defs = (s.tableElts ?? []).map((e) => as<ColumnDef>(e, 'ColumnDef')).filter((d): d is ColumnDef => !!d);
  // Sequences and deferrability change no constraint name: both steps read the schema's names once.
  const names = new SchemaConstraintNames(catalog, table.schema, table.name);
  enrichColumns(catalog, table, defs, names);
  nameConstraints(catalog, table, names);
}

function afterAlterTable(catalog: Catalog, s: AlterTableStmt, state: ApplyState): void {
  const table = catalog.tables.get(tableKey(s.relation, state, catalog));
  if (!table) return;
  // Constraints this statement adds (DROP CONSTRAINT x, ADD CONSTRAINT x … replaces one under the same name).
  const added = new Set<unknown>();
  for (const c of s.cmds ?? []) {
    const cmd = as<{ subtype?: string; def?: unknown }>(c, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_AddConstraint') added.add(as(cmd.def, 'Constraint'));
    for (const k of as<ColumnDef>(cmd?.def, 'ColumnDef')?.constraints ?? []) added.add(as(k, 'Constraint'));
  }
  for (const c of s.cmds ?? []) {
    const cmd = as<{ subtype?: string; name?: string; def?: unknown; behavior?: string }>(c, 'AlterTableCmd');
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (def) enrichColumns(catalog, table, [def]);
        break;
      }
      case 'AT_DropColumn':
        if (cmd.name) dropColumnDependents(catalog, table, cmd.name, cmd.behavior === 'DROP_CASCADE');
        break;
      case 'AT_DropConstraint':
        table.constraints = table.constraints.filter((k) => constraintName(k) !== cmd.name || added.has(k.node));
        break;
      case 'AT_ValidateConstraint':
        for (const k of table.constraints) if (constraintName(k) === cmd.name) k.notValid = false;
        break;
      case 'AT_AlterConstraint': {
        const a =
          as<{ conname?: string; alterDeferrability?: boolean; deferrable?: boolean; initdeferred?: boolean }>(cmd.def, 'ATAlterConstraint') ??
          as<{ conname?: string; deferrable?: boolean; initdeferred?: boolean }>(cmd.def, 'Constraint');
        const k = a && table.constraints.find((x) => constraintName(x) === a.conname);
        if (k && a && (!('alterDeferrability' in a) || a.alterDeferrability)) {
          k.deferrable = a.deferrable || undefined;
          k.initiallyDeferred = a.initdeferred || undefined;
        }
        break;
      }
      case 'AT_AddIdentity': {
        const col = cmd.name ? table.columns.get(cmd.name) : undefined;
        const con = as<{ generated_when?: string }>(cmd.def, 'Constraint');
        if (col && con) {
          col.identity = con.generated_when === 'a' ? 'always' : 'by default';
          col.notNull = true;
          addImplicitSequence(catalog, table, col.name, 'identity');
        }
        break;
      }
      case 'AT_DropIdentity': {
        const col = cmd.name ? table.columns.get(cmd.name) : undefined;
        if (!col) break;
        col.identity = undefined;
        const owned = (seq: Sequence) => seq.implicit === 'identity' && seq.ownedBy?.table === table.key && seq.ownedBy.column === col.name;
        for (const key of keysWhere(sequencesOf(catalog), owned)) sequencesOf(catalog).delete(key);
        break;
      }
      case 'AT_DropExpression': {
        const col = cmd.name ? table.columns.get(cmd.name) : undefined;
        if (col) {
          col.generated = undefined;
          col.generatedExpr = undefined;
        }
        break;
      }
      default:
        break;
    }
  }
  nameConstraints(catalog, table);
}

function afterDrop(catalog: Catalog, v: Record<string, unknown>, state: ApplyState, before: Before): void {
  dropObjects(catalog, v, state);
  if (v.removeType === 'OBJECT_SCHEMA') {
    for (const o of (v.objects as unknown[] | undefined) ?? []) {
      const schema = str(o);
      if (schema) dropSchemaContents(catalog, schema);
    }
  }
  if (before.dropped?.length && v.behavior === 'DROP_CASCADE') dropDependentViews(catalog, new Set(before.dropped), state.searchPath);
  if (before.dropped?.length || v.removeType === 'OBJECT_SCHEMA') sweepDangling(catalog);
}

function dropSchemaContents(catalog: Catalog, schema: string): void {
  const inSchema = (key: string) => key.startsWith(`${schema}.`);
  for (const map of [catalog.tables, catalog.functions, catalog.enums, catalog.indexes, sequencesOf(catalog), typesOf(catalog)] as Map<string, unknown>[]) {
    for (const key of [...map.keys()]) if (inSchema(key)) map.delete(key);
  }
}

function afterRename(catalog: Catalog, v: Record<string, unknown>, state: ApplyState, before: Before): void {
  const rv = v.relation as RangeVar | undefined;
  const newname = v.newname as string | undefined;
  if (!newname) return;
  switch (v.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_INDEX':
    case 'OBJECT_SEQUENCE': {
      if (before.renamedKey) {
        const table = catalog.tables.get(`${before.renamedKey.split('.')[0]}.${newname}`);
        if (table) renameTableReferences(catalog, before.renamedKey, table, state.searchPath);
        return;
      }
      // ALTER TABLE/INDEX/SEQUENCE … RENAME of a relation that is not a table (PostgreSQL accepts any of them).
      if (!rv?.relname) return;
      const schemas = rv.schemaname ? [rv.schemaname] : state.searchPath;
      const found = schemas.find((s) => catalog.indexes.has(`${s}.${rv.relname}`) || catalog.sequences?.has(`${s}.${rv.relname}`));
      renameOtherRelation(catalog, found ?? schemas[0] ?? 'public', rv.relname, newname);
      return;
    }
    case 'OBJECT_COLUMN': {
      const table = rv && catalog.tables.get(tableKey(rv, state, catalog));
      if (table && typeof v.subname === 'string') renameColumnReferences(catalog, table, v.subname, newname);
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = rv && catalog.tables.get(tableKey(rv, state, catalog));
      for (const k of table?.constraints ?? []) {
        if (constraintName(k) === v.subname) {
          k.name = newname;
          k.pgName = newname;
        }
      }
      return;
    }
    default:
      renameObject(catalog, v, state);
  }
}

function afterView(catalog: Catalog, v: Record<string, unknown>, state: ApplyState, before: Before): void {
  const rv = (v.view ?? (v.into as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined;
  const table = rv && catalog.tables.get(tableKey(rv, state));
  if (!table || (v.if_not_exists && before.replaced)) return;
  table.node = table.kind === 'table' ? v : expandStars(catalog, v, state);
  // CREATE TABLE … AS: its columns come from the query, with the types the query's columns, casts and aggregates give.
  if (table.kind === 'table') {
    if (table.columns.size === 0)
      for (const name of queryOutputNames(v.query) ?? []) table.columns.set(name, { name, type: '', notNull: false, loc: table.loc });
    const types = outputColumns(v.query, catalog, state);
    const columns = [...table.columns.values()];
    if (types && types.length === columns.length) {
      columns.forEach((c, i) => {
        if (!types[i].type) return;
        c.type = types[i].type;
        c.typeSql = types[i].typeSql;
      });
    }
  }
  // CREATE OR REPLACE VIEW keeps the view's privileges, comment and triggers.
  const old = before.replaced;
  if (old && v.replace) {
    table.grants = old.grants;
    table.comment = old.comment;
    table.triggers = old.triggers;
    for (const [name, c] of old.columns) {
      const col = table.columns.get(name);
      if (col && c.comment) col.comment = c.comment;
    }
  }
}

function functionKey(v: Record<string, unknown>, state: ApplyState): string {
  const q = strs(v.funcname);
  return `${q.length > 1 ? q[q.length - 2] : (state.searchPath[0] ?? 'public')}.${q[q.length - 1]}`;
}

function afterFunction(catalog: Catalog, v: Record<string, unknown>, stmt: Statement, state: ApplyState, before: Before): void {
  for (const f of catalog.functions.get(functionKey(v, state)) ?? []) {
    if (f.loc.start !== stmt.start || f.loc.file !== state.file) continue;
    f.node = v;
    // CREATE OR REPLACE keeps the comment.
    const prev = before.replacedFunctions?.find((p) => p.argTypes.join(',') === f.argTypes.join(','));
    if (prev && v.replace) f.comment = prev.comment;
  }
}

/** The column names a SELECT produces, as PostgreSQL names them; undefined with a `*` (the tables' columns are not expanded). */
function queryOutputNames(query: unknown): string[] | undefined {
  let s = as<{ targetList?: unknown[]; op?: string; larg?: unknown }>(query, 'SelectStmt');
  while (s && s.op && s.op !== 'SETOP_NONE') s = s.larg as typeof s;
  if (!s?.targetList) return undefined;
  const names: string[] = [];
  for (const t of s.targetList) {
    const r = as<{ name?: string; val?: unknown }>(t, 'ResTarget');
    if (strs(as<{ fields?: unknown[] }>(r?.val, 'ColumnRef')?.fields).includes('*')) return undefined;
    names.push(r?.name ?? figureColname(r?.val) ?? '?column?');
  }
  return names;
}

/** RENAME VALUE: defaults hold the value by OID in PostgreSQL, so a column default written with the old label shows the new one. */
function renameEnumValue(catalog: Catalog, key: string | undefined, from: string, to: string): void {
  if (!key) return;
  const name = key.slice(key.indexOf('.') + 1);
  const quoted = (x: string) => `'${x.replace(/'/g, "''")}'`;
  const labelled = (c: Column) => {
    const type = (c.typeSql ?? c.type).replace(/"/g, '');
    if (c.default === undefined || !(type === name || type === key || type.endsWith(`.${name}`))) return false;
    return c.default === quoted(from) || c.default.startsWith(`${quoted(from)}::`);
  };
  for (const t of takeWhere(catalog.tables, (t) => someColumn(t, labelled))) {
    for (const c of t.columns.values()) if (labelled(c)) c.default = quoted(to) + c.default!.slice(quoted(from).length);
  }
}
