// The catalog a project's platform makes before its first migration (see platform.ts), as the catalog builder applies it.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { parseSql, type ParsedSql } from '../parse/parse';
import { platformFile, platformPrelude } from './platform';
import type { ProjectLayout } from './types';

const parses = new Map<string, ParsedSql>();

/**
 * A new catalog holding what the layout's platform makes (Supabase's auth.users, storage.objects, auth.uid()…), its
 * objects located in the platform's file (see platformFile); an empty catalog for every other layout. Needs the parser loaded.
 */
export function platformCatalog(layout: ProjectLayout | undefined): Catalog {
  const catalog = emptyCatalog();
  const prelude = layout && platformPrelude(layout);
  if (!prelude) return catalog;
  let parsed = parses.get(prelude.sql);
  if (!parsed) parses.set(prelude.sql, (parsed = parseSql(prelude.sql)));
  const state = newApplyState(platformFile(prelude.platform));
  for (const stmt of parsed.statements) applyStatement(catalog, stmt, state);
  return catalog;
}
