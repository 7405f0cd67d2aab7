// Which statements can change the catalog, and a signature of them, so edits to queries never rebuild the catalog.
import type { ParsedSql } from '../parse/parse';

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

/** The DDL statements of a file with their positions: equal signatures give equal catalogs (catalog locations included). */
export function ddlSignature(parsed: ParsedSql): string {
  const parts: string[] = [];
  for (const s of parsed.statements) if (changesCatalog(s.kind)) parts.push(`${s.start}:${s.text}`);
  return parts.join('\u0000');
}
