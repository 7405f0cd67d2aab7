// The query levels of a whole file: each statement's search_path (SET search_path earlier in the file), and the
// per-file memo the rules share (one statementScopes per statement and analysis).
import { as, constValue, str } from '../parse/ast';
import { tokensCovering, type Statement } from '../parse/parse';
import { defineFact, type FactContext, type FileFacts } from './file-facts';
import { statementScopes, type StatementScopes } from './query-scopes';

/** The search_path in effect at each statement of the file: `SET search_path` applies to the statements after it. */
export function searchPaths(statements: readonly Statement[]): Map<Statement, string[]> {
  const out = new Map<Statement, string[]>();
  let path = ['public'];
  for (const s of statements) {
    out.set(s, path);
    // Check the kind first: reading `node` of every statement would undo the lazy AST shifting of an edit.
    if (s.kind !== 'VariableSetStmt') continue;
    const set = as<{ name?: string; kind?: string; args?: unknown[]; is_local?: boolean }>(s.node, 'VariableSetStmt');
    if (set?.name !== 'search_path' || set.is_local) continue;
    if (set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT') path = ['public'];
    if (set.kind !== 'VAR_SET_VALUE') continue;
    const names = (set.args ?? []).map((a) => constValue(a) ?? str(a)).filter((x): x is string => typeof x === 'string');
    const usable = names.map((n) => n.trim().replace(/^"|"$/g, '')).filter((n) => n && n !== '$user' && n !== 'pg_catalog' && n !== 'pg_temp');
    if (usable.length) path = usable;
  }
  return out;
}

/** The query levels of every statement the rules look at in this file. */
const scopeMemo = defineFact('query-scopes-memo', (ctx) => ({ paths: searchPaths(ctx.parsed.statements), byStatement: new Map<Statement, StatementScopes>() }));

/** The query levels of one statement, computed once per analysis and shared by the rules that ask. */
export function scopesFor(ctx: Pick<FactContext, 'catalog' | 'parsed'> & { facts: FileFacts }, stmt: Statement): StatementScopes {
  const memo = ctx.facts.get(scopeMemo);
  let scopes = memo.byStatement.get(stmt);
  if (!scopes) {
    scopes = statementScopes(stmt, ctx.catalog, () => tokensCovering(ctx.parsed, stmt.start, stmt.end), memo.paths.get(stmt));
    memo.byStatement.set(stmt, scopes);
  }
  return scopes;
}

export const queryScopes = defineFact('query-scopes', (ctx): Map<Statement, StatementScopes> => {
  const paths = searchPaths(ctx.parsed.statements);
  const out = new Map<Statement, StatementScopes>();
  for (const s of ctx.statements)
    out.set(
      s,
      statementScopes(s, ctx.catalog, () => tokensCovering(ctx.parsed, s.start, s.end), paths.get(s)),
    );
  return out;
});
