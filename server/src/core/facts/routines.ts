// Functions, procedures and DO blocks of a file: their headers (name, language, SECURITY DEFINER, SET search_path), catalog state, and lazily parsed bodies.
import type { CreateFunctionStmt, FunctionParameter, VariableSetStmt } from '@pgsql/types';
import type { FunctionDef } from '../catalog/types';
import { as, defElems, listName, str, strs, typeNameText, type QName } from '../parse/ast';
import { tokenIndexAt, tokensCovering, type Statement, type Token } from '../parse/parse';
import { defineFact, type FileFacts } from './file-facts';
import { lazyField, once } from './lazy';
import { analyseBody, bodyText, plainBodyText, type BodyText, type Range, type RoutineBody } from './plpgsql';

export interface Routine {
  statement: Statement;
  kind: 'function' | 'procedure' | 'do';
  name?: QName;
  /** The routine's name in the CREATE statement (the DO keyword for DO blocks). */
  nameRange: Range;
  argTypes: string[];
  /** IN parameter names, in order (unnamed ones are empty strings). */
  params: string[];
  language: string;
  /** SECURITY DEFINER as written in this statement. */
  securityDefiner: boolean;
  /** The SET search_path clause of this statement, with its range (from the SET keyword). */
  searchPathClause?: Range & { set: VariableSetStmt };
  /** Where a new routine option can be inserted: the AS keyword, or the start of a SQL-standard body. */
  optionInsertAt: number;
  /** The catalog's final state of the function, when this statement is what defines it. */
  definition?: FunctionDef;
  /** The body string (absent for C functions and SQL-standard bodies). */
  body?: BodyText;
  /** A SQL-standard body: BEGIN ATOMIC … END or RETURN …. */
  sqlBody?: unknown;
  /** The return type as written (e.g. `trigger`, `setof app.users`). */
  returns?: string;
}

/** `ALTER FUNCTION … SECURITY DEFINER` in this file that made catalog functions definer. */
export interface DefinerAlter {
  statement: Statement;
  nameRange: Range;
  searchPathClause?: Range & { set: VariableSetStmt };
  definitions: FunctionDef[];
}

export interface FileRoutines {
  routines: Routine[];
  alters: DefinerAlter[];
}

const COMMENTS = new Set(['SQL_COMMENT', 'C_COMMENT']);

function codeTokens(tokens: Token[], start: number, end: number): Token[] {
  const out: Token[] = [];
  for (let i = tokenIndexAt(tokens, start); i < tokens.length && tokens[i].start < end; i++) if (!COMMENTS.has(tokens[i].name)) out.push(tokens[i]);
  return out;
}

/** The (possibly qualified) name after the FUNCTION/PROCEDURE/ROUTINE keyword. */
function nameAfterKeyword(toks: Token[], fallback: Range): Range {
  const k = toks.findIndex((t) => /^(function|procedure|routine)$/i.test(t.text));
  if (k < 0 || !toks[k + 1]) return fallback;
  let j = k + 1;
  while (toks[j + 2] && toks[j + 1].text === '.') j += 2;
  return { start: toks[k + 1].start, end: toks[j].end };
}

/** The range of a `SET search_path …` option starting at its SET keyword. */
function setClauseRange(toks: Token[], at: number): Range | undefined {
  let i = toks.findIndex((t) => t.start === at);
  if (i < 0 || !toks[i + 2]) return undefined;
  i += 2; // SET search_path
  if (/^from$/i.test(toks[i].text)) return { start: at, end: (toks[i + 1] ?? toks[i]).end };
  if (toks[i + 1]) i++; // TO or =
  while (toks[i + 2] && toks[i + 1].text === ',') i += 2;
  return { start: at, end: toks[i].end };
}

function searchPathClause(options: unknown[] | undefined, toks: Token[]): (Range & { set: VariableSetStmt }) | undefined {
  for (const o of options ?? []) {
    const d = as<{ defname?: string; arg?: unknown; location?: number }>(o, 'DefElem');
    const set = d?.defname === 'set' ? as<VariableSetStmt>(d.arg, 'VariableSetStmt') : undefined;
    if (set?.name !== 'search_path' || typeof d?.location !== 'number') continue;
    const r = setClauseRange(toks, d.location);
    if (r) return { ...r, set };
  }
  return undefined;
}

function inParams(params: unknown[] | undefined): { names: string[]; types: string[] } {
  const ins = (params ?? [])
    .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
    .filter((p): p is FunctionParameter => !!p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
  return { names: ins.map((p) => p.name ?? ''), types: ins.map((p) => typeNameText(p.argType)) };
}

/** The catalog functions this file defines (by statement start) and the ones an ALTER here made SECURITY DEFINER. */
const definitionsFact = defineFact('routine-definitions', (ctx) => {
  const created = new Map<number, FunctionDef>();
  const altered = new Map<number, FunctionDef[]>();
  for (const list of ctx.catalog.functions.values()) {
    for (const f of list) {
      if (f.loc.file === ctx.file.path) created.set(f.loc.start, f);
      if (f.definerSetAt?.file === ctx.file.path && f.securityDefiner) altered.set(f.definerSetAt.start, [...(altered.get(f.definerSetAt.start) ?? []), f]);
    }
  }
  return { created, altered };
});

/** Per-analysis memo, so rules asking about the same statement share one parse of its body. */
const memoFact = defineFact('routine-memo', () => ({ routines: new Map<Statement, Routine | undefined>(), bodies: new Map<Routine, RoutineBody>() }));

function headerOf(facts: FileFacts, stmt: Statement): Routine | undefined {
  const fn = as<CreateFunctionStmt>(stmt.node, 'CreateFunctionStmt');
  const d = as<{ args?: unknown[] }>(stmt.node, 'DoStmt');
  if (!fn && !d) return undefined;
  // The fields found from tokens are computed when first read: most rules stop at the header flags.
  const toks = once(() => codeTokens(tokensCovering(facts.ctx.parsed, stmt.start, stmt.end), stmt.start, stmt.end));
  const first = () => {
    const t = toks()[0];
    return t ? { start: t.start, end: t.end } : { start: stmt.start, end: stmt.start + 1 };
  };
  const options = fn ? fn.options : d?.args;
  const opts = defElems(options);
  const asDef = (options ?? []).map((o) => as<{ defname?: string; location?: number }>(o, 'DefElem')).find((o) => o?.defname === 'as');
  const asItems = fn ? strs(as<{ items?: unknown[] }>(opts.get('as'), 'List')?.items) : [str(opts.get('as')) ?? ''];
  const { names, types } = inParams(fn?.parameters);
  const sqlBodyAt = () =>
    fn?.sql_body ? toks().find((t, i, all) => (/^begin$/i.test(t.text) && /^atomic$/i.test(all[i + 1]?.text ?? '')) || /^return$/i.test(t.text)) : undefined;
  const routine: Routine = {
    statement: stmt,
    kind: fn ? (fn.is_procedure ? 'procedure' : 'function') : 'do',
    name: fn ? listName(fn.funcname) : undefined,
    nameRange: { start: stmt.start, end: stmt.start + 1 },
    argTypes: types,
    params: names,
    language: (str(opts.get('language')) ?? (fn ? 'sql' : 'plpgsql')).toLowerCase(),
    securityDefiner: as<{ boolval?: boolean }>(opts.get('security'), 'Boolean')?.boolval === true,
    searchPathClause: undefined,
    optionInsertAt: stmt.end,
    definition: facts.get(definitionsFact).created.get(stmt.start),
    body: undefined,
    sqlBody: fn?.sql_body,
    returns: fn?.returnType ? typeNameText(fn.returnType) : undefined,
  };
  // Placeholders above: these replace them.
  lazyField(routine, 'nameRange', () => (fn ? nameAfterKeyword(toks(), first()) : first()));
  lazyField(routine, 'searchPathClause', () => (fn ? searchPathClause(fn.options, toks()) : undefined));
  lazyField(routine, 'optionInsertAt', () => asDef?.location ?? sqlBodyAt()?.start ?? stmt.end);
  // Two AS items mean a C function (object file, link symbol): there is no body to analyse.
  lazyField(routine, 'body', () => {
    if (asItems.length !== 1 || !asDef) return undefined;
    const at = asDef.location ?? stmt.start;
    return plainBodyText(asItems[0], facts.ctx.parsed.text, at) ?? bodyText(asItems[0], toks(), at);
  });
  return routine;
}

/** The routine a CREATE FUNCTION / CREATE PROCEDURE / DO statement creates (its body is parsed on demand by `bodyOf`). */
/** A trigger function, which cannot be called directly ("trigger functions can only be called as triggers"). */
export function isTriggerFunction(def: FunctionDef): boolean {
  return def.returns === 'trigger' || def.returns === 'event_trigger';
}

export function routineOf(facts: FileFacts, stmt: Statement): Routine | undefined {
  const memo = facts.get(memoFact).routines;
  if (!memo.has(stmt)) memo.set(stmt, headerOf(facts, stmt));
  return memo.get(stmt);
}

/** The parsed body of a routine: variables, embedded SQL with the tables it touches, dynamic EXECUTEs. */
export function bodyOf(facts: FileFacts, r: Routine): RoutineBody {
  const memo = facts.get(memoFact).bodies;
  let b = memo.get(r);
  if (!b) {
    b = analyseBody({
      statementText: r.statement.text,
      language: r.language,
      params: r.params,
      body: r.body,
      sqlBody: r.sqlBody,
      fileText: facts.ctx.parsed.text,
      fileTokens: () => tokensCovering(facts.ctx.parsed, r.statement.start, r.statement.end),
    });
    memo.set(r, b);
  }
  return b;
}

/** An `ALTER FUNCTION … SECURITY DEFINER` statement that made catalog functions definer (and they still are). */
export function definerAlterOf(facts: FileFacts, stmt: Statement): DefinerAlter | undefined {
  const definitions = stmt.kind === 'AlterFunctionStmt' ? facts.get(definitionsFact).altered.get(stmt.start) : undefined;
  if (!definitions) return undefined;
  const toks = codeTokens(tokensCovering(facts.ctx.parsed, stmt.start, stmt.end), stmt.start, stmt.end);
  const actions = (stmt.node as { AlterFunctionStmt?: { actions?: unknown[] } }).AlterFunctionStmt?.actions;
  return {
    statement: stmt,
    nameRange: nameAfterKeyword(toks, { start: stmt.start, end: stmt.start + 5 }),
    searchPathClause: searchPathClause(actions, toks),
    definitions,
  };
}

/** Every routine the file's statements create, and the ALTERs that made functions SECURITY DEFINER. */
export const routinesFact = defineFact<FileRoutines>('routines', (ctx, facts) => {
  const routines: Routine[] = [];
  const alters: DefinerAlter[] = [];
  for (const stmt of ctx.statements) {
    if (stmt.kind !== 'CreateFunctionStmt' && stmt.kind !== 'DoStmt' && stmt.kind !== 'AlterFunctionStmt') continue;
    const r = routineOf(facts, stmt);
    if (r) routines.push(r);
    const a = definerAlterOf(facts, stmt);
    if (a) alters.push(a);
  }
  return { routines, alters };
});
