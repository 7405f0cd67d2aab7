// Copy-on-write renames inside stored ASTs (constraints, indexes, policies, triggers, views), mirroring what PostgreSQL does to
// dependent objects when a table or column is renamed (they are stored by OID, so their definitions follow the new name).

/**
 * A deep copy of a JSON AST (stored nodes belong to the parse; they are never mutated in place, which is what lets the
 * memos below key derived data by node). The same as a JSON round trip (undefined fields left out, undefined array items
 * null), without the text in between.
 */
export function cloneNode<T>(node: T): T {
  return node === undefined ? node : (cloneJson(node) as T);
}

function cloneJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out[i] = x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : cloneJson(x);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  // ASTs are plain objects, whose keys `for … in` gives as Object.keys does (and faster, making no array).
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    out[k] = cloneJson(x);
  }
  return out;
}

type Json = Record<string, unknown>;

/** Every string value in a stored node (keys left out), once per node: a cheap look before searching a tree for a name. */
const STRINGS = new WeakMap<object, Set<string>>();

function stringsIn(node: unknown): Set<string> {
  if (!node || typeof node !== 'object') return new Set(typeof node === 'string' ? [node] : []);
  let out = STRINGS.get(node);
  if (!out) {
    const found = new Set<string>();
    const walk = (n: unknown): void => {
      if (typeof n === 'string') found.add(n);
      else if (Array.isArray(n)) for (const x of n) walk(x);
      else if (n && typeof n === 'object') for (const k in n) walk((n as Json)[k]);
    };
    walk(node);
    out = found;
    STRINGS.set(node, out);
  }
  return out;
}

/**
 * The results of the renames below, by node and arguments. A rename of a stored node is a pure function of the two
 * (stored nodes never change), so the same rename gives the same tree: handing out the very same copy when the rollback
 * check applies a migration again lets every memo keyed by node (relations, strings, star expansions, deparses) carry
 * over to it instead of walking a fresh copy.
 */
const RENAMED = new WeakMap<object, Map<string, unknown>>();

/** relationsIn by node (see there). */
const RELATIONS = new WeakMap<object, readonly { schema?: string; name: string }[]>();

/** `rename()` of `node` by `args`, once. `keepsRelations`: the rename changes no RangeVar, so the copy reads what `node` reads. */
function renamed<T>(node: T, args: string, keepsRelations: boolean, rename: () => T): T {
  if (!node || typeof node !== 'object') return rename();
  let byArgs = RENAMED.get(node);
  if (!byArgs) RENAMED.set(node, (byArgs = new Map()));
  if (byArgs.has(args)) return byArgs.get(args) as T;
  const out = rename();
  byArgs.set(args, out);
  const relations = RELATIONS.get(node);
  if (keepsRelations && relations && out !== node && out && typeof out === 'object' && !RELATIONS.has(out)) RELATIONS.set(out, relations);
  return out;
}

function visit(node: unknown, fn: (kind: string, value: Json, holder: Json) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, fn);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Json;
  // A node is { Kind: payload } with an upper-case kind (a char code test: this runs for every object of every tree).
  // for…in, not Object.keys: no array per object.
  let only: string | undefined;
  let count = 0;
  for (const k in obj) if (count++ === 0) only = k;
  const first = count === 1 ? only!.charCodeAt(0) : 0;
  if (first >= 65 && first <= 90 && obj[only!] && typeof obj[only!] === 'object' && !Array.isArray(obj[only!])) {
    fn(only!, obj[only!] as Json, obj);
  }
  for (const k in obj) visit(obj[k], fn);
}

function sval(n: unknown): string | undefined {
  const s = (n as { String?: { sval?: string } } | undefined)?.String;
  return s ? (s.sval ?? '') : undefined;
}

/** Finds (and with `apply`, renames) references to column `from` in a tree; says whether there were any. */
function columnReferences(tree: unknown, from: string, to: string, qualifiers: readonly string[] | undefined, apply: boolean): boolean {
  let found = false;
  const renameList = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const s = (item as { String?: { sval?: string } }).String;
      if (s && s.sval === from) {
        if (apply) s.sval = to;
        found = true;
      }
    }
  };
  visit(tree, (kind, v) => {
    if (kind === 'ColumnRef') {
      const fields = (v.fields as unknown[] | undefined) ?? [];
      const last = fields[fields.length - 1] as { String?: { sval?: string } } | undefined;
      const qual = fields.length > 1 ? sval(fields[fields.length - 2]) : undefined;
      if (last?.String && last.String.sval === from && (qual === undefined || !qualifiers || qualifiers.includes(qual))) {
        if (apply) last.String.sval = to;
        found = true;
      }
    } else if (kind === 'IndexElem' && v.name === from) {
      if (apply) v.name = to;
      found = true;
    } else if (kind === 'Constraint') {
      renameList(v.keys);
      renameList(v.including);
      renameList(v.fk_attrs);
    } else if (kind === 'CreateTrigStmt') {
      renameList(v.columns);
    } else if (kind === 'PartitionElem' && v.name === from) {
      if (apply) v.name = to;
      found = true;
    }
  });
  return found;
}

/**
 * Renames column `from` to `to` in a node that refers to one table's columns: ColumnRef last fields (optionally qualified by
 * one of `qualifiers`), IndexElem names, constraint key lists, trigger column lists. Returns a new node, or the same node
 * when nothing changed.
 */
export function renameColumnIn<T>(node: T, from: string, to: string, qualifiers?: readonly string[], kind?: string): T {
  if (node === undefined || !stringsIn(node).has(from)) return node;
  const args = `c\u0000${from}\u0000${to}\u0000${qualifiers ? qualifiers.join('\u0001') : '\u0002'}\u0000${kind ?? ''}`;
  return renamed(node, args, true, () => {
    // Stored nodes are payloads (the Constraint itself, not { Constraint: … }): wrap them so their own fields are visited.
    const wrap = (n: T): unknown => (kind ? { [kind]: n } : n);
    // Look before copying: a node that names the column (its definition in CREATE TABLE) often does not refer to it.
    if (!columnReferences(wrap(node), from, to, qualifiers, false)) return node;
    const copy = wrap(cloneNode(node));
    columnReferences(copy, from, to, qualifiers, true);
    return kind ? ((copy as Json)[kind] as T) : (copy as T);
  });
}

/** Finds (and with `apply`, renames) `from` in the referenced-column lists of foreign keys; says whether there were any. */
function referencedColumns(tree: unknown, from: string, to: string, apply: boolean): boolean {
  let found = false;
  visit(tree, (kind, v) => {
    if (kind !== 'Constraint' || !Array.isArray(v.pk_attrs)) return;
    for (const item of v.pk_attrs as { String?: { sval?: string } }[]) {
      if (item.String?.sval === from) {
        if (apply) item.String.sval = to;
        found = true;
      }
    }
  });
  return found;
}

/** Renames `from` → `to` in the referenced-column list of foreign keys pointing at a table. */
export function renameReferencedColumn<T>(node: T, from: string, to: string): T {
  if (node === undefined || !stringsIn(node).has(from)) return node;
  return renamed(node, `r\u0000${from}\u0000${to}`, true, () => {
    if (!referencedColumns({ Constraint: node }, from, to, false)) return node;
    const copy = { Constraint: cloneNode(node) } as Json;
    referencedColumns(copy, from, to, true);
    return copy.Constraint as T;
  });
}

/**
 * Renames a relation in a query tree (a view's SELECT): RangeVars naming `schema.from` (or unqualified `from` when the
 * schema is first on the search path), and ColumnRef qualifiers equal to the old name when the RangeVar had no alias.
 */
export function renameRelationIn<T>(node: T, schema: string, from: string, to: string, searchPath: readonly string[]): T {
  if (node === undefined || !stringsIn(node).has(from)) return node;
  // Only the first schema of the search path decides (unqualified names are renamed when it is the table's).
  return renamed(node, `t\u0000${schema}\u0000${from}\u0000${to}\u0000${searchPath[0] ?? ''}`, false, () =>
    relationRenamed(node, schema, from, to, searchPath),
  );
}

function relationRenamed<T>(node: T, schema: string, from: string, to: string, searchPath: readonly string[]): T {
  const copy = cloneNode(node);
  let changed = false;
  let aliasless = false;
  visit(copy, (kind, v) => {
    if (kind !== 'RangeVar' || v.relname !== from) return;
    const s = v.schemaname as string | undefined;
    if (s ? s !== schema : searchPath[0] !== schema) return;
    v.relname = to;
    changed = true;
    if (!v.alias) {
      // PostgreSQL prints the old name's references with the new name: keep them pointing at it.
      aliasless = true;
    }
  });
  if (aliasless) {
    visit(copy, (kind, v) => {
      if (kind !== 'ColumnRef') return;
      const fields = (v.fields as { String?: { sval?: string } }[] | undefined) ?? [];
      if (fields.length >= 2 && fields[fields.length - 2].String?.sval === from) fields[fields.length - 2].String!.sval = to;
    });
  }
  return changed ? copy : node;
}

/** Renames a column referenced by a view's query, keeping the view's output name (PostgreSQL adds `AS old`). */
export function renameColumnInQuery<T>(node: T, tableNames: readonly string[], from: string, to: string): T {
  if (node === undefined || !stringsIn(node).has(from)) return node;
  return renamed(node, `q\u0000${tableNames.join('\u0001')}\u0000${from}\u0000${to}`, true, () => columnRenamedInQuery(node, tableNames, from, to));
}

function columnRenamedInQuery<T>(node: T, tableNames: readonly string[], from: string, to: string): T {
  const copy = cloneNode(node);
  let changed = false;
  visit(copy, (kind, v) => {
    if (kind !== 'ResTarget' || v.name) return;
    const ref = (v.val as { ColumnRef?: { fields?: unknown[] } } | undefined)?.ColumnRef;
    const fields = ref?.fields ?? [];
    if (fields.length && sval(fields[fields.length - 1]) === from) v.name = from;
  });
  visit(copy, (kind, v) => {
    if (kind !== 'ColumnRef') return;
    const fields = (v.fields as { String?: { sval?: string } }[] | undefined) ?? [];
    const last = fields[fields.length - 1];
    const qual = fields.length > 1 ? fields[fields.length - 2].String?.sval : undefined;
    if (last?.String?.sval === from && (qual === undefined || tableNames.includes(qual))) {
      last.String.sval = to;
      changed = true;
    }
  });
  return changed ? copy : node;
}

/** The relations (RangeVars) a query reads, as written (kept per node: views are read again on every DROP … CASCADE). */
export function relationsIn(node: unknown): readonly { schema?: string; name: string }[] {
  const memo = node && typeof node === 'object' ? RELATIONS.get(node) : undefined;
  if (memo) return memo;
  const out: { schema?: string; name: string }[] = [];
  visit(node, (kind, v) => {
    if (kind === 'RangeVar' && typeof v.relname === 'string') out.push({ schema: (v.schemaname as string) || undefined, name: v.relname });
  });
  if (node && typeof node === 'object') RELATIONS.set(node, out);
  return out;
}

const COLUMNS = new WeakMap<object, ReadonlySet<string>>();

/** `columnsIn` of a stored node (an index, a constraint's expression), kept per node: DROP COLUMN reads them all again. */
export function columnsReadBy(node: unknown): ReadonlySet<string> {
  if (!node || typeof node !== 'object') return columnsIn(node);
  let out = COLUMNS.get(node);
  if (!out) {
    out = columnsIn(node);
    COLUMNS.set(node, out);
  }
  return out;
}

/** Column names referenced anywhere in a node (last field of each ColumnRef, IndexElem names, key lists); `kind` wraps a payload. */
export function columnsIn(node: unknown, kind?: string): Set<string> {
  if (kind && node) node = { [kind]: node };
  const out = new Set<string>();
  const addList = (list: unknown) => {
    if (Array.isArray(list)) for (const i of list) if (sval(i) !== undefined) out.add(sval(i)!);
  };
  visit(node, (kind, v) => {
    if (kind === 'ColumnRef') {
      const fields = (v.fields as unknown[] | undefined) ?? [];
      const last = sval(fields[fields.length - 1]);
      if (last) out.add(last);
    } else if (kind === 'IndexElem' && typeof v.name === 'string') out.add(v.name);
    else if (kind === 'Constraint') {
      addList(v.keys);
      addList(v.including);
      addList(v.fk_attrs);
    }
  });
  return out;
}
