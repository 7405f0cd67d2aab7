// What a DROP takes with it beyond the object it names: a partitioned table's partitions, foreign keys on a dropped key.
import { keysWhere } from '../rollback/cow-map';
import type { Catalog, Constraint } from './types';

/** DROP TABLE of a partitioned table drops its partitions (and theirs) with it. */
export function dropRelation(catalog: Catalog, key: string): void {
  catalog.tables.delete(key);
  // Partitions are read without cloning (catalog copies): they are only dropped.
  for (const k of keysWhere(catalog.tables, (t) => t.partitionOf === key)) dropRelation(catalog, k);
}

/**
 * DROP INDEX … CASCADE of a unique index, or DROP CONSTRAINT … CASCADE of a key: the foreign keys that depend on it go.
 * Tables are replaced, not changed in place (see sweepDangling: copies share tables with their original).
 */
export function dropForeignKeysOn(catalog: Catalog, table: string, columns: readonly string[]): void {
  const same = (cols: readonly string[]) => cols.length === columns.length && cols.every((c) => columns.includes(c));
  const on = (k: Constraint) => k.type === 'foreign' && k.references?.table === table && same(k.references.columns);
  // Read first, then take only the tables that lose a foreign key (a catalog copy clones only those).
  for (const key of keysWhere(catalog.tables, (t) => t.constraints.some(on))) {
    const t = catalog.tables.get(key)!;
    catalog.tables.set(key, { ...t, constraints: t.constraints.filter((k) => !on(k)) });
  }
}
