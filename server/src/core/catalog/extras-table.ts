// Catalog detail that rollbacks need about tables: PostgreSQL's names for unnamed constraints, indexes and serial sequences,
// what DROP COLUMN takes with it, and how renames carry over to the definitions that refer to a table or column.
import type { ColumnDef, IndexStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { chooseName, indexColumnNames, nameAddition } from './names';
import { columnsReadBy, relationsIn, renameColumnIn, renameColumnInQuery, renameReferencedColumn, renameRelationIn } from './rewrite';
import { CowMap, forEachRead, keysWhere, peek, takeWhere } from '../rollback/cow-map';
import type { Catalog, Column, Constraint, Sequence, Table } from './types';

const REAL = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK', 'CONSTR_FOREIGN', 'CONSTR_EXCLUSION']);
const INDEX_BACKED = new Set<Constraint['type']>(['primary', 'unique', 'exclusion']);

/** The Constraint AST payload of a catalog constraint. */
export function constraintNode(k: Constraint): Record<string, unknown> | undefined {
  const n = k.node as Record<string, unknown> | undefined;
  return n && typeof n.contype === 'string' ? n : undefined;
}

/** A constraint PostgreSQL keeps in pg_constraint (column NOT NULL / NULL / DEFERRABLE markers are not). */
export function isRealConstraint(k: Constraint): boolean {
  const n = constraintNode(k);
  return !!n && REAL.has(n.contype as string);
}

export function constraintName(k: Constraint): string | undefined {
  return k.pgName ?? k.name;
}

export function sequencesOf(catalog: Catalog): Map<string, Sequence> {
  catalog.sequences ??= new Map();
  return catalog.sequences;
}

/**
 * The constraint names of one schema's tables, gathered in one pass over the tables when first asked: naming a table's
 * constraints tries names one by one, and each try used to walk every table. Only good while no constraint changes
 * except through `add` (make one per naming step). Only names starting with `prefix` are gathered (the names PostgreSQL
 * generates for a relation start with its name, which is clipped to no less than about 26 bytes); a name without it is
 * looked up by a walk, so the prefix decides the cost, never the answer.
 */
export class SchemaConstraintNames {
  /** Names of primary key, unique and exclusion constraints (each has an index of that name). */
  private indexBacked?: Set<string>;
  /** Names of every constraint PostgreSQL keeps in pg_constraint. */
  private real?: Set<string>;
  private readonly prefix: string;

  /** `relname`: the relation whose generated names are asked about (its first characters are the prefix). */
  constructor(
    private readonly catalog: Catalog,
    readonly schema: string,
    relname = '',
  ) {
    this.prefix = relname.slice(0, 6);
  }

  /** Calls `fn` with each named constraint of the schema's tables. */
  private each(fn: (k: Constraint, name: string) => void): void {
    // Read without cloning (catalog copies): nothing here changes a table.
    forEachRead(this.catalog.tables, (t) => {
      if (t.schema !== this.schema) return;
      for (const k of t.constraints) {
        const name = constraintName(k);
        if (name !== undefined) fn(k, name);
      }
    });
  }

  private load(): { indexBacked: Set<string>; real: Set<string> } {
    if (!this.indexBacked || !this.real) {
      const indexBacked = new Set<string>();
      const real = new Set<string>();
      const prefix = this.prefix;
      this.each((k, name) => {
        if (!name.startsWith(prefix)) return;
        if (INDEX_BACKED.has(k.type)) indexBacked.add(name);
        if (isRealConstraint(k)) real.add(name);
      });
      this.indexBacked = indexBacked;
      this.real = real;
    }
    return { indexBacked: this.indexBacked, real: this.real };
  }

  /** A constraint of the schema was given `name` since the names were gathered. */
  add(k: Constraint, name: string): void {
    if (!this.indexBacked || !this.real || !name.startsWith(this.prefix)) return;
    if (INDEX_BACKED.has(k.type)) this.indexBacked.add(name);
    if (isRealConstraint(k)) this.real.add(name);
  }

  /** A walk for a name without the prefix. */
  private walkFor(name: string, test: (k: Constraint) => boolean): boolean {
    let found = false;
    this.each((k, n) => {
      if (n === name && test(k)) found = true;
    });
    return found;
  }

  /** Whether a relation (table, view, index, sequence, composite type, constraint index) of that name exists in the schema. */
  relationTaken(name: string): boolean {
    const key = `${this.schema}.${name}`;
    const c = this.catalog;
    if (c.tables.has(key) || c.indexes.has(key) || c.sequences?.has(key)) return true;
    if (c.types && peek(c.types, key)?.kind === 'composite') return true;
    if (!name.startsWith(this.prefix)) return this.walkFor(name, (k) => INDEX_BACKED.has(k.type));
    return this.load().indexBacked.has(name);
  }

  /** ConstraintNameExists: any constraint of that name in the schema. */
  constraintTaken(name: string): boolean {
    if (!name.startsWith(this.prefix)) return this.walkFor(name, isRealConstraint);
    return this.load().real.has(name);
  }
}

/** ChooseIndexName for CREATE INDEX without a name. */
export function chooseIndexName(catalog: Catalog, schema: string, relname: string, s: IndexStmt): string {
  const cols = indexColumnNames([...(s.indexParams ?? []), ...(s.indexIncludingParams ?? [])]);
  const label = s.primary ? 'pkey' : s.excludeOpNames?.length ? 'excl' : s.isconstraint ? 'key' : 'idx';
  const names = new SchemaConstraintNames(catalog, schema, relname);
  const taken = (n: string) => names.relationTaken(n) || (s.isconstraint === true && names.constraintTaken(n));
  return chooseName(relname, label === 'pkey' ? undefined : nameAddition(cols), label, taken);
}

/** The name PostgreSQL gives an unnamed table constraint (`names`: the constraint names of the table's schema). */
function generatedConstraintName(names: SchemaConstraintNames, table: Table, k: Constraint): string {
  const n = constraintNode(k) ?? {};
  const both = (name: string) => names.relationTaken(name) || names.constraintTaken(name);
  const only = (name: string) => names.constraintTaken(name);
  const including = ((n.including as unknown[] | undefined) ?? []).length ? (columnsOfList(n.including) ?? []) : [];
  switch (k.type) {
    case 'primary':
      return chooseName(table.name, undefined, 'pkey', both);
    case 'unique':
      return chooseName(table.name, nameAddition([...k.columns, ...including]), 'key', both);
    case 'exclusion': {
      const elems = ((n.exclusions as unknown[] | undefined) ?? []).map((pair) => (as<{ items?: unknown[] }>(pair, 'List')?.items ?? [])[0]);
      return chooseName(table.name, nameAddition(indexColumnNames(elems)), 'excl', both);
    }
    case 'foreign':
      return chooseName(table.name, nameAddition(k.columns), 'fkey', only);
    default: {
      // A CHECK referencing exactly one column is named tab_col_check, otherwise tab_check (heap.c AddRelationNewConstraints).
      const cols = [...columnsReadBy(n.raw_expr)];
      return chooseName(table.name, cols.length === 1 ? cols[0] : undefined, 'check', only);
    }
  }
}

function columnsOfList(list: unknown): string[] | undefined {
  return Array.isArray(list) ? list.map((i) => (i as { String?: { sval?: string } }).String?.sval ?? '') : undefined;
}

/**
 * Gives every new constraint of a table its stored name, in the order PostgreSQL names them: checks, index-backed, foreign
 * keys. `names`: the schema's constraint names, when the caller gathered them since the last change of a constraint.
 */
export function nameConstraints(catalog: Catalog, table: Table, names?: SchemaConstraintNames): void {
  const order: Constraint['type'][] = ['check', 'primary', 'unique', 'exclusion', 'foreign'];
  for (const type of order) {
    for (const k of table.constraints) {
      if (k.type !== type || k.pgName || !isRealConstraint(k)) continue;
      if (k.name !== undefined) {
        k.pgName = k.name;
        names?.add(k, k.name);
        continue;
      }
      names ??= new SchemaConstraintNames(catalog, table.schema, table.name);
      k.pgName = generatedConstraintName(names, table, k);
      names.add(k, k.pgName);
    }
  }
}

const SERIAL = /^(small|big)?serial[248]?$/;

/**
 * Applies column-constraint attributes (DEFERRABLE …) and makes the sequences serial and identity columns own (`names`: as
 * for nameConstraints; this changes no constraint name).
 */
export function enrichColumns(catalog: Catalog, table: Table, defs: ColumnDef[], names?: SchemaConstraintNames): void {
  for (const def of defs) {
    const col = def.colname ? table.columns.get(def.colname) : undefined;
    if (!col) continue;
    let last: Constraint | undefined;
    for (const c of def.constraints ?? []) {
      const con = as<{ contype?: string }>(c, 'Constraint');
      if (!con) continue;
      if (REAL.has(con.contype ?? '')) last = table.constraints.find((k) => k.node === con);
      else if (last && con.contype === 'CONSTR_ATTR_DEFERRABLE') last.deferrable = true;
      else if (last && con.contype === 'CONSTR_ATTR_NOT_DEFERRABLE') last.deferrable = undefined;
      else if (last && con.contype === 'CONSTR_ATTR_DEFERRED') last.initiallyDeferred = true;
      else if (last && con.contype === 'CONSTR_ATTR_IMMEDIATE') last.initiallyDeferred = undefined;
      if (con.contype === 'CONSTR_IDENTITY') addImplicitSequence(catalog, table, col.name, 'identity', undefined, names);
    }
    if (SERIAL.test(col.type)) col.serialSequence = addImplicitSequence(catalog, table, col.name, 'serial', col.type, names);
  }
}

export function addImplicitSequence(
  catalog: Catalog,
  table: Table,
  column: string,
  implicit: 'serial' | 'identity',
  type?: string,
  names = new SchemaConstraintNames(catalog, table.schema, table.name),
): string {
  const name = chooseName(table.name, column, 'seq', (n) => names.relationTaken(n));
  const key = `${table.schema}.${name}`;
  const dataType = type?.startsWith('big') ? 'bigint' : type?.startsWith('small') ? 'smallint' : 'integer';
  sequencesOf(catalog).set(key, { key, schema: table.schema, name, ownedBy: { table: table.key, column }, loc: table.loc, implicit, dataType });
  return key;
}

/** DROP COLUMN: indexes and constraints involving the column go with it, and so do sequences it owns. */
export function dropColumnDependents(catalog: Catalog, table: Table, column: string, cascade: boolean): void {
  table.constraints = table.constraints.filter((k) => !(k.columns.includes(column) || columnsReadBy(constraintNode(k)?.raw_expr).has(column)));
  // Read without cloning (catalog copies), then delete or take for changing only what the column touches.
  for (const key of keysWhere(catalog.indexes, (ix) => ix.table === table.key && (ix.columns.includes(column) || columnsReadBy(ix.node).has(column))))
    catalog.indexes.delete(key);
  for (const key of keysWhere(sequencesOf(catalog), (seq) => seq.ownedBy?.table === table.key && seq.ownedBy.column === column))
    sequencesOf(catalog).delete(key);
  if (!cascade) return;
  const referencing = (k: Constraint) => k.type === 'foreign' && k.references?.table === table.key && k.references.columns.includes(column);
  for (const key of keysWhere(catalog.tables, (t) => t.constraints.some(referencing))) {
    const other = catalog.tables.get(key)!;
    other.constraints = other.constraints.filter((k) => !referencing(k));
  }
}

/** Things that cannot outlive their table: its indexes, owned sequences, and foreign keys pointing at it. */
export function sweepDangling(catalog: Catalog): void {
  const tables = catalog.tables;
  // No table is added or removed below: the keys are read once (a catalog copy answers `has` through its base).
  const isTable = tables instanceof CowMap ? keySet(tables) : tables;
  for (const key of keysWhere(catalog.indexes, (ix) => !isTable.has(ix.table))) catalog.indexes.delete(key);
  for (const key of keysWhere(sequencesOf(catalog), (seq) => !!seq.ownedBy && !isTable.has(seq.ownedBy.table))) sequencesOf(catalog).delete(key);
  // The table is taken with `get` (a catalog copy clones its original's table: rollback/leftovers.ts) and replaced, not
  // changed in place, so a DROP TABLE never reaches into the original, not even through a later change of the copy's
  // table (a spread of the original's object would share its columns).
  const dangling = (k: Constraint) => k.type === 'foreign' && !!k.references && !isTable.has(k.references.table);
  for (const key of keysWhere(tables, (t) => t.constraints.some(dangling))) {
    const t = tables.get(key)!;
    tables.set(key, { ...t, constraints: t.constraints.filter((k) => !dangling(k)) });
  }
}

function keySet<V>(m: Map<string, V>): Set<string> {
  const keys = new Set<string>();
  forEachRead(m, (_v, key) => keys.add(key));
  return keys;
}

/** DROP … CASCADE of relations: views reading them go too (recursively). */
export function dropDependentViews(catalog: Catalog, dropped: Set<string>, searchPath: readonly string[]): void {
  // Until no view reads what is dropped (read without cloning: the views found are only deleted).
  const readsDropped = (t: Table) =>
    (t.kind === 'view' || t.kind === 'materialized-view') &&
    !!t.node &&
    relationsIn(t.node).some((r) => (r.schema ? dropped.has(`${r.schema}.${r.name}`) : searchPath.some((s) => dropped.has(`${s}.${r.name}`))));
  for (let found = keysWhere(catalog.tables, readsDropped); found.length; found = keysWhere(catalog.tables, readsDropped)) {
    for (const key of found) {
      catalog.tables.delete(key);
      dropped.add(key);
    }
  }
}

/**
 * The keys of the tables with a foreign key `references` accepts and of the views reading `table`, read without cloning
 * (catalog copies clone only the ones taken for changing).
 */
function readersOf(catalog: Catalog, table: Table, references: (k: Constraint) => boolean): { referencing: string[]; views: string[] } {
  const referencing: string[] = [];
  const views: string[] = [];
  forEachRead(catalog.tables, (v, key) => {
    if (v.constraints.some(references)) referencing.push(key);
    const view = v.kind === 'view' || v.kind === 'materialized-view';
    if (view && relationsIn(v.node).some((r) => r.name === table.name && (!r.schema || r.schema === table.schema))) views.push(key);
  });
  return { referencing, views };
}

/** ALTER TABLE … RENAME COLUMN: constraints, indexes, policies, triggers, referencing foreign keys and views follow. */
export function renameColumnReferences(catalog: Catalog, table: Table, from: string, to: string): void {
  const swap = (cols: string[]) => cols.map((c) => (c === from ? to : c));
  for (const k of table.constraints) {
    k.columns = swap(k.columns);
    k.node = renameColumnIn(k.node, from, to, undefined, 'Constraint');
  }
  for (const key of keysWhere(catalog.indexes, (seen) => seen.table === table.key)) {
    const ix = catalog.indexes.get(key)!;
    ix.columns = swap(ix.columns);
    ix.node = renameColumnIn(ix.node, from, to);
  }
  for (const p of table.policies) {
    p.columns = swap(p.columns);
    p.node = renameColumnIn(p.node, from, to);
  }
  for (const tr of table.triggers ?? []) tr.node = renameColumnIn(tr.node, from, to, ['new', 'old'], 'CreateTrigStmt');
  if (table.node) table.node = renameColumnIn(table.node, from, to);
  const references = (k: Constraint) => k.type === 'foreign' && k.references?.table === table.key;
  // One read of the tables for both: the foreign keys changed below are no part of what makes a view read the table.
  const { referencing, views } = readersOf(catalog, table, references);
  for (const key of referencing) {
    for (const k of catalog.tables.get(key)!.constraints) {
      if (!references(k) || !k.references) continue;
      k.references = { ...k.references, columns: swap(k.references.columns) };
      k.node = renameReferencedColumn(k.node, from, to);
    }
  }
  for (const v of views.map((key) => catalog.tables.get(key)!)) v.node = renameColumnInQuery(v.node, [table.name], from, to);
  for (const key of keysWhere(sequencesOf(catalog), (seen) => seen.ownedBy?.table === table.key && seen.ownedBy.column === from))
    sequencesOf(catalog).get(key)!.ownedBy = { table: table.key, column: to };
}

/** ALTER TABLE … RENAME TO: everything that names the table by key follows; index and sequence names do not change. */
export function renameTableReferences(catalog: Catalog, oldKey: string, table: Table, searchPath: readonly string[]): void {
  const oldName = oldKey.slice(oldKey.indexOf('.') + 1);
  // Read first, then take for changing only what names the table (catalog copies clone only those).
  for (const key of keysWhere(catalog.indexes, (ix) => ix.table === oldKey)) catalog.indexes.get(key)!.table = table.key;
  const views = new Map<string, unknown>();
  const named = (t: Table, key: string) => {
    if ((t.kind === 'view' || t.kind === 'materialized-view') && t.node) {
      const node = renameRelationIn(t.node, table.schema, oldName, table.name, searchPath);
      if (node !== t.node) views.set(key, node);
    }
    return views.has(key) || t.partitionOf === oldKey || t.constraints.some((k) => k.references?.table === oldKey);
  };
  const keys: string[] = [];
  forEachRead(catalog.tables, (t, key) => {
    if (named(t, key)) keys.push(key);
  });
  for (const key of keys) {
    const t = catalog.tables.get(key)!;
    for (const k of t.constraints) if (k.references?.table === oldKey) k.references = { ...k.references, table: table.key };
    if (t.partitionOf === oldKey) t.partitionOf = table.key;
    if (views.has(key)) t.node = views.get(key);
  }
  for (const key of keysWhere(sequencesOf(catalog), (seq) => seq.ownedBy?.table === oldKey)) {
    const seq = sequencesOf(catalog).get(key)!;
    seq.ownedBy = { ...seq.ownedBy!, table: table.key };
  }
}

/** Renames a relation that is not a table: an index, a constraint's index, or a sequence. */
export function renameOtherRelation(catalog: Catalog, schema: string, from: string, to: string): void {
  const ix = catalog.indexes.get(`${schema}.${from}`);
  if (ix) {
    catalog.indexes.delete(`${schema}.${from}`);
    ix.name = to;
    catalog.indexes.set(`${schema}.${to}`, ix);
    return;
  }
  const seqs = sequencesOf(catalog);
  const seq = seqs.get(`${schema}.${from}`);
  if (seq) {
    seqs.delete(seq.key);
    seq.name = to;
    seq.key = `${schema}.${to}`;
    seqs.set(seq.key, seq);
    const named = (c: Column) => !!c.default && (c.default.includes(`'${from}'`) || c.default.includes(`'${schema}.${from}'`));
    const uses = (c: Column) => c.serialSequence === `${schema}.${from}` || named(c);
    for (const t of takeWhere(catalog.tables, (t) => someColumn(t, uses))) {
      for (const c of t.columns.values()) {
        if (c.serialSequence === `${schema}.${from}`) c.serialSequence = seq.key;
        if (c.default && named(c)) c.default = c.default.replace(`'${schema}.${from}'`, `'${schema}.${to}'`).replace(`'${from}'`, `'${to}'`);
      }
    }
    return;
  }
  // ALTER INDEX on the index behind a primary key or unique constraint renames the constraint too.
  const backs = (k: Constraint) => INDEX_BACKED.has(k.type) && constraintName(k) === from;
  for (const t of takeWhere(catalog.tables, (t) => t.schema === schema && t.constraints.some(backs))) {
    for (const k of t.constraints) {
      if (backs(k)) {
        k.name = to;
        k.pgName = to;
      }
    }
  }
}

/** Whether a column of the table passes `test` (tables are tested without cloning, then the few that pass are taken). */
export function someColumn(t: Table, test: (c: Column) => boolean): boolean {
  for (const c of t.columns.values()) if (test(c)) return true;
  return false;
}
