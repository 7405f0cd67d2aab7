// Test helper: the catalog after some SQL, and the rollback of an up migration against it.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { parseSql } from '../parse/parse';
import { generateRollback, type GenerateOptions } from './generate';
import type { Rollback } from './types';

export function catalogOf(sql: string): Catalog {
  const catalog = emptyCatalog();
  const state = newApplyState('before.sql');
  for (const s of parseSql(sql).statements) applyStatement(catalog, s, state);
  return catalog;
}

export function rollbackOf(before: string, up: string, opts: GenerateOptions = {}): Rollback {
  return generateRollback(up, catalogOf(before), { header: false, ...opts });
}
