// Partial rollbacks, statically: replay the up and then the hand-written down on the catalog, and report what the down leaves
// different from before the up, pinned to the up statement that made the difference (for the missing-rollback rule).
import { applyStatement, newApplyState } from '../catalog/build';
import { constraintName, isRealConstraint } from '../catalog/extras-table';
import type { Catalog, Column, Constraint, Table } from '../catalog/types';
import type { ParsedSql, Statement } from '../parse/parse';
import { cowCatalog } from './cow-catalog';
import { reachesCatalog } from '../workspace/ddl';
import { CowMap, inMapOrder, peek } from './cow-map';

/**
 * Every identifier a statement's AST holds (names, and other strings, which only widen the set). Whatever a statement
 * creates, drops or changes is named in it, so the objects bearing these names are all a comparison needs to render.
 */
export function touchedNames(statements: readonly Statement[], into = new Set<string>()): Set<string> {
  const visit = (node: unknown): void => {
    if (typeof node === 'string') into.add(node);
    else if (Array.isArray(node)) for (const x of node) visit(x);
    else if (node && typeof node === 'object') for (const k in node) visit((node as Record<string, unknown>)[k]);
  };
  for (const s of statements) visit(s.node);
  return into;
}

/** Whether an object keyed `schema.name` is among `names`: by its name, or by a schema other than public (DROP SCHEMA … CASCADE). */
function named(names: Set<string> | undefined, key: string): boolean {
  if (!names) return true;
  const dot = key.lastIndexOf('.');
  if (names.has(dot < 0 ? key : key.slice(dot + 1))) return true;
  return dot > 0 && !key.startsWith('public.') && names.has(key.slice(0, key.indexOf('.')));
}

/** `named` for a table, from its fields (no string slicing: this runs for every table of every copy). */
function tableNamed(names: Set<string>, t: Table): boolean {
  return names.has(t.name) || (t.schema !== 'public' && names.has(t.schema));
}

/** Types PostgreSQL stores as another: a serial column is an integer column with a sequence default. */
const STORED_TYPE: Record<string, string> = { serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8', smallserial: 'int2', serial2: 'int2' };

/**
 * An expression without its casts and spacing: `'darkly'::varchar` and `'darkly'`, `lower(name::text)` and `lower(name)`
 * are the same to PostgreSQL once it has coerced them, and writing them either way is not a rollback mistake.
 */
function withoutCasts(expr: string): string {
  return expr
    .replace(/^CAST\((.*) AS [^()]+(\(\d+(,\s*\d+)?\))?\)$/is, '$1')
    .replace(/::\s*"?[\w.]+"?(\s+(varying|precision|with(out)?\s+time\s+zone))?(\s*\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])*/gi, '')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+|\s+\)/g, (m) => m.trim());
}

/**
 * Pure functions of a text, kept by text: every copy renders its columns again, with the same few types and defaults.
 * Bounded, so a long-lived language server does not keep every text it ever saw.
 */
function byText<V>(memo: Map<string, V>, text: string, f: (t: string) => V): V {
  let v = memo.get(text);
  if (v === undefined) {
    if (memo.size >= 10_000) memo.clear();
    v = f(text);
    memo.set(text, v);
  }
  return v;
}

const TYPE_TEXT = new Map<string, { base: string; serial: boolean }>();
const DEFAULT_TEXT = new Map<string, string>();

function storedType(type: string): { base: string; serial: boolean } {
  return {
    base: type.replace(/^public\./, '').replace(/^(\w+)/, (t) => STORED_TYPE[t] ?? t),
    serial: STORED_TYPE[type.replace(/\W.*$/, '')] !== undefined,
  };
}

/**
 * A column's definition as compared: the type as the parser names it (int/integer/int4 alike; typmods kept), NOT NULL,
 * the default without casts (DEFAULT NULL is no default), identity. A column whose type the catalog could not see
 * (CREATE TABLE … AS) renders as `?`, which `sameDefinition` takes as matching anything.
 */
function columnDefinition(col: Column): string {
  if (!col.type) return '?';
  const { base, serial } = byText(TYPE_TEXT, col.type, storedType);
  const dflt = col.default === undefined || serial ? '' : byText(DEFAULT_TEXT, col.default, withoutCasts);
  // The parts that are set, joined by spaces.
  let out = '';
  const add = (part: string) => {
    if (part) out = out ? `${out} ${part}` : part;
  };
  add(base);
  if (col.notNull) add('not null');
  if (dflt && !/^null$/i.test(dflt)) add(`default ${dflt}`);
  if (col.identity) add(`identity ${col.identity}`);
  if (col.storage) add(`storage ${col.storage}`);
  if (col.compression) add(`compression ${col.compression}`);
  if (col.statistics !== undefined) add(`statistics ${col.statistics}`);
  if (col.options?.size)
    add(
      `options (${[...col.options]
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(', ')})`,
    );
  return out;
}

/** Storage parameters, replica identity, CLUSTER ON and UNLOGGED of a table ('' when all are PostgreSQL's defaults). */
function tableSettings(t: Table): string {
  return [
    t.reloptions?.size
      ? `with (${[...t.reloptions]
          .map(([k, v]) => `${k}=${v}`)
          .sort()
          .join(', ')})`
      : '',
    t.replicaIdentity ? `replica identity ${t.replicaIdentity}` : '',
    t.clusterOn ? `cluster on ${t.clusterOn}` : '',
    t.unlogged ? 'unlogged' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A constraint as compared: its kind and key columns (a CHECK by kind only: which columns its expression names is
 * read differently from column and table constraints). */
function constraintDefinition(k: Constraint): string {
  const cols = k.type === 'check' ? '' : ` (${k.columns.join(', ')})`;
  return `${k.type}${cols}${k.notValid ? ' not valid' : ''}`;
}

/** Whether two definitions from `catalogObjects` say the same (`?`: the catalog does not know, so it is not a difference). */
export function sameDefinition(a: string | undefined, b: string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && (a === '?' || b === '?'));
}

/**
 * `kind name` → definition, for everything the catalog models (column order ignored; an index by its table and
 * uniqueness only, because the catalog keeps index expressions as written and does not follow later column renames into
 * them — the rehearsal on a real engine compares those). With `names`, only the objects
 * bearing one of them (and what belongs to those tables): comparing two catalogs around a few statements then costs
 * what those statements touch, not the size of the schema.
 */
export function catalogObjects(c: Catalog, names?: Set<string>, keys?: CatalogKeys): Map<string, string> {
  const out = new Map<string, string>();
  const pick = <V>(field: keyof CatalogKeys, m: Map<string, V> | undefined): Iterable<[string, V]> => {
    if (!m) return [];
    if (!keys) return m;
    return keys[field].flatMap((k) => {
      const v = peek(m, k);
      return v === undefined ? [] : [[k, v] as [string, V]];
    });
  };
  for (const s of c.schemas) if (!names || names.has(s)) out.set(`schema ${s}`, '');
  for (const e of c.extensions) if (!names || names.has(e)) out.set(`extension ${e}`, '');
  for (const [, t] of pick('tables', c.tables)) {
    if (names && !tableNamed(names, t)) continue;
    out.set(`${t.kind === 'materialized-view' ? 'materialized view' : t.kind} ${t.key}`, '');
    // Always present for tables, so a down that leaves a setting changed reads "differs after the down: was …, now …".
    if (t.kind === 'table') out.set(`settings of ${t.key}`, tableSettings(t));
    if (t.kind === 'table' || t.kind === 'foreign-table') {
      for (const col of t.columns.values()) {
        out.set(`column ${t.key}.${col.name}`, columnDefinition(col));
      }
    }
    for (const k of t.constraints) if (isRealConstraint(k)) out.set(`constraint ${t.key}.${constraintName(k)}`, constraintDefinition(k));
    for (const p of t.policies) out.set(`policy ${t.key}.${p.name}`, '');
    for (const tr of t.triggers ?? []) out.set(`trigger ${t.key}.${tr.name}`, '');
    if (t.rls.enabled || t.rls.forced) out.set(`row level security ${t.key}`, t.rls.forced ? 'enabled, forced' : 'enabled');
  }
  const onNamedTable = (key: string) => {
    const t = peek(c.tables, key);
    return t ? tableNamed(names!, t) : named(names, key);
  };
  for (const [key, ix] of pick('indexes', c.indexes))
    if (!names || names.has(ix.name) || named(names, key) || onNamedTable(ix.table)) out.set(`index ${key}`, `on ${ix.table}${ix.unique ? ' unique' : ''}`);
  for (const [key, list] of pick('functions', c.functions))
    if (named(names, key)) for (const f of list) out.set(`${f.kind} ${key}(${f.argTypes.join(', ')})`, '');
  for (const [, e] of pick('enums', c.enums)) if (named(names, e.key)) out.set(`enum ${e.key}`, e.values.join(', '));
  for (const [, t] of pick('types', c.types)) if (named(names, t.key)) out.set(`${t.kind} ${t.key}`, '');
  for (const [, s] of pick('sequences', c.sequences)) if (!s.implicit && named(names, s.key)) out.set(`sequence ${s.key}`, '');
  return out;
}

/** Keys of some of a catalog's objects, per map, in the map's order: what `catalogObjects` renders instead of everything. */
export type CatalogKeys = Record<'tables' | 'indexes' | 'functions' | 'enums' | 'types' | 'sequences', string[]>;
const FIELDS = ['tables', 'indexes', 'functions', 'enums', 'types', 'sequences'] as const;

/** The keys a copy (and the copies under it) touched since `base`, in `c`'s order. Objects untouched are the same in both. */
function touchedKeys(copy: Catalog, base: Catalog): Record<keyof CatalogKeys, Set<string>> {
  const out = {} as Record<keyof CatalogKeys, Set<string>>;
  for (const f of FIELDS) {
    const m = copy[f];
    out[f] = m instanceof CowMap ? m.touched(base[f]) : new Set(m?.keys() ?? []);
  }
  return out;
}

function inOrderOf(c: Catalog, keys: Record<keyof CatalogKeys, Set<string>>): CatalogKeys {
  const out = {} as CatalogKeys;
  for (const f of FIELDS) out[f] = inMapOrder(c[f] ?? new Map<string, unknown>(), keys[f]);
  return out;
}

/** One migration file's up or down part. */
export interface MigrationPart {
  /** Workspace path of the file (findings are pinned to statements of a given file). */
  path: string;
  parsed: ParsedSql;
  /** String offsets of the part in a dbmate file; the whole file otherwise. */
  section?: { start: number; end: number };
}

export interface Leftover {
  /**
   * The file of the up statement whose effect the down does not undo, and its string offsets there (undefined: the
   * down changes something the up never touched).
   */
  path?: string;
  start?: number;
  end?: number;
  /** e.g. `column public.users.age` */
  object: string;
  kind: 'left-behind' | 'not-restored' | 'changed';
  message: string;
}

export interface LeftoverReport {
  items: Leftover[];
  /**
   * Statements whose effects the catalog cannot see (DO blocks, CALL, SELECT of a function), in the up and in the down:
   * an opaque down may undo what the items say it leaves; an opaque up may make items without a culprit statement.
   */
  opaque: { up: number; down: number };
  /** The file of the first up part (items without a culprit statement are reported there). */
  firstUp?: string;
  /** When the migration is one of several parts compared together: how many. */
  group?: number;
}

const OPAQUE = new Set(['DoStmt', 'CallStmt', 'SelectStmt']);

const countOpaque = (list: readonly Tagged[]) => list.filter((t) => OPAQUE.has(t.stmt.kind)).length;

/** How many statements of the ups and of the downs the catalog cannot see into (see LeftoverReport.opaque). */
export function opaqueCounts(ups: readonly MigrationPart[], downs: readonly MigrationPart[]): LeftoverReport['opaque'] {
  return { up: countOpaque(statementsOf(ups)), down: countOpaque(statementsOf(downs)) };
}

function readable(key: string): string {
  return key.replace(/ public\./, ' ');
}

/**
 * Statements that can change objects they do not name: renames (foreign keys, views, triggers and defaults elsewhere
 * follow them), enum value renames, schema moves and anything CASCADE. Comparing around them needs a full copy.
 */
function reachesOthers(list: readonly Tagged[]): boolean {
  return list.some(({ stmt }) => {
    if (stmt.kind === 'RenameStmt' || stmt.kind === 'AlterEnumStmt' || stmt.kind === 'AlterObjectSchemaStmt') return true;
    // DROP … CASCADE and ALTER TABLE … DROP … CASCADE (not ON DELETE CASCADE, which changes no other object).
    return (stmt.kind === 'DropStmt' || stmt.kind === 'AlterTableStmt') && /cascade/i.test(stmt.text) && JSON.stringify(stmt.node).includes('"DROP_CASCADE"');
  });
}

/** Whether an index definition from `catalogObjects` is on `table`. */
function onTable(definition: string | undefined, table: string): boolean {
  return definition === `on ${table}` || definition === `on ${table} unique`;
}

interface Tagged {
  path: string;
  stmt: Statement;
}

function statementsOf(parts: readonly MigrationPart[]): Tagged[] {
  return parts.flatMap((p) =>
    p.parsed.statements.filter((s) => !p.section || (s.start >= p.section.start && s.start < p.section.end)).map((stmt) => ({ path: p.path, stmt })),
  );
}

/**
 * What a hand-written down leaves different from the schema before the up: objects the up creates and the down keeps,
 * objects the up drops and the down does not re-create, definitions the down does not put back.
 */
export function rollbackLeftovers(
  up: ParsedSql,
  down: ParsedSql,
  before: Catalog,
  opts: { upSection?: { start: number; end: number }; downSection?: { start: number; end: number } } = {},
): LeftoverReport {
  return leftoversAndAfterUp([{ path: '<up>', parsed: up, section: opts.upSection }], [{ path: '<down>', parsed: down, section: opts.downSection }], before)
    .report;
}

/**
 * `rollbackLeftovers` for ups and downs in several files, e.g. a pop migration split into numbered parts: the ups are
 * applied in order, then the downs in the order given (the caller passes the order the tool rolls back in). Also gives
 * the catalog after the ups (a copy sharing what the ups do not touch with `before`), so a pass over all migrations
 * applies each up once.
 */
export function leftoversAndAfterUp(
  ups: readonly MigrationPart[],
  downs: readonly MigrationPart[],
  before: Catalog,
): { report: LeftoverReport; afterUp: Catalog } {
  const upStatements = statementsOf(ups);
  const downStatements = statementsOf(downs);
  const names = touchedNames(
    downStatements.map((t) => t.stmt),
    // The up's names come from what the catalog build reacts to: a query or data change in the up changes nothing, so
    // what it mentions decides nothing either (adding one changes only the opaque count).
    touchedNames(upStatements.map((t) => t.stmt).filter(reachesCatalog)),
  );
  const opaque = { up: countOpaque(upStatements), down: countOpaque(downStatements) };
  const firstUp = ups[0]?.path;
  const replay = (catalog: Catalog, list: Tagged[], after?: (t: Tagged) => void) => {
    let state = newApplyState('', { refuse: true });
    for (const t of list) {
      if (state.file !== t.path) state = newApplyState(t.path, { refuse: true });
      applyStatement(catalog, t.stmt, state);
      after?.(t);
    }
  };
  const wide = reachesOthers([...upStatements, ...downStatements]);
  // Copy-on-write: a copy clones what the statements read or write; what they only iterate is shared unless it bears a
  // touched name, or unless the statements reach objects they do not name (then everything iterated is cloned).
  const copy = (c: Catalog) => cowCatalog(c, wide ? undefined : { tables: (t) => tableNamed(names, t), other: (key) => named(names, key) });
  const afterUp = copy(before);
  replay(afterUp, upStatements);
  const afterDown = copy(afterUp);
  replay(afterDown, downStatements);
  // Only what the replay touched can differ: render those objects, not the whole catalog.
  const touched = touchedKeys(afterDown, before);
  // What a CASCADE or a rename reached without naming it (a foreign key dropped with the table it referenced) is
  // compared too.
  if (wide) for (const keys of Object.values(touched)) for (const k of keys) names.add(k.slice(k.lastIndexOf('.') + 1));
  const base = catalogObjects(before, names, inOrderOf(before, touched));
  const after = catalogObjects(afterDown, names, inOrderOf(afterDown, touched));
  // Most downs restore the schema. Rendering the touched objects after every up statement (to name the culprit) is
  // only worth it when up + down leave something different.
  if (after.size === base.size && [...base].every(([k, v]) => sameDefinition(after.get(k), v))) return { report: { items: [], opaque, firstUp }, afterUp };
  // Name the culprits: replay the ups on another copy, rendering the touched objects after each statement.
  const work = copy(before);
  const culprit = new Map<string, Tagged>();
  let prev = base;
  replay(work, upStatements, (t) => {
    const now = catalogObjects(work, names, inOrderOf(work, touched));
    for (const [k, v] of now) if (!sameDefinition(prev.get(k), v) && !culprit.has(k)) culprit.set(k, t);
    for (const k of prev.keys()) if (!now.has(k) && !culprit.has(k)) culprit.set(k, t);
    prev = now;
  });
  const items: Leftover[] = [];
  const push = (object: string, kind: Leftover['kind'], message: string) => {
    const t = culprit.get(object);
    items.push({ path: t?.path, start: t?.stmt.start, end: t?.stmt.end, object, kind, message });
  };
  // Objects whose parts (columns, constraints, values) go with them; a parent is never implied by itself.
  const PARENT = /^(table|view|materialized view|enum|composite|domain|range|function|procedure|sequence) /;
  const parents = (keys: string[]) => keys.filter((k) => PARENT.test(k)).map((k) => k.slice(k.lastIndexOf(' ') + 1));
  const added = [...after.keys()].filter((k) => !base.has(k));
  const removed = [...base.keys()].filter((k) => !after.has(k));
  const implied = (k: string, ps: string[]) =>
    !PARENT.test(k) && ps.some((p) => k.endsWith(` ${p}`) || k.includes(` ${p}.`) || onTable(after.get(k), p) || onTable(base.get(k), p));
  const addedParents = parents(added);
  const removedParents = parents(removed);
  for (const k of added) if (!implied(k, addedParents)) push(k, 'left-behind', `${readable(k)} is left behind by the down`);
  for (const k of removed) if (!implied(k, removedParents)) push(k, 'not-restored', `${readable(k)} is not restored by the down`);
  for (const [k, v] of base) {
    const w = after.get(k);
    if (w !== undefined && !sameDefinition(w, v)) push(k, 'changed', `${readable(k)} differs after the down: was ${v || '(nothing)'}, now ${w || '(nothing)'}`);
  }
  return { report: { items, opaque, firstUp }, afterUp };
}
