// The catalog as it stood before a given migration: the earlier migrations' up parts replayed in order.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog, type Table } from '../catalog/types';
import { CLONE } from './cow-catalog';
import { resolveSection, type SqlSection, type WorkspaceFiles, type WorkspaceLayout } from '../migrations';
import { parseSql, type ParsedSql } from '../parse/parse';
import type { Workspace } from '../workspace/workspace';

/** One migration's up part, parsed, in apply order. */
export interface OrderedUp {
  /** Migration id (as in `Migration.id`). */
  id: string;
  /** The file the up part lives in (tags catalog locations). */
  path: string;
  parsed: ParsedSql;
  /** String offsets of the up section in a dbmate file; the whole file otherwise. */
  section?: { start: number; end: number };
}

/** Applies one up part to a catalog in place. */
export function applyUp(catalog: Catalog, up: OrderedUp): void {
  const state = newApplyState(up.path, { refuse: true });
  for (const stmt of up.parsed.statements) {
    if (up.section && (stmt.start < up.section.start || stmt.start >= up.section.end)) continue;
    applyStatement(catalog, stmt, state);
  }
}

/** A migration part's offsets in its file, or undefined when the part is the whole file (not a dbmate section). */
export function partSection(section: SqlSection, text: string): { start: number; end: number } | undefined {
  const r = resolveSection(section, text);
  return r.start === 0 && r.end === text.length ? undefined : r;
}

/** The up parts of a workspace's migrations in apply order. */
export function orderedUps(ws: Workspace): OrderedUp[] {
  const out: OrderedUp[] = [];
  for (const m of ws.layout().migrations) {
    const parsed = ws.parsed(m.up.path);
    if (!parsed) continue;
    out.push({ id: m.id, path: m.up.path, parsed, section: partSection(m.up, parsed.text) });
  }
  return out;
}

/** The up parts of a layout's migrations in apply order, read through injected file access (for the CLI). */
export function orderedUpsFromFiles(files: WorkspaceFiles, layout: WorkspaceLayout): OrderedUp[] {
  const out: OrderedUp[] = [];
  const parses = new Map<string, ParsedSql>();
  for (const m of layout.migrations) {
    const text = files.read(m.up.path);
    if (text === undefined) continue;
    const parsed = parses.get(m.up.path) ?? parseSql(text);
    parses.set(m.up.path, parsed);
    out.push({ id: m.id, path: m.up.path, parsed, section: partSection(m.up, text) });
  }
  return out;
}

/**
 * The catalog before migration `migrationId`: every earlier up part applied in order (plain SQL files are not: they run
 * after the migrations in the workspace catalog). An unknown id gives the catalog after all migrations.
 */
export function catalogBefore(input: Workspace | readonly OrderedUp[], migrationId: string): Catalog {
  const ups = Array.isArray(input) ? (input as readonly OrderedUp[]) : orderedUps(input as Workspace);
  const catalog = emptyCatalog();
  for (const up of ups) {
    if (up.id === migrationId) break;
    applyUp(catalog, up);
  }
  return catalog;
}

/**
 * A copy that applying statements cannot change (stored AST nodes are shared: they are never mutated). With `only`, a
 * copy for statements that touch nothing but the tables and other objects (by key) `only` accepts: those are copied,
 * the rest is shared with `c`
 * (the caller makes sure the statements cannot reach the shared ones, see `leftovers.ts`).
 */
export function cloneCatalog(c: Catalog, only?: { tables: (t: Table) => boolean; other: (key: string) => boolean }): Catalog {
  const keep = only?.other ?? (() => true);
  const copyMap = <V>(m: Map<string, V>, copy: (v: V, k: string) => V, pick: (k: string, v: V) => boolean = (k) => keep(k)) => {
    const out = new Map<string, V>();
    for (const [k, v] of m) out.set(k, pick(k, v) ? copy(v, k) : v);
    return out;
  };
  return {
    tables: copyMap(c.tables, CLONE.tables, only ? (_k, t) => only.tables(t) : () => true),
    functions: copyMap(c.functions, CLONE.functions),
    indexes: copyMap(c.indexes, CLONE.indexes, (k, ix) => keep(k) || keep(ix.table)),
    enums: copyMap(c.enums, CLONE.enums),
    schemas: new Set(c.schemas),
    extensions: new Set(c.extensions),
    defaultRevokeExecute: new Set(c.defaultRevokeExecute),
    sequences: copyMap(c.sequences ?? new Map(), CLONE.sequences),
    types: copyMap(c.types ?? new Map(), CLONE.types),
    comments: new Map(c.comments ?? []),
    opaque: c.opaque && [...c.opaque],
    rejected: c.rejected && [...c.rejected],
    version: c.version,
  };
}
