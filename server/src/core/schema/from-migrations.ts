// The static catalog of a list of migrations, applied in order: the same statements PGlite is built from.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { parseSql } from '../parse/parse';

/**
 * `skipped` names statements (migration id and start offset) to leave out: those an engine could not run, so that a
 * comparison with that engine's schema measures the catalog, not the engine's gaps.
 */
export function catalogFromMigrations(
  migrations: readonly { id: string; sql: string; kind?: 'migration' | 'schema' | 'platform' }[],
  skipped: readonly { migration: string; start: number }[] = [],
): Catalog {
  const skip = new Set(skipped.map((s) => `${s.migration}\u0000${s.start}`));
  const catalog = emptyCatalog();
  for (const m of migrations) {
    const state = newApplyState(m.id, { refuse: m.kind !== 'schema' });
    for (const stmt of parseSql(m.sql).statements) {
      if (!skip.has(`${m.id}\u0000${stmt.start}`)) applyStatement(catalog, stmt, state);
    }
  }
  return catalog;
}
