// Whether a statement needs no inverse of its own because dropping a table this migration creates undoes it too.
import { strs, walk } from '../parse/ast';
import type { InvertContext } from './types';

function qualified(names: string[], sp: readonly string[]): string {
  return names.length > 1 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `${sp[0] ?? 'public'}.${names[0]}`;
}

/** Calls a function created earlier in this migration (then it must be undone before that function is dropped). */
function callsCreatedFunction(ctx: InvertContext): boolean {
  if (!ctx.created.functions.size) return false;
  const created = new Set([...ctx.created.functions].map((sig) => sig.slice(0, sig.indexOf('('))));
  let found = false;
  walk(ctx.stmt.node, (kind, v) => {
    const names = kind === 'FuncCall' ? strs(v.funcname) : kind === 'CreateTrigStmt' ? strs(v.funcname) : [];
    if (names.length && created.has(qualified(names, ctx.state.searchPath))) found = true;
    return !found;
  });
  return found;
}

/**
 * The note to give a statement on `table` when `table` was created earlier in this migration (DROP TABLE takes its
 * columns, constraints, indexes, triggers and policies with it), unless the statement uses a function this migration
 * also created: the down drops that function before the table, so the dependent object must go first, explicitly.
 */
export function coveredByTable(ctx: InvertContext, table: string): string | undefined {
  if (!ctx.created.tables.has(table) || callsCreatedFunction(ctx)) return undefined;
  return `covered by dropping ${table}`;
}
