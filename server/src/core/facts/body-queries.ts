// The queries a function or procedure body runs (SQL and PL/pgSQL statements, RETURN QUERY, PERFORM, EXECUTE of a literal or format() string), as statements placed in the file, with the routine's parameters and variables read as the caller's values.
import type { Catalog } from '../catalog/types';
import { resolveTable } from '../catalog/build';
import { as, constValue, locationOf, str, strs, unwrap, walk } from '../parse/ast';
import { parseSql, scanTokens, tokensCovering, type Statement, type Token } from '../parse/parse';
import { defineFact, type FileFacts } from './file-facts';
import { once } from './lazy';
import { relocate } from './body-map';
import type { EmbeddedSql, RoutineBody } from './plpgsql';
import { statementScopes, type StatementScopes } from './query-scopes';
import { bodyOf, routineOf, type Routine } from './routines';

export interface BodyQuery {
  /** The query as a statement of its own: `node` locations and `start`/`end` are file offsets (-1 when unknown). */
  statement: Statement;
  scopes: StatementScopes;
  /** Its rows are the routine's result: RETURN QUERY, or a SELECT of a SQL function that returns a set. */
  returnsRows: boolean;
  /** Run by EXECUTE. */
  dynamic: boolean;
}

export interface RoutineQueries {
  routine: Routine;
  queries: BodyQuery[];
}

/** `format()` placeholders that stand for a value (`%L` quotes a literal; `%s` in a value position): a parameter of the same width keeps offsets. */
const VALUE_PLACEHOLDER = /%[Ls]/g;

/** The SQL an EXECUTE runs when it is written in the body: a string literal, or format() of a literal with only value placeholders. */
function executedText(expr: unknown): { text: string; at: number } | undefined {
  const lit = constValue(expr);
  if (typeof lit === 'string') return { text: lit, at: locationOf(expr) };
  const call = as<{ funcname?: unknown; args?: unknown[] }>(expr, 'FuncCall');
  if (!call || strs(call.funcname).pop() !== 'format') return undefined;
  const fmt = constValue(call.args?.[0]);
  if (typeof fmt !== 'string') return undefined;
  const rest = fmt.replace(/%%/g, '  ').replace(VALUE_PLACEHOLDER, '');
  if (rest.includes('%')) return undefined; // %I names a table or column we cannot know
  return { text: fmt.replace(VALUE_PLACEHOLDER, '$9'), at: locationOf(call.args?.[0]) };
}

/** Maps offsets of a literal's value to the file: exact for dollar quotes and for single quotes without '' escapes. */
function literalMap(fileText: string, at: number, value: string): (p: number) => number {
  if (at < 0) return () => -1;
  const dollar = /^\$[A-Za-z_0-9]*\$/.exec(fileText.slice(at, at + 64));
  if (dollar) return (p) => at + dollar[0].length + p;
  if (fileText[at] === "'" && !value.includes("'") && !value.includes('\\')) return (p) => at + 1 + p;
  return () => -1;
}

/**
 * Replaces column references that name a routine parameter or PL/pgSQL variable with parameters (`$0`): they hold the
 * caller's value (one value per call). A name that is also a column of a table the query names is the column (SQL
 * functions resolve columns first; PL/pgSQL rejects the ambiguity by default).
 */
function bindVariables(
  node: unknown,
  names: ReadonlySet<string>,
  fnName: string | undefined,
  columns: ReadonlySet<string>,
  relNames: ReadonlySet<string>,
): void {
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const obj = n as Record<string, unknown>;
    const ref = obj.ColumnRef as { fields?: unknown[]; location?: number } | undefined;
    if (ref) {
      const parts = (ref.fields ?? []).map((f) => str(f));
      const bound =
        (parts.length === 1 && names.has(parts[0] ?? '') && !columns.has(parts[0] ?? '')) ||
        (parts.length === 2 && !relNames.has(parts[0] ?? '') && (parts[0] === fnName || names.has(parts[0] ?? '')));
      if (bound) {
        delete obj.ColumnRef;
        obj.ParamRef = { number: 0, location: ref.location ?? -1 };
      }
      return;
    }
    for (const v of Object.values(obj)) visit(v);
  };
  visit(node);
}

/** Column names of the tables a query names, and the names (and aliases) it gives its relations. */
function namesInQuery(node: unknown, catalog: Catalog, searchPath: string[]): { columns: Set<string>; relNames: Set<string> } {
  const columns = new Set<string>();
  const relNames = new Set<string>();
  const add = (rv: Record<string, unknown>) => {
    const name = typeof rv.relname === 'string' ? rv.relname : undefined;
    if (!name) return;
    relNames.add(name);
    const alias = (rv.alias as { aliasname?: string } | undefined)?.aliasname;
    if (alias) relNames.add(alias);
    for (const c of resolveTable(catalog, (rv.schemaname as string | undefined) || undefined, name, searchPath)?.columns.keys() ?? []) columns.add(c);
  };
  walk(node, (kind, v) => {
    if (kind === 'RangeVar') add(v);
    if (/^(Insert|Update|Delete|Merge)Stmt$/.test(kind) && v.relation) add(v.relation as Record<string, unknown>);
    if (kind === 'RangeSubselect' || kind === 'RangeFunction') {
      const alias = (v.alias as { aliasname?: string } | undefined)?.aliasname;
      if (alias) relNames.add(alias);
    }
  });
  return { columns, relNames };
}

function tokensOf(text: string, map: (p: number) => number): Token[] {
  return (scanTokens(text) ?? []).map((t) => ({ ...t, start: map(t.start), end: map(t.end - 1) + 1 })).filter((t) => t.start >= 0);
}

function returnsSet(r: Routine): boolean {
  return /^setof\b/i.test(r.returns ?? '') || /\btable\b/i.test(r.returns ?? '');
}

/** Per-analysis memo: three rules ask about the same routine. */
const memoFact = defineFact('routine-queries-memo', () => new Map<Statement, RoutineQueries | undefined>());

/** The queries of one routine statement (CREATE FUNCTION / PROCEDURE / DO), or undefined for other statements and languages. */
export function routineQueries(ctx: { facts: FileFacts; catalog: Catalog }, stmt: Statement): RoutineQueries | undefined {
  if (stmt.kind !== 'CreateFunctionStmt' && stmt.kind !== 'DoStmt') return undefined;
  const memo = ctx.facts.get(memoFact);
  if (!memo.has(stmt)) memo.set(stmt, compute(ctx, stmt));
  return memo.get(stmt);
}

function compute(ctx: { facts: FileFacts; catalog: Catalog }, stmt: Statement): RoutineQueries | undefined {
  const routine = routineOf(ctx.facts, stmt);
  if (!routine || (routine.language !== 'sql' && routine.language !== 'plpgsql')) return undefined;
  const body: RoutineBody = bodyOf(ctx.facts, routine);
  const fileText = ctx.facts.ctx.parsed.text;
  const names = new Set([...routine.params.filter(Boolean), ...body.variables.map((v) => v.name)]);
  const searchPath = routine.definition?.searchPath?.filter((p) => p && p !== 'pg_catalog' && p !== 'pg_temp' && p !== '$user') ?? [
    routine.name?.schema ?? 'public',
    'public',
  ];
  // Scanned only when a rule reads a relation's range (most queries are never reported): scanning costs more than parsing.
  const source = routine.body;
  const queryTokens =
    source?.start !== undefined ? once(() => tokensOf(source.text, (p) => source.toFile(p))) : () => tokensCovering(ctx.facts.ctx.parsed, stmt.start, stmt.end);
  const queries: BodyQuery[] = [];
  const add = (node: unknown, start: number, text: string, tokens: () => Token[], q: EmbeddedSql, dynamic: boolean) => {
    const u = unwrap(node);
    if (!u) return;
    const copy = structuredClone(node) as Statement['node'];
    const { columns, relNames } = namesInQuery(copy, ctx.catalog, searchPath);
    bindVariables(copy, names, routine.name?.name, columns, relNames);
    const s: Statement = {
      index: stmt.index,
      node: copy,
      kind: u.kind,
      start: start >= 0 ? start : stmt.start,
      end: start >= 0 ? start + text.length : stmt.end,
      text,
    };
    const returnsRows = q.plStmt === 'return_query' || (routine.language === 'sql' && returnsSet(routine));
    queries.push({ statement: s, scopes: statementScopes(s, ctx.catalog, tokens, searchPath), returnsRows, dynamic });
  };
  for (const q of body.sql) {
    if (q.dynamic) {
      const exec = q.expr ? executedText(q.expr) : undefined;
      if (!exec) continue;
      const map = literalMap(fileText, exec.at, exec.text);
      for (const s of parseSql(exec.text).statements) {
        relocate(s.node, map);
        add(
          s.node,
          map(s.start),
          s.text,
          once(() => tokensOf(exec.text, map)),
          q,
          true,
        );
      }
      continue;
    }
    for (const node of q.statements) add(node, q.start ?? -1, q.text, queryTokens, q, false);
  }
  return { routine, queries };
}
