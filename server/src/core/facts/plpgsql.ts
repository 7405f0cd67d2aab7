// Routine bodies parsed: PL/pgSQL statements (libpg-query's parsePlPgSQL) and SQL bodies, with embedded SQL, tables and EXECUTEs placed in the file.
import { parsePlPgSQLSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { as, unwrap, walk } from '../parse/ast';
import { parseSql, scanTokens, tokensCovering, type Token } from '../parse/parse';
import { type BodyText, type TableRef, lineStartsOf, locate, placedTables, relocate } from './body-map';
import { wellFormed } from '../parse/offsets';
import { isBlank, plainWordEnd, skipBlanks } from '../parse/plain-text';

export { type BodyText, type TableRef, bodyText, plainBodyText } from './body-map';

export interface Range {
  start: number;
  end: number;
}

/** One piece of SQL inside a body: a statement, or an expression PL/pgSQL evaluates with a SELECT. */
export interface EmbeddedSql {
  /** The text as PL/pgSQL keeps it (INTO clauses blanked, PERFORM turned into SELECT). */
  text: string;
  kind: 'statement' | 'expression' | 'assignment';
  /** The PL/pgSQL statement holding it, e.g. `execsql`, `dynexecute`, `assign`, `declare`; `sql` in SQL-language bodies. */
  plStmt: string;
  /** Body-relative line (1 = the line where the body string starts); 0 when unknown. */
  lineno: number;
  /** File offset of `text[0]`, when the text was found in the body. */
  start?: number;
  /** The variable an assignment (or a DECLARE default) sets. */
  target?: string;
  /** The string an EXECUTE (or FOR/RETURN QUERY/OPEN … EXECUTE) runs as SQL. */
  dynamic: boolean;
  /** Parsed statements; every `location` is a file offset, or -1 when unknown. */
  statements: Node[];
  /** For expressions and assignments: the expression itself. */
  expr?: Node;
  tables: TableRef[];
}

export interface PlVariable {
  name: string;
  /** The type as PL/pgSQL reports it, e.g. `integer`, `users%rowtype`. */
  type: string;
  param: boolean;
  /** Declared in a DECLARE section or as a loop variable (false for parameters and implicit ones such as FOUND or TG_OP). */
  declared: boolean;
  /** Set by SELECT/EXECUTE … INTO or as a FOR loop's row variable: it holds data read from tables. */
  fromData: boolean;
}

/** A dynamic EXECUTE with the position of its EXECUTE keyword. */
export interface DynamicExecute {
  sql: EmbeddedSql;
  keyword?: Range;
  usingParams: number;
}

export interface RoutineBody {
  variables: PlVariable[];
  sql: EmbeddedSql[];
  executes: DynamicExecute[];
  /** Why (part of) the body could not be analysed. */
  problems: string[];
}

/**
 * assignmentSplit read from the text when the target is plain words joined by dots and blanks then `:=` follow (or
 * `=` and a character that cannot extend the operator); undefined when only the scanner can tell.
 */
export function plainAssignmentSplit(text: string): { target: string; exprAt: number } | undefined {
  let p = skipBlanks(text, 0);
  let end = plainWordEnd(text, p);
  while (end >= 0 && text[end] === '.') end = plainWordEnd(text, end + 1);
  if (end < 0) return undefined;
  p = skipBlanks(text, end);
  if (text.startsWith(':=', p)) return { target: text.slice(0, p).trim(), exprAt: p + 2 };
  if (text[p] === '=' && (isBlank(text[p + 1]) || /[A-Za-z0-9_(]/.test(text[p + 1] ?? ''))) return { target: text.slice(0, p).trim(), exprAt: p + 1 };
  return undefined;
}

/** The expression start of an assignment `target := expr` (or `=`): the first top-level := or = token. */
function assignmentSplit(text: string): { target: string; exprAt: number } | undefined {
  const plain = plainAssignmentSplit(text);
  if (plain) return plain;
  const toks = scanTokens(text);
  if (!toks) return undefined;
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0 && (t.text === ':=' || t.text === '=')) return { target: text.slice(0, t.start).trim(), exprAt: t.end };
  }
  return undefined;
}

interface RawExpr {
  query: string;
  parseMode: number;
  plStmt: string;
  field: string;
  lineno: number;
  target?: string;
}

const DYNAMIC = new Set(['dynexecute.query', 'dynfors.query', 'return_query.dynquery', 'open.dynquery']);

/** Collects every PLpgSQL_expr of a PL/pgSQL tree in source order, with its statement and line. */
function collectExprs(node: unknown, out: RawExpr[], stmt = 'block', lineno = 0, field = ''): void {
  if (Array.isArray(node)) return node.forEach((n) => collectExprs(n, out, stmt, lineno, field));
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const expr = obj.PLpgSQL_expr as { query?: string; parseMode?: number } | undefined;
  if (expr) {
    if (typeof expr.query === 'string') out.push({ query: expr.query, parseMode: expr.parseMode ?? 0, plStmt: stmt, field, lineno });
    return;
  }
  const entries = Object.entries(obj);
  // Expressions of a statement come before its nested statements in the source (IF cond before THEN, FOR query before LOOP).
  entries.sort(([, a], [, b]) => Number(Array.isArray(a)) - Number(Array.isArray(b)));
  for (const [key, value] of entries) {
    if (key.startsWith('PLpgSQL_stmt_') || key === 'PLpgSQL_case_when' || key === 'PLpgSQL_if_elsif') {
      const v = value as { lineno?: number };
      collectExprs(value, out, key.startsWith('PLpgSQL_stmt_') ? key.slice(13) : stmt, v.lineno ?? lineno, '');
    } else if (key === 'datums') {
      continue; // declarations are collected separately
    } else if (key.startsWith('PLpgSQL_')) {
      collectExprs(value, out, stmt, lineno, field);
    } else {
      collectExprs(value, out, stmt, lineno, key);
    }
  }
}

interface PlTree {
  datums?: Record<string, Record<string, unknown>>[];
  action?: unknown;
}

function variablesOf(tree: PlTree, params: string[], defaults: RawExpr[]): PlVariable[] {
  const vars: PlVariable[] = [];
  for (const d of tree.datums ?? []) {
    const v = d.PLpgSQL_var ?? d.PLpgSQL_rec;
    if (!v || typeof v.refname !== 'string') continue;
    const type = String((v.datatype as { PLpgSQL_type?: { typname?: string } } | undefined)?.PLpgSQL_type?.typname ?? '');
    const param = v.lineno === undefined && params.includes(v.refname);
    vars.push({ name: v.refname, type, param, declared: v.lineno !== undefined, fromData: false });
    const dflt = (v.default_val as { PLpgSQL_expr?: { query?: string; parseMode?: number } } | undefined)?.PLpgSQL_expr;
    if (dflt?.query !== undefined)
      defaults.push({ query: dflt.query, parseMode: 2, plStmt: 'declare', field: 'default_val', lineno: Number(v.lineno ?? 0), target: v.refname });
  }
  // Variables filled from query results: INTO targets and FOR loop rows.
  walk(tree.action, (kind, v) => {
    if (kind === 'PLpgSQL_stmt_fori') return;
    const targets: unknown[] = [];
    if (v.into === true) targets.push(v.target);
    if (/^PLpgSQL_stmt_(fors|dynfors|forc)$/.test(kind)) targets.push(v.var);
    for (const t of targets) {
      const u = unwrap(t);
      const names = u?.kind === 'PLpgSQL_row' ? ((u.value.fields as { name?: string }[]) ?? []).map((f) => f.name) : [u?.value.refname];
      for (const n of names) for (const pv of vars) if (pv.name === n) pv.fromData = true;
    }
  });
  return vars;
}

/** One embedded piece of SQL, found in the body and ready to parse: `text` is what the parser sees. */
interface Prepared {
  sql: EmbeddedSql;
  /** Maps an offset of `text` to the file (-1 when it cannot). */
  toFile(p: number): number;
  text?: string;
}

/** Places one embedded piece of SQL in the body and decides how to parse it. */
function prepare(raw: RawExpr, body: BodyText, lineStarts: number[], cursor: { line: number; at: number }): Prepared {
  const from = Math.max(raw.lineno > 0 ? (lineStarts[raw.lineno - 1] ?? 0) : 0, cursor.line === raw.lineno ? cursor.at : 0);
  const qmap = body.start === undefined ? undefined : locate(body.text, raw.query, from, raw.plStmt === 'perform');
  if (qmap) Object.assign(cursor, { line: raw.lineno, at: qmap(raw.query.length) });
  // parseMode 0 is a SQL statement; 2 an expression; 3 and 4 an assignment `target := expression`.
  let kind: EmbeddedSql['kind'] = raw.parseMode === 0 ? 'statement' : raw.parseMode >= 3 ? 'assignment' : 'expression';
  let target = raw.target;
  let exprAt = 0;
  if (kind === 'assignment') {
    const split = assignmentSplit(raw.query);
    if (split) ({ target, exprAt } = split);
    else kind = 'expression';
  }
  const dynamic = DYNAMIC.has(`${raw.plStmt}.${raw.field}`);
  const start = qmap ? body.toFile(qmap(exprAt)) : undefined;
  const sql: EmbeddedSql = { text: raw.query, kind, plStmt: raw.plStmt, lineno: raw.lineno, start, target, dynamic, statements: [], tables: [] };
  const prefix = kind === 'statement' ? '' : 'SELECT ';
  const toFile = (p: number): number => (qmap && p >= prefix.length ? body.toFile(qmap(p - prefix.length + exprAt)) : -1);
  // Most expressions (IF conditions, RAISE arguments, loop bounds) cannot name a table without a subquery: no need to parse them.
  if (kind === 'expression' && !dynamic && !target && !/\b(select|table|values)\b/i.test(raw.query)) return { sql, toFile };
  return { sql, toFile, text: prefix + raw.query.slice(exprAt) };
}

/**
 * Parses every prepared piece in one parseSql call (one WASM round trip instead of one per expression), separated by
 * `\n;\n` so that a trailing line comment cannot swallow the separator; a piece that fails to parse stays empty.
 */
function parseAll(pieces: Prepared[]): void {
  const segments: { piece: Prepared; at: number; end: number }[] = [];
  let combined = '';
  for (const piece of pieces) {
    if (piece.text === undefined) continue;
    segments.push({ piece, at: combined.length, end: combined.length + piece.text.length });
    combined += `${piece.text}\n;\n`;
  }
  if (!segments.length) return;
  const parsed = parseSql(combined);
  let i = 0;
  for (const seg of segments) {
    while (i < parsed.statements.length && parsed.statements[i].start < seg.at) i++;
    const statements: Node[] = [];
    for (; i < parsed.statements.length && parsed.statements[i].start < seg.end; i++) statements.push(parsed.statements[i].node);
    const toFile = (p: number) => seg.piece.toFile(p - seg.at);
    const { sql } = seg.piece;
    sql.tables = placedTables(statements, combined, () => tokensCovering(parsed, seg.at, seg.end), toFile);
    relocate(statements, toFile);
    sql.statements = statements;
    const sel = sql.kind === 'statement' ? undefined : as<{ targetList?: unknown[] }>(statements[0], 'SelectStmt');
    sql.expr = sel?.targetList?.length === 1 ? (as<{ val?: Node }>(sel.targetList[0], 'ResTarget')?.val ?? undefined) : undefined;
  }
}

/** Analyses a PL/pgSQL body: variables, embedded SQL and dynamic EXECUTEs. */
function analysePlpgsql(r: RoutineBody, statementText: string, params: string[], body: BodyText): void {
  let tree: PlTree | undefined;
  try {
    // libpg-query compiles the PL/pgSQL of a whole CREATE FUNCTION or DO statement; line numbers are relative to the body.
    const result = parsePlPgSQLSync(wellFormed(statementText)) as unknown as { plpgsql_funcs?: { PLpgSQL_function?: PlTree }[] };
    tree = result.plpgsql_funcs?.[0]?.PLpgSQL_function;
  } catch (error) {
    r.problems.push(`PL/pgSQL body does not compile: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (!tree) return;
  const raws: RawExpr[] = [];
  r.variables = variablesOf(tree, params, raws);
  collectExprs(tree.action, raws);
  const lineStarts = lineStartsOf(body.text);
  const cursor = { line: -1, at: 0 };
  const pieces = raws.map((raw) => prepare(raw, body, lineStarts, cursor));
  parseAll(pieces);
  r.sql = pieces.map((p) => p.sql);
  // The body is scanned (for EXECUTE keywords) only when it has dynamic SQL.
  const bodyTokens = body.start !== undefined && r.sql.some((q) => q.dynamic) ? scanTokens(body.text) : undefined;
  for (const sql of r.sql) {
    if (!sql.dynamic) continue;
    const stmt = findStmt(tree.action, sql.plStmt, sql.lineno);
    const lineStart = lineStarts[sql.lineno - 1] ?? 0;
    // The EXECUTE keyword: the last one between the statement's line start and the string it runs.
    const kws = (bodyTokens ?? []).filter((t) => t.start >= lineStart && /^execute$/i.test(t.text));
    const kw = sql.start === undefined ? kws[0] : kws.filter((t) => body.toFile(t.start) < sql.start!).pop();
    const keyword = kw ? { start: body.toFile(kw.start), end: body.toFile(kw.end - 1) + 1 } : undefined;
    r.executes.push({ sql, keyword, usingParams: Array.isArray(stmt?.params) ? stmt.params.length : 0 });
  }
}

function findStmt(action: unknown, plStmt: string, lineno: number): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  walk(action, (kind, v) => {
    if (!found && kind === `PLpgSQL_stmt_${plStmt}` && v.lineno === lineno) found = v;
  });
  return found;
}

/** Analyses a SQL-language body (a string, or a BEGIN ATOMIC / RETURN body already in the file's AST). */
function analyseSql(r: RoutineBody, body: BodyText | undefined, sqlBody: unknown, fileText: string, fileTokens: () => Token[]): void {
  if (sqlBody !== undefined) {
    // Already part of the file's own AST: its offsets are file offsets.
    for (const s of flattenLists(sqlBody))
      r.sql.push({
        text: '',
        kind: 'statement',
        plStmt: 'sql',
        lineno: 0,
        dynamic: false,
        statements: [s],
        tables: placedTables([s], fileText, fileTokens, (p) => p),
      });
    return;
  }
  if (!body) return;
  const parsed = parseSql(body.text);
  for (const e of parsed.errors) r.problems.push(`SQL body: ${e.message}`);
  const lineStarts = lineStartsOf(body.text);
  for (const s of parsed.statements) {
    const node = s.node;
    const tables = placedTables(
      [node],
      body.text,
      () => tokensCovering(parsed, s.start, s.end),
      (p) => body.toFile(p),
    );
    relocate(node, (p) => body.toFile(p));
    const lineno = lineStarts.filter((l) => l <= s.start).length;
    r.sql.push({
      text: s.text,
      kind: 'statement',
      plStmt: 'sql',
      lineno,
      start: body.start === undefined ? undefined : body.toFile(s.start),
      dynamic: false,
      statements: [node],
      tables,
    });
  }
}

/** BEGIN ATOMIC bodies nest statements in lists of lists. */
function flattenLists(node: unknown): Node[] {
  const u = unwrap(node);
  if (u?.kind === 'List') return ((u.value.items as unknown[]) ?? []).flatMap(flattenLists);
  return u ? [node as Node] : [];
}

export interface BodyInput {
  /** The whole CREATE FUNCTION or DO statement (libpg-query's PL/pgSQL parser wants it all). */
  statementText: string;
  language: string;
  /** IN parameter names, in order. */
  params: string[];
  /** The body string, when the routine has one. */
  body?: BodyText;
  /** A SQL-standard body (BEGIN ATOMIC … END or RETURN …) from the statement's AST. */
  sqlBody?: unknown;
  /** The file's text and its tokens around the statement (SQL-standard bodies are part of the file's own SQL). */
  fileText: string;
  fileTokens: () => Token[];
}

/** Parses a routine body (PL/pgSQL or SQL; other languages give an empty result). Never throws: failures become problems. */
export function analyseBody(input: BodyInput): RoutineBody {
  const r: RoutineBody = { variables: [], sql: [], executes: [], problems: [] };
  try {
    if (input.language === 'plpgsql' && input.body) analysePlpgsql(r, input.statementText, input.params, input.body);
    else if (input.language === 'sql') analyseSql(r, input.body, input.sqlBody, input.fileText, input.fileTokens);
  } catch (error) {
    r.problems.push(error instanceof Error ? error.message : String(error));
  }
  return r;
}
