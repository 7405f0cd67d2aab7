// The per-file state of catalog building (search_path) and the name and location helpers every apply step shares.
import { deparseSync } from 'pgsql-deparser';
import { peek } from '../rollback/cow-map';
import type { Catalog, Loc, Table } from './types';

/** Per-file state while applying statements: the effective search_path for unqualified names. */
export interface ApplyState {
  file: string;
  searchPath: string[];
  /**
   * Leave out statements PostgreSQL refuses for a missing dependency (catalog/rejects.ts). On for migrations, whose order
   * the tool defines; off for schema files and loose files, whose order pgdba can only guess (sqlc reads its schema
   * files in any order), and where a forward reference is not the author's mistake.
   */
  refuse?: boolean;
}

export function newApplyState(file: string, opts: { refuse?: boolean } = {}): ApplyState {
  return { file, searchPath: ['public'], ...(opts.refuse ? { refuse: true } : {}) };
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

/**
 * `resolveTable` for reading only: a catalog copy (rollback/cow-map.ts) hands out its base's table without cloning it.
 * Whoever changes the table takes it with `resolveTable`.
 */
export function findTable(catalog: Catalog, schema: string | undefined, name: string, searchPath = ['public']): Table | undefined {
  if (schema) return peek(catalog.tables, `${schema}.${name}`);
  for (const s of searchPath) {
    const t = peek(catalog.tables, `${s}.${name}`);
    if (t) return t;
  }
  return undefined;
}

export function tableKey(rv: { schemaname?: string; relname?: string } | undefined, state: ApplyState, catalog?: Catalog): string {
  const schema = rv?.schemaname;
  const name = rv?.relname ?? '';
  if (schema) return `${schema}.${name}`;
  if (catalog) {
    const t = findTable(catalog, undefined, name, state.searchPath);
    if (t) return t.key;
  }
  return `${state.searchPath[0] ?? 'public'}.${name}`;
}

function deparseOrUndefined(node: unknown): string | undefined {
  try {
    return deparseSync(node as never);
  } catch {
    return undefined;
  }
}

/** Deparsed texts by node (stored nodes are never changed in place): the rollback check applies each up again. */
const DEPARSED = new WeakMap<object, string | undefined>();
const DEPARSED_TYPES = new WeakMap<object, string | undefined>();

/**
 * Deparsed texts by what a node holds, its token offsets left out (the deparser never reads a numeric `location`): the
 * same type or default (text, timestamptz, now()) is written in many statements, and is deparsed once. Emptied when
 * large, so that a long editing session does not keep every text it ever saw.
 */
const BY_CONTENT = new Map<string, string | undefined>();
const MAX_BY_CONTENT = 20_000;

/**
 * The JSON text with its numeric `location` members cut out (a replacer function would cost more than the text). A
 * string holding `"location":1` cannot match: JSON escapes its quotes.
 */
function contentKey(tag: string, node: unknown): string | undefined {
  try {
    return tag + JSON.stringify(node).replace(LOCATION, '');
  } catch {
    return undefined; // not JSON (never so for a parse): deparsed without the memo
  }
}

const LOCATION = /"location":-?\d+/g;

function memoDeparse(memo: WeakMap<object, string | undefined>, tag: string, key: unknown, node: () => unknown): string | undefined {
  if (!key || typeof key !== 'object') return deparseOrUndefined(node());
  if (memo.has(key)) return memo.get(key);
  const content = contentKey(tag, key);
  let out: string | undefined;
  if (content !== undefined && BY_CONTENT.has(content)) out = BY_CONTENT.get(content);
  else {
    out = deparseOrUndefined(node());
    if (BY_CONTENT.size >= MAX_BY_CONTENT) BY_CONTENT.clear();
    if (content !== undefined) BY_CONTENT.set(content, out);
  }
  memo.set(key, out);
  return out;
}

export function safeDeparse(node: unknown): string | undefined {
  return memoDeparse(DEPARSED, 'n', node, () => node);
}

/** `safeDeparse({ TypeName: typeName })`, kept by the TypeName payload. */
export function deparseTypeName(typeName: unknown): string | undefined {
  return memoDeparse(DEPARSED_TYPES, 't', typeName, () => ({ TypeName: typeName }));
}
