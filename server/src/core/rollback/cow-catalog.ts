// Catalog copies for the partial-rollback check: copy-on-write over a base catalog, so a copy costs what a migration touches.
import type { Catalog, EnumType, FunctionDef, Index, Sequence, Table, TypeDef } from '../catalog/types';
import { CowMap } from './cow-map';

function cloneColumns(columns: Table['columns']): Table['columns'] {
  const out: Table['columns'] = new Map();
  for (const [k, c] of columns) out.set(k, { ...c });
  return out;
}

/** Copies of catalog values deep enough that applying statements to the copy never changes the original. */
export const CLONE = {
  tables: (t: Table): Table => ({
    ...t,
    columns: cloneColumns(t.columns),
    rls: { ...t.rls },
    policies: t.policies.map((p) => ({ ...p, roles: [...p.roles], columns: [...p.columns] })),
    constraints: t.constraints.map((k) => ({
      ...k,
      columns: [...k.columns],
      references: k.references && { ...k.references, columns: [...k.references.columns] },
    })),
    grants: t.grants.map((g) => ({ ...g, privileges: [...g.privileges] })),
    triggers: t.triggers?.map((x) => ({ ...x })),
    partition: t.partition && { ...t.partition, columns: [...t.partition.columns] },
  }),
  functions: (list: FunctionDef[]): FunctionDef[] => list.map((f) => ({ ...f, argTypes: [...f.argTypes], grants: f.grants.map((g) => ({ ...g })) })),
  indexes: (ix: Index): Index => ({ ...ix, columns: [...ix.columns] }),
  enums: (e: EnumType): EnumType => ({ ...e, values: [...e.values] }),
  sequences: (s: Sequence): Sequence => ({ ...s, ownedBy: s.ownedBy && { ...s.ownedBy } }),
  types: (t: TypeDef): TypeDef => ({ ...t }),
};

/** Which values a copy clones when they are handed out by iteration (the rest are shared, for reading only). */
export interface IterationClones {
  tables(t: Table): boolean;
  /** Other objects by key (an index also by its table's key). */
  other(key: string): boolean;
}

/** A catalog whose maps are CowMap roots, so copies over it can be ordered and committed without walking it. */
export function rootCatalog(c: Catalog): Catalog {
  return {
    ...c,
    tables: CowMap.root(c.tables, CLONE.tables),
    functions: CowMap.root(c.functions, CLONE.functions),
    indexes: CowMap.root(c.indexes, CLONE.indexes),
    enums: CowMap.root(c.enums, CLONE.enums),
    sequences: CowMap.root(c.sequences ?? new Map(), CLONE.sequences),
    types: CowMap.root(c.types ?? new Map(), CLONE.types),
  };
}

/** A copy of `c` that applying statements cannot change; `clones` undefined: everything iterated is cloned. */
export function cowCatalog(c: Catalog, clones?: IterationClones): Catalog {
  const other = (k: string) => !clones || clones.other(k);
  return {
    tables: CowMap.over(c.tables, CLONE.tables, (_k, t) => !clones || clones.tables(t)),
    functions: CowMap.over(c.functions, CLONE.functions, other),
    indexes: CowMap.over(c.indexes, CLONE.indexes, (k, ix) => other(k) || other(ix.table)),
    enums: CowMap.over(c.enums, CLONE.enums, other),
    sequences: CowMap.over(c.sequences ?? new Map(), CLONE.sequences, other),
    types: CowMap.over(c.types ?? new Map(), CLONE.types, other),
    // Sets and schema comments hold a few entries each: plain copies.
    schemas: new Set(c.schemas),
    extensions: new Set(c.extensions),
    defaultRevokeExecute: new Set(c.defaultRevokeExecute),
    comments: new Map(c.comments ?? []),
    opaque: c.opaque && [...c.opaque],
    rejected: c.rejected && [...c.rejected],
    version: c.version,
  };
}

/** A catalog over ordinary maps holding a (committed) copy-on-write catalog's entries in order; the values are shared. */
export function plainCatalog(c: Catalog): Catalog {
  // In the order a catalog built in place has its fields (emptyCatalog's, then what statements add).
  const out: Catalog = {
    tables: new Map(c.tables),
    functions: new Map(c.functions),
    indexes: new Map(c.indexes),
    enums: new Map(c.enums),
    schemas: c.schemas,
    extensions: c.extensions,
    defaultRevokeExecute: c.defaultRevokeExecute,
    sequences: new Map(c.sequences ?? []),
    types: new Map(c.types ?? []),
    comments: c.comments,
    version: c.version,
  };
  if (c.opaque) out.opaque = c.opaque;
  if (c.rejected) out.rejected = c.rejected;
  return out;
}

/** Writes a copy's changes into the catalog it was made over and returns that catalog (its other copies become invalid). */
export function commitCatalog(copy: Catalog, base: Catalog): Catalog {
  const commit = <V>(m: Map<string, V> | undefined) => (m instanceof CowMap ? m.commit() : m);
  base.tables = commit(copy.tables)!;
  base.functions = commit(copy.functions)!;
  base.indexes = commit(copy.indexes)!;
  base.enums = commit(copy.enums)!;
  base.sequences = commit(copy.sequences);
  base.types = commit(copy.types);
  base.schemas = copy.schemas;
  base.extensions = copy.extensions;
  base.defaultRevokeExecute = copy.defaultRevokeExecute;
  base.comments = copy.comments;
  base.opaque = copy.opaque;
  base.rejected = copy.rejected;
  base.version = copy.version;
  return base;
}
