// Resolves the name under the cursor to a catalog object, and finds that object's definition and every reference to it in a project's files.
import { platformOf } from '../projects/platform';
import { resolveTable } from '../catalog/apply-state';
import type { Catalog, Column, FunctionDef, Loc, Table } from '../catalog/types';
import type { QName } from '../parse/ast';
import type { ParsedSql, Statement } from '../parse/parse';
import { bodyStatements } from './bodies';
import { namesOf, type NameRef, type StatementNames } from './refs';

/** A catalog object a name can denote. */
export type ObjectRef =
  | { kind: 'table'; key: string }
  | { kind: 'column'; table: string; column: string }
  | { kind: 'function'; key: string }
  | { kind: 'index'; key: string }
  | { kind: 'type'; key: string };

/** One file of a project as code intelligence sees it. */
export interface IntelFile {
  path: string;
  parsed: ParsedSql;
  /** Migration ups, schema files and plain SQL build the schema; downs only mention it. */
  role: 'migration-up' | 'migration-down' | 'migration-verify' | 'plain';
  /** The part of the file this role covers (dbmate sections). */
  section?: { start: number; end: number };
  /** The migration's name, for history lines. */
  migration?: string;
}

/** A project: its catalog and its files (schema-building files in apply order first). */
export interface IntelProject {
  catalog: Catalog;
  files(): IntelFile[];
  searchPath?: string[];
}

export interface Located {
  file: string;
  start: number;
  end: number;
}

export function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'column' && b.kind === 'column') return a.table === b.table && a.column === b.column;
  return (a as { key: string }).key === (b as { key: string }).key;
}

function tableOf(catalog: Catalog, name: QName | undefined, searchPath: string[]): Table | undefined {
  return name ? resolveTable(catalog, name.schema, name.name, searchPath) : undefined;
}

function byKey<T>(map: Map<string, T> | undefined, name: string, schema: string | undefined, searchPath: string[]): string | undefined {
  if (!map) return undefined;
  for (const s of schema ? [schema] : [...searchPath, 'pg_catalog']) if (map.has(`${s}.${name}`)) return `${s}.${name}`;
  return undefined;
}

/** The catalog object a name denotes in its statement, or undefined (a CTE, an alias, a built-in, an unknown name). */
export function resolveRef(ref: NameRef, names: StatementNames, catalog: Catalog, searchPath = ['public']): ObjectRef | undefined {
  switch (ref.kind) {
    case 'relation': {
      if (!ref.schema && names.ctes.has(ref.name)) return undefined;
      const t = tableOf(catalog, { schema: ref.schema, name: ref.name }, searchPath);
      return t ? { kind: 'table', key: t.key } : undefined;
    }
    case 'column': {
      const t = columnTable(ref, names, catalog, searchPath);
      return t ? { kind: 'column', table: t.key, column: ref.name } : undefined;
    }
    case 'function': {
      const key = byKey(catalog.functions, ref.name, ref.schema, searchPath);
      return key ? { kind: 'function', key } : undefined;
    }
    case 'index': {
      const key = byKey(catalog.indexes, ref.name, ref.schema, searchPath);
      return key ? { kind: 'index', key } : undefined;
    }
    case 'type': {
      const key = byKey(catalog.enums, ref.name, ref.schema, searchPath) ?? byKey(catalog.types, ref.name, ref.schema, searchPath);
      return key ? { kind: 'type', key } : undefined;
    }
  }
}

function columnTable(ref: NameRef, names: StatementNames, catalog: Catalog, searchPath: string[]): Table | undefined {
  if (ref.table) {
    const t = tableOf(catalog, ref.table, searchPath);
    return t?.columns.has(ref.name) ? t : undefined;
  }
  if (ref.qualifier) {
    const parts = ref.qualifier.split('.');
    const last = parts[parts.length - 1];
    if (!ref.qualifier.includes('.') && names.ctes.has(last) && !names.relations.has(last)) return undefined;
    const rel = names.relations.get(last);
    const t = rel
      ? tableOf(catalog, rel, searchPath)
      : tableOf(catalog, { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name: last }, searchPath);
    return t?.columns.has(ref.name) ? t : undefined;
  }
  for (const [alias, rel] of names.relations) {
    if (!rel.schema && names.ctes.has(rel.name) && alias === rel.name) continue;
    const t = tableOf(catalog, rel, searchPath);
    if (t?.columns.has(ref.name)) return t;
  }
  return undefined;
}

const lowered = new WeakMap<Statement, string>();

/** Whether a statement's text could name `needle` (lower-case): a cheap filter before its names are derived. */
export function mayName(statement: Statement, needle: string): boolean {
  let text = lowered.get(statement);
  if (text === undefined) {
    text = statement.text.toLowerCase();
    lowered.set(statement, text);
  }
  return text.includes(needle);
}

/** Every statement of a file part (only those whose text holds `needle`, when given), with the SQL inside function bodies after the statement that holds it. */
export function* partStatements(file: IntelFile, catalog: Catalog, needle?: string): Generator<{ statement: Statement; names: StatementNames }> {
  for (const statement of file.parsed.statements) {
    if (file.section && (statement.start < file.section.start || statement.start >= file.section.end)) continue;
    if (needle !== undefined && !mayName(statement, needle)) continue;
    yield { statement, names: namesOf(file.parsed, statement) };
    if (statement.kind === 'CreateFunctionStmt') yield* bodyStatements(file, statement, catalog);
  }
}

/** The name under the cursor in a file, and what it denotes. */
export function objectAt(project: IntelProject, file: IntelFile, offset: number): { ref: NameRef; object?: ObjectRef; names: StatementNames } | undefined {
  for (const { statement, names } of partStatements(file, project.catalog)) {
    if (offset < statement.start || offset > statement.end) continue;
    const ref = names.refs.find((r) => r.start <= offset && offset <= r.end);
    if (ref) return { ref, object: resolveRef(ref, names, project.catalog, project.searchPath), names };
  }
  return undefined;
}

/** The catalog entry of an object. */
export function lookup(catalog: Catalog, o: ObjectRef): { table?: Table; column?: Column; functions?: FunctionDef[]; loc?: Loc } {
  switch (o.kind) {
    case 'table': {
      const table = catalog.tables.get(o.key);
      return { table, loc: table?.loc };
    }
    case 'column': {
      const table = catalog.tables.get(o.table);
      const column = table?.columns.get(o.column);
      return { table, column, loc: column?.loc };
    }
    case 'function': {
      const functions = catalog.functions.get(o.key);
      return { functions, loc: functions?.[functions.length - 1]?.loc };
    }
    case 'index':
      return { loc: catalog.indexes.get(o.key)?.loc };
    case 'type':
      return { loc: (catalog.enums.get(o.key) ?? catalog.types?.get(o.key))?.loc };
  }
}

/** Where the object was created, as the catalog recorded it (the latest CREATE OR REPLACE for a function). */
export function definitionOf(catalog: Catalog, o: ObjectRef): Located | undefined {
  const loc = lookup(catalog, o).loc;
  // What a platform made before the first migration (Supabase's auth.users) is in no file of the project.
  return loc && !platformOf(loc.file) ? { file: loc.file, start: loc.start, end: loc.end } : undefined;
}

/** Every place in the project that names the object (definitions included when `withDefinitions`). */
export function referencesTo(project: IntelProject, o: ObjectRef, withDefinitions = true): Located[] {
  const out: Located[] = [];
  const needle = ownName(o).toLowerCase();
  for (const file of project.files()) {
    for (const { names } of partStatements(file, project.catalog, needle)) {
      for (const ref of names.refs) {
        if (!withDefinitions && ref.definition) continue;
        if (!kindMatches(ref.kind, o.kind) || !nameMatches(ref, o)) continue;
        const r = resolveRef(ref, names, project.catalog, project.searchPath);
        if (r && sameObject(r, o)) out.push({ file: file.path, start: ref.start, end: ref.end });
      }
    }
  }
  return out;
}

function kindMatches(ref: NameRef['kind'], o: ObjectRef['kind']): boolean {
  return (ref === 'relation' && o === 'table') || ref === o;
}

/** A cheap filter before resolving: the written name must be the object's own. */
function nameMatches(ref: NameRef, o: ObjectRef): boolean {
  return ref.name === ownName(o);
}

function ownName(o: ObjectRef): string {
  return o.kind === 'column' ? o.column : o.key.slice(o.key.lastIndexOf('.') + 1);
}
