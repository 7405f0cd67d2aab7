// Re-creates catalog objects as SQL (tables with everything hanging off them, indexes, views, functions, types, sequences),
// for the inverse of a DROP and for restoring a previous definition.
import { QuoteUtils } from 'pgsql-deparser';
import { parseSync } from 'libpg-query';
import { constraintName, isRealConstraint } from '../catalog/extras-table';
import { makeObjectName } from '../catalog/names';
import { cloneNode, columnsIn, relationsIn } from '../catalog/rewrite';
import type { Catalog, Column, Constraint, EnumType, FunctionDef, Grant, Index, Policy, Sequence, Table, Trigger, TypeDef } from '../catalog/types';
import { physicalSql } from './recreate-physical';
import { alterTable, deparse, nameList, parseTypeName, rangeVar, strNode, type Json } from './sql';

const SERIAL = /^(small|big)?serial[248]?$/;
const q = (s: string) => QuoteUtils.quoteIdentifier(s);

/** A column definition as SQL, plus what must run around the CREATE/ADD (a serial sequence that kept an older name). */
export function columnSql(catalog: Catalog, table: Table, col: Column): { def: string; before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  let type = col.typeSql ?? col.type;
  let def = col.default;
  const seq = col.serialSequence ? catalog.sequences?.get(col.serialSequence) : undefined;
  // The table was renamed after the serial column was made (its sequence kept the old name), or the column's type was
  // changed since (ALTER COLUMN id TYPE bigint, no longer serial): the sequence and the default are spelled out.
  const renamed = !!seq && SERIAL.test(col.type) && seq.name !== makeObjectName(table.name, col.name, 'seq');
  const retyped = !!seq && !SERIAL.test(col.type) && def === undefined;
  if (seq && (renamed || retyped)) {
    const seqName = nameList(seq.key, [table.schema])
      .map((n) => q(String((n.String as { sval: string }).sval)))
      .join('.');
    def = `nextval(${QuoteUtils.escape(seqName)}::regclass)`;
    if (renamed) {
      type = seq.dataType ?? 'integer';
      before.push(`CREATE SEQUENCE ${seqName} AS ${type}`);
    } else {
      // With the type and the options ALTER SEQUENCE gave it.
      before.push(...recreateSequence(seq, [table.schema], false));
    }
    after.push(`ALTER SEQUENCE ${seqName} OWNED BY ${relSql(table.key, [table.schema])}.${q(col.name)}`);
  }
  let sql = `${q(col.name)} ${type}`;
  if (col.collation) sql += ` COLLATE ${col.collation.split('.').map(q).join('.')}`;
  if (col.generated && col.generatedExpr) sql += ` GENERATED ALWAYS AS (${col.generatedExpr}) STORED`;
  else if (col.identity) sql += ` GENERATED ${col.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  else if (def !== undefined) sql += ` DEFAULT ${def}`;
  if (col.notNull) sql += ' NOT NULL';
  return { def: sql, before, after };
}

/** A relation name as SQL, qualified unless its schema is first on the search path. */
export function relSql(key: string, searchPath: readonly string[]): string {
  return nameList(key, searchPath)
    .map((n) => q((n.String as { sval: string }).sval))
    .join('.');
}

function parseColumnDef(sql: string): Json | undefined {
  try {
    const r = parseSync(`CREATE TABLE x (${sql})`) as { stmts?: { stmt?: { CreateStmt?: { tableElts?: Json[] } } }[] };
    return r.stmts?.[0]?.stmt?.CreateStmt?.tableElts?.[0];
  } catch {
    return undefined;
  }
}

/** A constraint as a table-constraint node with its stored name (a column constraint gets its column list). */
export function constraintAst(k: Constraint, searchPath: readonly string[]): Json {
  const n = cloneNode(k.node) as Json;
  n.conname = constraintName(k);
  if ((k.type === 'primary' || k.type === 'unique') && !((n.keys as unknown[] | undefined) ?? []).length) n.keys = k.columns.map(strNode);
  if (k.type === 'foreign') {
    if (!((n.fk_attrs as unknown[] | undefined) ?? []).length) n.fk_attrs = k.columns.map(strNode);
    if (k.references) n.pktable = rangeVar(k.references.table, searchPath);
  }
  if (k.deferrable) n.deferrable = true;
  else delete n.deferrable;
  if (k.initiallyDeferred) n.initdeferred = true;
  else delete n.initdeferred;
  n.skip_validation = k.notValid;
  n.initially_valid = !k.notValid;
  delete n.location;
  return { Constraint: n };
}

export function addConstraintSql(table: Table, k: Constraint, searchPath: readonly string[]): string {
  return alterTable(table.key, searchPath, [{ subtype: 'AT_AddConstraint', def: constraintAst(k, searchPath) }]);
}

export function createIndexSql(ix: Index, searchPath: readonly string[], concurrently = false): string | undefined {
  if (!ix.node) return undefined;
  const n = cloneNode(ix.node) as Json;
  n.idxname = ix.name;
  n.relation = rangeVar(ix.table, searchPath);
  n.concurrent = concurrently;
  n.if_not_exists = false;
  return deparse({ IndexStmt: n });
}

export function createTriggerSql(table: Table, tr: Trigger, searchPath: readonly string[], replace = false): string {
  const n = cloneNode(tr.node) as Json;
  n.relation = rangeVar(table.key, searchPath);
  n.replace = replace;
  return deparse({ CreateTrigStmt: n });
}

export function createPolicySql(table: Table, p: Policy, searchPath: readonly string[]): string | undefined {
  if (!p.node) return undefined;
  const n = cloneNode(p.node) as Json;
  n.table = rangeVar(table.key, searchPath);
  return deparse({ CreatePolicyStmt: n });
}

function grantTarget(objtype: string, objects: unknown[], g: Grant, isGrant: boolean): string {
  const privileges = g.privileges.includes('ALL') ? [] : g.privileges.map((p) => ({ AccessPriv: { priv_name: p.toLowerCase() } }));
  const grantee = g.grantee === 'public' ? { RoleSpec: { roletype: 'ROLESPEC_PUBLIC' } } : { RoleSpec: { roletype: 'ROLESPEC_CSTRING', rolename: g.grantee } };
  return deparse({ GrantStmt: { is_grant: isGrant, targtype: 'ACL_TARGET_OBJECT', objtype, objects, privileges, grantees: [grantee] } });
}

export function tableGrantSql(table: Table, g: Grant, searchPath: readonly string[], isGrant = true): string {
  return grantTarget('OBJECT_TABLE', [{ RangeVar: rangeVar(table.key, searchPath) }], g, isGrant);
}

export function commentSql(objtype: string, object: unknown, text: string | undefined): string {
  return deparse({ CommentStmt: { objtype, object, ...(text !== undefined ? { comment: text } : {}) } });
}

const list = (items: Json[]) => ({ List: { items } });

/** Everything that hangs off a table (or a materialized view) besides columns and constraints. */
function tableExtras(catalog: Catalog, table: Table, sp: readonly string[]): string[] {
  const out: string[] = [];
  for (const ix of catalog.indexes.values()) {
    if (ix.table !== table.key) continue;
    const sql = createIndexSql(ix, sp);
    if (sql) out.push(sql);
    if (ix.comment !== undefined) out.push(commentSql('OBJECT_INDEX', list(nameList(`${table.schema}.${ix.name}`, sp)), ix.comment));
  }
  for (const tr of table.triggers ?? []) {
    out.push(createTriggerSql(table, tr, sp));
    if (tr.comment !== undefined) out.push(commentSql('OBJECT_TRIGGER', list([...nameList(table.key, sp), strNode(tr.name)]), tr.comment));
  }
  out.push(...physicalSql(table, relSql(table.key, sp)));
  if (table.rls.enabled) out.push(alterTable(table.key, sp, [{ subtype: 'AT_EnableRowSecurity' }]));
  if (table.rls.forced) out.push(alterTable(table.key, sp, [{ subtype: 'AT_ForceRowSecurity' }]));
  for (const p of table.policies) {
    const sql = createPolicySql(table, p, sp);
    if (sql) out.push(sql);
  }
  for (const g of table.grants) out.push(tableGrantSql(table, g, sp));
  const objtype = table.kind === 'view' ? 'OBJECT_VIEW' : table.kind === 'materialized-view' ? 'OBJECT_MATVIEW' : 'OBJECT_TABLE';
  if (table.comment !== undefined) out.push(commentSql(objtype, list(nameList(table.key, sp)), table.comment));
  for (const c of table.columns.values()) {
    if (c.comment !== undefined) out.push(commentSql('OBJECT_COLUMN', list([...nameList(table.key, sp), strNode(c.name)]), c.comment));
  }
  return out;
}

export interface Recreated {
  sql: string[];
  /** Foreign keys to tables that are re-created later: added once every table exists. */
  deferred: string[];
}

/**
 * CREATE TABLE with its columns and named constraints, then its indexes, triggers, RLS, policies, grants and comments, and
 * the sequences it owned. Foreign keys to tables in `later` are returned separately.
 */
export function recreateTable(catalog: Catalog, table: Table, sp: readonly string[], later: ReadonlySet<string> = new Set(), ownSequences = true): Recreated {
  if (table.kind === 'view' || table.kind === 'materialized-view') return { sql: recreateView(catalog, table, sp), deferred: [] };
  if ((table.node as Json | undefined)?.query) return recreateTableAs(catalog, table, sp, later);
  const sql: string[] = [];
  const deferred: string[] = [];
  const node = (cloneNode(table.node) ?? {}) as Json;
  const after: string[] = [];
  const elts: Json[] = [];
  const partition = !!node.partbound;
  if (!partition) {
    for (const col of table.columns.values()) {
      const c = columnSql(catalog, table, col);
      sql.push(...c.before);
      after.push(...c.after);
      const parsed = parseColumnDef(c.def);
      if (parsed) elts.push(parsed);
    }
  }
  // CREATE TABLE drops a UNIQUE that repeats the primary key's (or another unique's) columns: such a one is added after.
  const keyColumns = new Set<string>();
  for (const k of table.constraints) {
    if (!isRealConstraint(k)) continue;
    const keyed = k.type === 'primary' || k.type === 'unique';
    const cols = k.columns.join('\u0000');
    if (k.type === 'foreign' && k.references && k.references.table !== table.key && later.has(k.references.table))
      deferred.push(addConstraintSql(table, k, sp));
    else if (k.notValid || (keyed && keyColumns.has(cols))) after.push(addConstraintSql(table, k, sp));
    else elts.push(constraintAst(k, sp));
    if (keyed) keyColumns.add(cols);
  }
  // Storage parameters are set from the table's current ones (a later ALTER TABLE … RESET must not come back).
  delete node.options;
  const create: Json = {
    ...node,
    relation: { ...rangeVar(table.key, sp), relpersistence: (node.relation as Json | undefined)?.relpersistence ?? 'p' },
    tableElts: elts,
    if_not_exists: false,
  };
  if (table.partitionOf) create.inhRelations = [{ RangeVar: rangeVar(table.partitionOf, sp) }];
  // The deparser prints `PARTITION OF p () FOR VALUES …` for an empty element list, which PostgreSQL rejects.
  if (partition && elts.length === 0) delete create.tableElts;
  if (!create.oncommit) create.oncommit = 'ONCOMMIT_NOOP';
  sql.push(deparse({ CreateStmt: create }, true));
  sql.push(...after);
  // (`ownSequences` false: the caller makes the sequences the table's columns own, and their OWNED BY, itself.)
  for (const seq of ownSequences ? (catalog.sequences?.values() ?? []) : []) {
    if (seq.ownedBy?.table === table.key && !seq.implicit) sql.splice(0, 0, ...recreateSequence(seq, sp, false));
    if (seq.ownedBy?.table === table.key && !seq.implicit) sql.push(ownedBySql(seq, sp));
  }
  sql.push(...tableExtras(catalog, table, sp));
  return { sql, deferred };
}

/** CREATE TABLE … AS: the query gives the columns (no data), then what was added to it since. */
function recreateTableAs(catalog: Catalog, table: Table, sp: readonly string[], later: ReadonlySet<string>): Recreated {
  const n = cloneNode(table.node) as Json;
  n.into = { ...(n.into as Json), rel: rangeVar(table.key, sp), skipData: true };
  n.if_not_exists = false;
  const sql = [deparse({ CreateTableAsStmt: n }, true)];
  const deferred: string[] = [];
  const produced = new Set(outputNames({ query: n.query, aliases: (n.into as Json).colNames }) ?? []);
  for (const col of table.columns.values()) {
    if (produced.has(col.name) || !col.type) continue;
    sql.push(`ALTER TABLE ${relSql(table.key, sp)} ADD COLUMN ${columnSql(catalog, table, col).def}`);
  }
  for (const k of table.constraints) {
    if (!isRealConstraint(k)) continue;
    (k.type === 'foreign' && k.references && later.has(k.references.table) ? deferred : sql).push(addConstraintSql(table, k, sp));
  }
  sql.push(...tableExtras(catalog, table, sp));
  return { sql, deferred };
}

/** Output column names of a view's or CTAS's query, or undefined when they cannot be told statically (`*`). */
export function outputNames(node: unknown): string[] | undefined {
  const query = (node as Json | undefined)?.query as Json | undefined;
  let s = query?.SelectStmt as { targetList?: unknown[]; op?: string; larg?: Json } | undefined;
  while (s && s.op && s.op !== 'SETOP_NONE') s = s.larg as typeof s;
  if (!s?.targetList) return undefined;
  const names: string[] = [];
  for (const t of s.targetList) {
    const r = (t as { ResTarget?: { name?: string; val?: Json } }).ResTarget;
    if (r?.name) names.push(r.name);
    else {
      const fields = ((r?.val?.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields ?? []).map((f) => f.String?.sval ?? '*');
      const last = fields[fields.length - 1];
      if (!last || last === '*') return undefined;
      names.push(last);
    }
  }
  const aliases = (((node as Json).aliases as { String?: { sval?: string } }[] | undefined) ?? []).map((a) => a.String?.sval ?? '');
  return aliases.length ? [...aliases, ...names.slice(aliases.length)] : names;
}

export function recreateView(catalog: Catalog, view: Table, sp: readonly string[], replace = false): string[] {
  if (!view.node) return [];
  const n = cloneNode(view.node) as Json;
  let sql: string;
  if (view.kind === 'view') {
    n.view = rangeVar(view.key, sp);
    n.replace = replace;
    sql = deparse({ ViewStmt: n }, true);
  } else {
    const into = n.into as Json;
    n.into = { ...into, rel: rangeVar(view.key, sp) };
    n.if_not_exists = false;
    sql = deparse({ CreateTableAsStmt: n }, true);
  }
  return [sql, ...tableExtras(catalog, view, sp)];
}

function funcObject(f: FunctionDef, sp: readonly string[]): Json {
  const n = (f.node ?? {}) as Json;
  const params = ((n.parameters as unknown[] | undefined) ?? []).filter((p) => {
    const mode = (p as { FunctionParameter?: { mode?: string } }).FunctionParameter?.mode;
    return mode !== 'FUNC_PARAM_OUT' && mode !== 'FUNC_PARAM_TABLE';
  });
  return {
    ObjectWithArgs: {
      objname: nameList(f.key, sp),
      objargs: params.map((p) => ({ TypeName: (p as { FunctionParameter: { argType: unknown } }).FunctionParameter.argType })),
    },
  };
}

/** The function as an object reference for DROP/GRANT/COMMENT (its input argument types). */
export function functionObject(f: FunctionDef, sp: readonly string[]): Json {
  return funcObject(f, sp);
}

export function recreateFunction(f: FunctionDef, sp: readonly string[], replace: boolean): string[] {
  if (!f.node) return [];
  const n = cloneNode(f.node) as Json;
  n.replace = replace;
  const out = [deparse({ CreateFunctionStmt: n }, true)];
  const objtype = f.kind === 'procedure' ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION';
  if (!f.publicExecute) out.push(grantTarget(objtype, [funcObject(f, sp)], { privileges: ['EXECUTE'], grantee: 'public' }, false));
  for (const g of f.grants) if (g.grantee !== 'public') out.push(grantTarget(objtype, [funcObject(f, sp)], g, true));
  if (f.comment !== undefined) out.push(commentSql(objtype, funcObject(f, sp), f.comment));
  return out;
}

export function ownedBySql(seq: Sequence, sp: readonly string[]): string {
  const owner = seq.ownedBy ? list([...nameList(seq.ownedBy.table, sp), strNode(seq.ownedBy.column)]) : list([strNode('none')]);
  return deparse({
    AlterSeqStmt: { sequence: rangeVar(seq.key, sp), options: [{ DefElem: { defname: 'owned_by', arg: owner, defaction: 'DEFELEM_UNSPEC' } }] },
  });
}

export function recreateSequence(seq: Sequence, sp: readonly string[], withOwner = true): string[] {
  // An implicit (serial) sequence has no CREATE statement: its type and what ALTER SEQUENCE set are its options.
  const implicitOptions = (): unknown[] => {
    const options = [...((cloneNode(seq.options) as unknown[] | undefined) ?? [])];
    const named = (name: string) => options.some((o) => (o as { DefElem?: { defname?: string } }).DefElem?.defname === name);
    if (seq.dataType && !named('as'))
      options.unshift({ DefElem: { defname: 'as', arg: { TypeName: parseTypeName(seq.dataType) }, defaction: 'DEFELEM_UNSPEC' } });
    return options;
  };
  const n = (cloneNode(seq.node) ?? { options: implicitOptions() }) as Json;
  n.sequence = rangeVar(seq.key, sp);
  n.if_not_exists = false;
  const out = [deparse({ CreateSeqStmt: n })];
  if (withOwner && seq.ownedBy) out.push(ownedBySql(seq, sp));
  if (seq.comment !== undefined) out.push(commentSql('OBJECT_SEQUENCE', list(nameList(seq.key, sp)), seq.comment));
  return out;
}

export function recreateEnum(e: EnumType, sp: readonly string[], name = e.key): string[] {
  const out = [deparse({ CreateEnumStmt: { typeName: nameList(name, sp), vals: e.values.map(strNode) } })];
  if (e.comment !== undefined) out.push(commentSql('OBJECT_TYPE', { TypeName: { names: nameList(name, sp), typemod: -1 } }, e.comment));
  return out;
}

export function recreateType(t: TypeDef, sp: readonly string[]): string[] {
  const n = cloneNode(t.node) as Json;
  let sql: string;
  if (t.kind === 'composite') {
    n.typevar = rangeVar(t.key, sp);
    sql = deparse({ CompositeTypeStmt: n });
  } else if (t.kind === 'domain') {
    n.domainname = nameList(t.key, sp);
    sql = deparse({ CreateDomainStmt: n });
  } else {
    n.typeName = nameList(t.key, sp);
    sql = deparse({ CreateRangeStmt: n });
  }
  const out = [sql];
  const objtype = t.kind === 'domain' ? 'OBJECT_DOMAIN' : 'OBJECT_TYPE';
  if (t.comment !== undefined) out.push(commentSql(objtype, { TypeName: { names: nameList(t.key, sp), typemod: -1 } }, t.comment));
  return out;
}

/**
 * Indexes whose expressions or predicate use a column, and CHECK constraints on it: PostgreSQL rewrites them when the
 * column's type changes (casts appear), so a type change is undone by dropping them first and re-creating them after.
 */
export function typeDependents(catalog: Catalog, table: Table, column: string, sp: readonly string[]): { drop: string[]; create: string[] } {
  const drop: string[] = [];
  const create: string[] = [];
  for (const ix of catalog.indexes.values()) {
    if (ix.table !== table.key || !ix.node) continue;
    const n = ix.node as Json;
    const exprs = ((n.indexParams as unknown[] | undefined) ?? []).map((p) => (p as { IndexElem?: Json }).IndexElem?.expr);
    if (!columnsIn([exprs, n.whereClause]).has(column)) continue;
    const sql = createIndexSql(ix, sp);
    if (!sql) continue;
    drop.push(deparse({ DropStmt: { objects: [list(nameList(`${table.schema}.${ix.name}`, sp))], removeType: 'OBJECT_INDEX', behavior: 'DROP_RESTRICT' } }));
    create.push(sql);
  }
  for (const k of table.constraints) {
    if (k.type !== 'check' || !isRealConstraint(k) || !columnsIn((k.node as Json).raw_expr).has(column)) continue;
    drop.push(alterTable(table.key, sp, [{ subtype: 'AT_DropConstraint', name: constraintName(k) }]));
    create.push(addConstraintSql(table, k, sp));
  }
  return { drop, create };
}

/** The catalog keys of the relations a query reads (names resolved on the search path). */
export function relationKeys(catalog: Catalog, node: unknown, sp: readonly string[]): string[] {
  return relationsIn(node).map((r) => {
    if (r.schema) return `${r.schema}.${r.name}`;
    const hit = sp.map((s) => `${s}.${r.name}`).find((k) => catalog.tables.has(k));
    return hit ?? `${sp[0] ?? 'public'}.${r.name}`;
  });
}

/** Whether a query still selects `*` (its columns then depend on the tables when it runs). */
export function hasStar(node: unknown): boolean {
  return JSON.stringify((node as Json | undefined)?.query ?? '').includes('"A_Star"');
}
