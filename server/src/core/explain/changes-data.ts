// Whether running a statement (as EXPLAIN ANALYZE does) writes anything, so the editor can ask before analysing it.
import { walk } from '../parse/ast';

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * True when the statement writes: INSERT/UPDATE/DELETE/MERGE anywhere in it (a data-modifying CTE counts), SELECT INTO,
 * CREATE TABLE AS, or EXECUTE of a prepared statement we cannot see. Functions a SELECT calls may write too; that is
 * not knowable from the text, which is why every ANALYZE runs in a transaction that is rolled back anyway.
 */
export function changesData(kind: string, node: unknown): boolean {
  if (kind === 'CreateTableAsStmt' || kind === 'ExecuteStmt' || WRITES.has(kind)) return true;
  let found = false;
  walk(node, (k, value) => {
    if (found) return false;
    if (WRITES.has(k) || (k === 'SelectStmt' && value.intoClause)) found = true;
    return undefined;
  });
  return found;
}
