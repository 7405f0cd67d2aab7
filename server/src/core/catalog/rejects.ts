// Statements PostgreSQL refuses because something they depend on is missing from the schema built so far: a foreign key
// to a relation no statement creates, an index on a table that is not there, an operator class whose extension nobody
// created. On the server such a statement changes nothing; the catalog must leave it out too, or it describes a schema
// the same files never build.
import type { AlterTableStmt, ColumnDef, Constraint, CreateStmt, IndexElem, IndexStmt, RangeVar } from '@pgsql/types';
import { extensionNames, opclassOrigin } from '../intel/builtins';
import { platformSchemasOf } from '../projects/platform';
import { as, strs, walk } from '../parse/ast';
import { findTable, tableKey, type ApplyState } from './apply-state';
import type { Catalog } from './types';

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/** Tables migration tools create for their own bookkeeping before the first migration runs (migrations may alter them). */
const TOOL_TABLES = new Set([
  'schema_migrations',
  'schema_migration',
  '__diesel_schema_migrations',
  '_sqlx_migrations',
  'flyway_schema_history',
  'goose_db_version',
  'gorp_migrations',
]);

/** Why PostgreSQL refuses a statement (its own error text), and the name it cannot find (qualified parts). */
export interface Refusal {
  reason: string;
  name: string[];
  /** The missing relation is one an earlier refused statement would have created: a consequence, not a cause. */
  consequence?: boolean;
}

/** Why PostgreSQL refuses the statement, or undefined when it may run. */
export function rejection(catalog: Catalog, kind: string, v: Record<string, unknown>, state: ApplyState): Refusal | undefined {
  switch (kind) {
    case 'CreateStmt':
      return createRejection(catalog, v as CreateStmt, state);
    case 'AlterTableStmt':
      return alterRejection(catalog, v as AlterTableStmt, state);
    case 'IndexStmt':
      return indexRejection(catalog, v as IndexStmt, state);
    case 'RenameStmt':
      // ALTER TABLE … RENAME TO of a table that is not there (its CREATE was refused, say).
      return v.renameType === 'OBJECT_TABLE' && !v.missing_ok ? missing(catalog, v.relation as RangeVar | undefined, state) : undefined;
    default:
      return undefined;
  }
}

/** Text of statements the catalog does not execute (DO blocks), which may create what later statements use. */
export function noteOpaque(catalog: Catalog, text: string): void {
  // Dynamic SQL (EXECUTE of a built string) may have created anything, under names its text does not spell.
  (catalog.opaque ??= []).push(/\bexecute\b/i.test(text) ? ANYTHING : text.toLowerCase());
}

/** An opaque entry saying that something the catalog cannot see ran dynamic SQL. */
const ANYTHING = '\u0000*';

/**
 * A query or CALL in a migration that calls the project's own PL/pgSQL or SQL functions runs their bodies: what those
 * bodies may create (a partition-making function, say) is unseen, so their text counts as opaque.
 */
export function noteCalledRoutines(catalog: Catalog, node: unknown): void {
  const keys = new Set<string>();
  walk(node, (kind, value) => {
    const parts = strs(value.funcname);
    if (kind !== 'FuncCall' || !parts.length) return;
    // Functions are keyed schema.name: a qualified call names one, an unqualified one may be in any schema.
    if (parts.length > 1) keys.add(parts.slice(-2).join('.'));
    else for (const schema of catalog.schemas) keys.add(`${schema}.${parts[0]}`);
  });
  for (const key of keys) {
    for (const f of catalog.functions.get(key) ?? []) if (f.body && /\b(create|execute|alter)\b/i.test(f.body.text)) noteOpaque(catalog, f.body.text);
  }
}

function missing(catalog: Catalog, rv: RangeVar | undefined, state: ApplyState, self?: string): Refusal | undefined {
  const name = rv?.relname;
  if (!name || (rv.schemaname && SYSTEM_SCHEMAS.has(rv.schemaname))) return undefined;
  if (findTable(catalog, rv.schemaname, name, state.searchPath)) return undefined;
  // A platform's schema (Supabase's realtime, vault…) holds more than pgdba models of it.
  if (rv.schemaname && platformSchemasOf(catalog).has(rv.schemaname)) return undefined;
  const key = tableKey(rv, state);
  if (key === self || (!rv.schemaname && self?.endsWith(`.${name}`))) return undefined;
  if (TOOL_TABLES.has(name) || madeElsewhere(catalog, name)) return undefined;
  const parts = rv.schemaname ? [rv.schemaname, name] : [name];
  const consequence = catalog.rejected?.some((r) => r.creates === key || (!rv.schemaname && r.creates?.endsWith(`.${name}`)));
  return { reason: `relation "${parts.join('.')}" does not exist`, name: parts, ...(consequence ? { consequence } : {}) };
}

/**
 * Whether something the catalog cannot see may have made the relation: an extension pgdba has no object list for (or
 * one whose objects include it), or a DO block naming it. Then the statement is given the benefit of the doubt.
 */
function madeElsewhere(catalog: Catalog, name: string): boolean {
  for (const ext of catalog.extensions) {
    const objects = extensionNames(ext);
    if (!objects || objects.relations.has(name)) return true;
  }
  const lower = name.toLowerCase();
  return catalog.opaque?.some((text) => text === ANYTHING || text.includes(lower)) ?? false;
}

function foreignTargets(constraints: unknown[] | undefined): RangeVar[] {
  const out: RangeVar[] = [];
  for (const c of constraints ?? []) {
    const k = as<Constraint>(c, 'Constraint');
    if (k?.contype === 'CONSTR_FOREIGN' && k.pktable) out.push(k.pktable);
  }
  return out;
}

function columnTargets(def: unknown): RangeVar[] {
  return foreignTargets(as<ColumnDef>(def, 'ColumnDef')?.constraints);
}

function createRejection(catalog: Catalog, s: CreateStmt, state: ApplyState): Refusal | undefined {
  const rv = s.relation;
  if (!rv?.relname) return undefined;
  const self = tableKey(rv, state);
  // CREATE TABLE IF NOT EXISTS of a table that is there: a notice, nothing checked.
  if (s.if_not_exists && findTable(catalog, rv.schemaname, rv.relname, rv.schemaname ? undefined : state.searchPath)) return undefined;
  const targets: RangeVar[] = [];
  for (const parent of s.inhRelations ?? []) {
    const p = as<RangeVar>(parent, 'RangeVar');
    if (p) targets.push(p);
  }
  for (const e of s.tableElts ?? []) targets.push(...columnTargets(e), ...foreignTargets([e]));
  for (const t of targets) {
    const why = missing(catalog, t, state, self);
    if (why) return why;
  }
  return undefined;
}

function alterRejection(catalog: Catalog, s: AlterTableStmt, state: ApplyState): Refusal | undefined {
  if (s.objtype !== 'OBJECT_TABLE' || !s.relation?.relname) return undefined;
  const table = findTable(catalog, s.relation.schemaname, s.relation.relname, state.searchPath);
  if (!table) return s.missing_ok ? undefined : missing(catalog, s.relation, state);
  for (const c of s.cmds ?? []) {
    const cmd = as<{ subtype?: string; def?: unknown }>(c, 'AlterTableCmd');
    const targets = cmd?.subtype === 'AT_AddConstraint' ? foreignTargets([cmd.def]) : cmd?.subtype === 'AT_AddColumn' ? columnTargets(cmd.def) : [];
    for (const t of targets) {
      const why = missing(catalog, t, state, table.key);
      if (why) return why;
    }
  }
  return undefined;
}

function indexRejection(catalog: Catalog, s: IndexStmt, state: ApplyState): Refusal | undefined {
  const gone = missing(catalog, s.relation, state);
  if (gone) return gone;
  const method = s.accessMethod ?? 'btree';
  for (const p of [...(s.indexParams ?? []), ...(s.indexIncludingParams ?? [])]) {
    const names = strs(as<IndexElem>(p, 'IndexElem')?.opclass);
    const opclass = names[names.length - 1];
    if (!opclass) continue;
    const origin = opclassOrigin(method, opclass);
    if (origin && origin !== 'system' && !catalog.extensions.has(origin)) {
      return {
        reason: `operator class "${opclass}" does not exist for access method "${method}" (it comes with extension ${origin}, which no statement before this one creates)`,
        name: names,
      };
    }
  }
  return undefined;
}
