// The static catalog of a list of migrations, applied in order: the same statements PGlite is built from.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { parseSql } from '../parse/parse';

export function catalogFromMigrations(migrations: readonly { id: string; sql: string }[]): Catalog {
  const catalog = emptyCatalog();
  for (const m of migrations) {
    const state = newApplyState(m.id);
    for (const stmt of parseSql(m.sql).statements) applyStatement(catalog, stmt, state);
  }
  return catalog;
}
