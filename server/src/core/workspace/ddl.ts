// Which statements can change the catalog, and a signature of them, so edits to queries never rebuild the catalog.
import { as } from '../parse/ast';
import type { ParsedSql, Statement } from '../parse/parse';
import type { SchemaSource } from '../projects';

/** Statement kinds that never change the schema catalog. */
const NON_DDL = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'ExplainStmt',
  'TransactionStmt',
  'CopyStmt',
  'VacuumStmt',
  'ClusterStmt',
  'NotifyStmt',
  'ListenStmt',
  'LockStmt',
  'CheckPointStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'CallStmt',
  'DoStmt',
]);

export function changesCatalog(kind: string): boolean {
  return !NON_DDL.has(kind);
}

/**
 * Statements a migration runs that change no schema object yet still reach the catalog (see catalog/build.ts): a DO block
 * (a guarded CREATE, or opaque), CLUSTER (the clustering index), INSERT … VALUES (a seeded reference table), and a
 * query or CALL that may call the project's own functions (their bodies run: opaque). Schema files never run them.
 */
function migrationEffect(s: Statement): boolean {
  switch (s.kind) {
    case 'DoStmt':
    case 'ClusterStmt':
      return true;
    case 'InsertStmt':
      return !!as<{ valuesLists?: unknown[] }>(as<{ selectStmt?: unknown }>(s.node, 'InsertStmt')?.selectStmt, 'SelectStmt')?.valuesLists?.length;
    case 'SelectStmt':
    case 'CallStmt':
      // No parenthesis, no function call (a cheap test that only ever says yes too often).
      return s.text.includes('(');
    default:
      return false;
  }
}

/** Whether the catalog build reacts to a statement a migration runs (its DDL, or one of the statements above). */
export function reachesCatalog(s: Statement): boolean {
  return changesCatalog(s.kind) || migrationEffect(s);
}

/**
 * The statements of a file that the catalog build reacts to, with their positions: equal signatures give equal catalogs
 * (catalog locations included). A migration's runs every statement (`migration`); a schema file's only its DDL.
 */
export function ddlSignature(parsed: ParsedSql, kind: SchemaSource['kind'] = 'schema'): string {
  const parts: string[] = [];
  for (const s of parsed.statements) if (kind === 'migration' ? reachesCatalog(s) : changesCatalog(s.kind)) parts.push(`${s.start}:${s.text}`);
  return parts.join('\u0000');
}
