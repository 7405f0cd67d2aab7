// Prints the schema document deterministically (sorted keys) and compares two of them value by value.
import type { SchemaJson } from './types';

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/** The schema as JSON text with every object's keys sorted: equal schemas print byte for byte the same. */
export function schemaJsonText(schema: SchemaJson): string {
  return JSON.stringify(sortKeys(schema), null, 2) + '\n';
}

export interface SchemaDifference {
  /** e.g. `tables["public.users"].columns["email"].type` */
  path: string;
  /** The object the difference is in, e.g. `tables public.users`. */
  object: string;
  left?: unknown;
  right?: unknown;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function step(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function walkDiff(a: unknown, b: unknown, path: string, object: string, out: SchemaDifference[]): void {
  if (same(a, b)) return;
  const objects = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (objects(a) && objects(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) walkDiff(ra[k], rb[k], step(path, k), object, out);
    return;
  }
  out.push({ path, object, left: a, right: b });
}

/** Every value that differs between two schema documents, at the deepest path where it does. */
export function diffSchemaJson(left: SchemaJson, right: SchemaJson): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const section of Object.keys({ ...left, ...right }).sort() as (keyof SchemaJson)[]) {
    const a = left[section];
    const b = right[section];
    if (Array.isArray(a) || Array.isArray(b)) {
      walkDiff(a, b, section, section, out);
      continue;
    }
    const ra = (a ?? {}) as Record<string, unknown>;
    const rb = (b ?? {}) as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) walkDiff(ra[k], rb[k], step(section, k), `${section} ${k}`, out);
  }
  return out;
}

/** A difference as one line: `tables["public.t"].columns.a.type: "integer" ≠ "bigint"`. */
export function differenceText(d: SchemaDifference, names: [string, string] = ['left', 'right']): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (d.left === undefined) return `${d.path}: only in ${names[1]}: ${show(d.right)}`;
  if (d.right === undefined) return `${d.path}: only in ${names[0]}: ${show(d.left)}`;
  return `${d.path}: ${names[0]} ${show(d.left)}, ${names[1]} ${show(d.right)}`;
}
