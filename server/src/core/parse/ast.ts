// Small typed helpers over libpg-query's JSON AST: walking, unwrapping nodes, names and literals.
import type { Node, RangeVar, TypeName } from '@pgsql/types';

/** A node wrapper like `{ SelectStmt: {...} }` split into its kind and payload. */
export function unwrap(node: unknown): { kind: string; value: Record<string, unknown> } | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  // The only key, found with for…in: Object.keys made an array for every node unwrapped.
  let kind: string | undefined;
  for (const k in node) {
    if (kind !== undefined) return undefined;
    kind = k;
  }
  if (kind === undefined || !kindLike(kind)) return undefined;
  const value = (node as Record<string, unknown>)[kind];
  if (!value || typeof value !== 'object') return { kind, value: {} };
  return { kind, value: value as Record<string, unknown> };
}

/** Whether a key can name a node: its first character is not lower case (ASCII by char code, which runs for every node). */
function kindLike(kind: string): boolean {
  const c = kind.charCodeAt(0);
  if (c < 128) return c < 97 || c > 122;
  return kind[0] === kind[0].toUpperCase();
}

/** The payload of a node of the given kind, or undefined (`unwrap` without making its answer object). */
export function as<T>(node: unknown, kind: string): T | undefined {
  // Rules ask every statement whether it is their kind: answer "no" without listing the node's keys.
  if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, kind) || Array.isArray(node)) return undefined;
  // `kind` is a key: the node is of that kind when it is the only one.
  let keys = 0;
  for (const k in node) if (++keys > 1 || k !== kind) return undefined;
  if (!kindLike(kind)) return undefined;
  const value = (node as Record<string, unknown>)[kind];
  return (value && typeof value === 'object' ? value : {}) as T;
}

export type Visitor = (kind: string, value: Record<string, unknown>, parents: readonly string[]) => boolean | void;

/**
 * Visits every wrapped node below `node` depth-first. Returning false from the visitor skips that node's children.
 * `parents` lists the kinds of the enclosing nodes, outermost first.
 */
export function walk(node: unknown, visit: Visitor, parents: string[] = []): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, parents);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const u = unwrap(node);
  if (u) {
    if (visit(u.kind, u.value, parents) === false) return;
    parents.push(u.kind);
    // for…in, not Object.keys: no array per node visited.
    for (const key in u.value) walk(u.value[key], visit, parents);
    parents.pop();
    return;
  }
  for (const key in node) walk((node as Record<string, unknown>)[key], visit, parents);
}

/** The string of a `{String:{sval}}` node (also A_Star as `*`). */
export function str(node: unknown): string | undefined {
  const s = as<{ sval?: string }>(node, 'String');
  if (s) return s.sval ?? '';
  if (unwrap(node)?.kind === 'A_Star') return '*';
  return undefined;
}

/** The strings of a list of String nodes, e.g. a qualified name. */
export function strs(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => str(n)).filter((s): s is string => s !== undefined);
}

/** A qualified relation name. */
export interface QName {
  schema?: string;
  name: string;
}

export function rangeVarName(rv: RangeVar | undefined): QName | undefined {
  if (!rv || !rv.relname) return undefined;
  return { schema: rv.schemaname || undefined, name: rv.relname };
}

/** A qualified name from a list of String nodes (last is the name). */
export function listName(list: unknown): QName | undefined {
  const parts = strs(list);
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return { schema, name };
}

export function qnameText(q: QName): string {
  return q.schema ? `${q.schema}.${q.name}` : q.name;
}

/** A type name rendered the way PostgreSQL users write it (int4 → integer etc. left as the parser gives it). */
export function typeNameText(t: TypeName | undefined): string {
  if (!t) return '';
  let parts = strs(t.names);
  if (parts.length === 2 && parts[0] === 'pg_catalog') parts = [parts[1]];
  let text = parts.join('.');
  const mods = (t.typmods ?? [])
    .map((m) => {
      const c = as<{ ival?: { ival?: number } }>(m, 'A_Const');
      return c ? String(c.ival?.ival ?? 0) : undefined;
    })
    .filter((m): m is string => m !== undefined);
  if (mods.length) text += `(${mods.join(',')})`;
  if (t.arrayBounds && t.arrayBounds.length) text += '[]'.repeat(t.arrayBounds.length);
  if (t.setof) text = `setof ${text}`;
  return text;
}

/** The value of an A_Const node as a JS value (string, number, boolean, null). */
export function constValue(node: unknown): string | number | boolean | null | undefined {
  const c = as<Record<string, unknown>>(node, 'A_Const');
  if (!c) return undefined;
  if (c.isnull) return null;
  const sval = c.sval as { sval?: string } | undefined;
  if (sval) return sval.sval ?? '';
  const ival = c.ival as { ival?: number } | undefined;
  if (ival) return ival.ival ?? 0;
  const fval = c.fval as { fval?: string } | undefined;
  if (fval) return Number(fval.fval);
  const bval = c.boolval as { boolval?: boolean } | undefined;
  if (bval) return bval.boolval ?? false;
  const bsval = c.bsval as { bsval?: string } | undefined;
  if (bsval) return bsval.bsval ?? '';
  return 0; // ival 0 is encoded as an empty object
}

/** The `location` of a node (string offset after parse), or -1. */
export function locationOf(node: unknown): number {
  const u = unwrap(node);
  const loc = u ? u.value.location : (node as { location?: unknown } | undefined)?.location;
  return typeof loc === 'number' ? loc : -1;
}

/** The DefElem options of a statement as a name → arg map. */
export function defElems(list: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const d = as<{ defname?: string; arg?: unknown }>(item, 'DefElem');
    if (d?.defname) out.set(d.defname, d.arg);
  }
  return out;
}

export type { Node };

/**
 * Whether a boolean option of a utility statement (`VACUUM (FULL false)`, `REINDEX (CONCURRENTLY off)`) is on, read as
 * PostgreSQL's defGetBoolean reads it: no value means true; 1/0, true/false and on/off (any case) are its values.
 * Absent → false. A value PostgreSQL would reject counts as on (the statement fails anyway).
 */
export function optionOn(list: unknown, name: string): boolean {
  const opts = defElems(list);
  if (!opts.has(name)) return false;
  const arg = opts.get(name);
  if (arg === undefined || arg === null) return true;
  const b = as<{ boolval?: boolean }>(arg, 'Boolean');
  if (b) return b.boolval === true;
  const i = as<{ ival?: number }>(arg, 'Integer');
  if (i) return (i.ival ?? 0) !== 0;
  const s = str(arg) ?? constValue(arg);
  if (typeof s === 'string') return !['false', 'off', '0'].includes(s.toLowerCase());
  if (typeof s === 'number' || typeof s === 'boolean') return s !== 0 && s !== false;
  return true;
}
