// Partial rollbacks, statically: replay the up and then the hand-written down on the catalog, and report what the down leaves
// different from before the up, pinned to the up statement that made the difference (for the missing-rollback rule).
import { applyStatement, newApplyState } from '../catalog/build';
import { constraintName, isRealConstraint } from '../catalog/extras-table';
import type { Catalog } from '../catalog/types';
import type { ParsedSql, Statement } from '../parse/parse';
import { cloneCatalog } from './catalog-before';

/** `kind name` → definition, for everything the catalog models (column order ignored). */
export function catalogObjects(c: Catalog): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of c.schemas) out.set(`schema ${s}`, '');
  for (const e of c.extensions) out.set(`extension ${e}`, '');
  for (const t of c.tables.values()) {
    out.set(`${t.kind === 'materialized-view' ? 'materialized view' : t.kind} ${t.key}`, '');
    if (t.kind === 'table' || t.kind === 'foreign-table') {
      for (const col of t.columns.values()) {
        out.set(`column ${t.key}.${col.name}`, [col.typeSql ?? col.type, col.notNull ? 'not null' : '', col.default ? `default ${col.default}` : '', col.identity ?? ''].filter(Boolean).join(' '));
      }
    }
    for (const k of t.constraints) if (isRealConstraint(k)) out.set(`constraint ${t.key}.${constraintName(k)}`, `${k.type} (${k.columns.join(', ')})${k.notValid ? ' not valid' : ''}`);
    for (const p of t.policies) out.set(`policy ${t.key}.${p.name}`, '');
    for (const tr of t.triggers ?? []) out.set(`trigger ${t.key}.${tr.name}`, '');
    if (t.rls.enabled || t.rls.forced) out.set(`row level security ${t.key}`, t.rls.forced ? 'enabled, forced' : 'enabled');
  }
  for (const [key, ix] of c.indexes) out.set(`index ${key}`, `on ${ix.table} (${ix.columns.join(', ')})${ix.unique ? ' unique' : ''}`);
  for (const [key, list] of c.functions) for (const f of list) out.set(`${f.kind} ${key}(${f.argTypes.join(', ')})`, '');
  for (const e of c.enums.values()) out.set(`enum ${e.key}`, e.values.join(', '));
  for (const t of c.types?.values() ?? []) out.set(`${t.kind} ${t.key}`, '');
  for (const s of c.sequences?.values() ?? []) if (!s.implicit) out.set(`sequence ${s.key}`, '');
  return out;
}

export interface Leftover {
  /** The up statement whose effect the down does not undo (undefined: the down changes something the up never touched). */
  statementIndex?: number;
  /** String offsets of that statement in the up text. */
  start?: number;
  end?: number;
  /** e.g. `column public.users.age` */
  object: string;
  kind: 'left-behind' | 'not-restored' | 'changed';
  message: string;
}

export interface LeftoverReport {
  items: Leftover[];
  /** Statements whose effects the catalog cannot see (DO blocks, dynamic SQL): when non-zero, the items may be incomplete or wrong. */
  opaque: number;
}

const OPAQUE = new Set(['DoStmt', 'CallStmt', 'SelectStmt']);

function readable(key: string): string {
  return key.replace(/ public\./, ' ');
}

function inSection(s: Statement, section?: { start: number; end: number }): boolean {
  return !section || (s.start >= section.start && s.start < section.end);
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
  const base = catalogObjects(before);
  // Fast path: most downs restore the schema. Rendering the catalog after every up statement (to name the culprit) is
  // only worth it when up + down leave something different.
  const quick = cloneCatalog(before);
  const upQuick = newApplyState('<up>');
  for (const s of up.statements) if (inSection(s, opts.upSection)) applyStatement(quick, s, upQuick);
  const downQuick = newApplyState('<down>');
  for (const s of down.statements) if (inSection(s, opts.downSection)) applyStatement(quick, s, downQuick);
  const quickAfter = catalogObjects(quick);
  const sameAsBefore = quickAfter.size === base.size && [...base].every(([k, v]) => quickAfter.get(k) === v);
  if (sameAsBefore) {
    const opaqueCount = [...up.statements.filter((s) => inSection(s, opts.upSection)), ...down.statements.filter((s) => inSection(s, opts.downSection))].filter((s) => OPAQUE.has(s.kind)).length;
    return { items: [], opaque: opaqueCount };
  }
  const work = cloneCatalog(before);
  const culprit = new Map<string, Statement>();
  let opaque = 0;
  let prev = base;
  const upState = newApplyState('<up>');
  for (const s of up.statements) {
    if (!inSection(s, opts.upSection)) continue;
    if (OPAQUE.has(s.kind)) opaque++;
    applyStatement(work, s, upState);
    const now = catalogObjects(work);
    for (const [k, v] of now) if (prev.get(k) !== v && !culprit.has(k)) culprit.set(k, s);
    for (const k of prev.keys()) if (!now.has(k) && !culprit.has(k)) culprit.set(k, s);
    prev = now;
  }
  const downState = newApplyState('<down>');
  for (const s of down.statements) {
    if (!inSection(s, opts.downSection)) continue;
    if (OPAQUE.has(s.kind)) opaque++;
    applyStatement(work, s, downState);
  }
  const after = catalogObjects(work);
  const items: Leftover[] = [];
  const push = (object: string, kind: Leftover['kind'], message: string) => {
    const s = culprit.get(object);
    items.push({ statementIndex: s?.index, start: s?.start, end: s?.end, object, kind, message });
  };
  const parents = (keys: string[]) => keys.filter((k) => /^(table|view|materialized view|enum|function|procedure|sequence) /.test(k)).map((k) => k.slice(k.lastIndexOf(' ') + 1));
  const added = [...after.keys()].filter((k) => !base.has(k));
  const removed = [...base.keys()].filter((k) => !after.has(k));
  const implied = (k: string, ps: string[]) => !/^(table|view|materialized view) /.test(k) && ps.some((p) => k.endsWith(` ${p}`) || k.includes(` ${p}.`) || after.get(k)?.startsWith(`on ${p} `) || base.get(k)?.startsWith(`on ${p} `));
  const addedParents = parents(added);
  const removedParents = parents(removed);
  for (const k of added) if (!implied(k, addedParents)) push(k, 'left-behind', `${readable(k)} is left behind by the down`);
  for (const k of removed) if (!implied(k, removedParents)) push(k, 'not-restored', `${readable(k)} is not restored by the down`);
  for (const [k, v] of base) {
    const w = after.get(k);
    if (w !== undefined && w !== v) push(k, 'changed', `${readable(k)} differs after the down: was ${v || '(nothing)'}, now ${w || '(nothing)'}`);
  }
  return { items, opaque };
}
