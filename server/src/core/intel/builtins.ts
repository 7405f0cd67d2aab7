// PostgreSQL's own functions and keywords (generated from PGlite's pg_proc by scripts/gen-builtins.ts), for completion and signature help.
import { TYPE_NAMES } from '../schema/normalize';
import data from './pg-builtins.json';

export interface BuiltinFunction {
  name: string;
  /** Arguments as pg_get_function_arguments prints them, e.g. `text, integer DEFAULT 0`. */
  args: string;
  result: string;
  kind: 'function' | 'aggregate' | 'window' | 'procedure';
  volatility: 'immutable' | 'stable' | 'volatile';
  doc: string;
}

const KIND: Record<string, BuiltinFunction['kind']> = { f: 'function', a: 'aggregate', w: 'window', p: 'procedure' };
const VOLATILITY: Record<string, BuiltinFunction['volatility']> = { i: 'immutable', s: 'stable', v: 'volatile' };

let functions: Map<string, BuiltinFunction[]> | undefined;

/** Built-in functions by name (overloads in pg_proc order). */
export function builtinFunctions(): Map<string, BuiltinFunction[]> {
  if (functions) return functions;
  functions = new Map();
  for (const [name, args, result, kind, volatility, doc] of data.functions as string[][]) {
    const list = functions.get(name) ?? [];
    list.push({ name, args, result, kind: KIND[kind] ?? 'function', volatility: VOLATILITY[volatility] ?? 'volatile', doc });
    functions.set(name, list);
  }
  return functions;
}

/** SQL keywords with their category: U unreserved, C column name, T type/function name, R reserved. */
export function keywords(): { word: string; category: string }[] {
  return (data.keywords as string[][]).map(([word, category]) => ({ word, category }));
}

/** Splits pg_get_function_arguments output into one string per argument (commas inside parentheses stay). */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of args) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** A type as users read it: `int8` → `bigint`, `int4[]` → `integer[]`, `varchar(20)` → `character varying(20)`. */
export function displayType(type: string): string {
  const m = /^(setof\s+)?([a-z0-9_]+)(.*)$/.exec(type);
  return m && TYPE_NAMES[m[2]] ? `${m[1] ?? ''}${TYPE_NAMES[m[2]]}${m[3]}` : type;
}

let systemNames: { functions: Set<string>; relations: Set<string> } | undefined;

/** Every pg_catalog function name (internal ones too) and every pg_catalog / information_schema relation name. */
export function systemObjects(): { functions: Set<string>; relations: Set<string> } {
  systemNames ??= { functions: new Set(data.functionNames as string[]), relations: new Set(data.systemRelations as string[]) };
  return systemNames;
}

interface ExtensionObjects {
  functions: string[];
  relations: string[];
  /** `access method:operator class`, e.g. `gin:gin_trgm_ops`. */
  opclasses: string[];
}

const EXTENSIONS = data.extensions as Record<string, ExtensionObjects>;

/** The objects a contrib extension PGlite ships creates; undefined for an extension pgdba does not know. */
export function extensionObjects(name: string): ExtensionObjects | undefined {
  return Object.prototype.hasOwnProperty.call(EXTENSIONS, name) ? EXTENSIONS[name] : undefined;
}

const extensionSets = new Map<string, { functions: Set<string>; relations: Set<string> } | undefined>();

/** A contrib extension's function and relation names as sets (as systemObjects gives PostgreSQL's); undefined for an extension pgdba does not know. */
export function extensionNames(name: string): { functions: Set<string>; relations: Set<string> } | undefined {
  if (!extensionSets.has(name)) {
    const objects = extensionObjects(name);
    extensionSets.set(name, objects && { functions: new Set(objects.functions), relations: new Set(objects.relations) });
  }
  return extensionSets.get(name);
}

let opclassHome: { system: Set<string>; extension: Map<string, string> } | undefined;

/**
 * Where an operator class of an access method comes from: 'system' (built in), the name of the contrib extension that
 * creates it, or undefined (a class pgdba does not know, e.g. one the project creates itself).
 */
export function opclassOrigin(method: string, opclass: string): string | undefined {
  if (!opclassHome) {
    const extension = new Map<string, string>();
    for (const [ext, o] of Object.entries(EXTENSIONS)) for (const c of o.opclasses ?? []) if (!extension.has(c)) extension.set(c, ext);
    opclassHome = { system: new Set(data.systemOpclasses as string[]), extension };
  }
  const key = `${method}:${opclass}`;
  return opclassHome.system.has(key) ? 'system' : opclassHome.extension.get(key);
}
