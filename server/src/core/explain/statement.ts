// What EXPLAIN needs to know about a statement before sending it: can it be planned, and how many $n parameters it has.
import { walk } from '../parse/ast';

/** Statement kinds EXPLAIN accepts (https://www.postgresql.org/docs/15/sql-explain.html). */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt', 'ExecuteStmt', 'DeclareCursorStmt']);

export function isExplainable(kind: string): boolean {
  return EXPLAINABLE.has(kind);
}

/** The highest $n referenced by the statement (0 when it has no parameters). */
export function paramCount(node: unknown): number {
  let max = 0;
  walk(node, (kind, value) => {
    if (kind === 'ParamRef' && typeof value.number === 'number') max = Math.max(max, value.number);
  });
  return max;
}

/** The first statement overlapping [start, end] (string offsets), e.g. the one on a line or under the cursor. */
export function statementAt<T extends { start: number; end: number }>(statements: readonly T[], start: number, end = start): T | undefined {
  return statements.find((s) => s.start <= end && s.end >= start);
}
