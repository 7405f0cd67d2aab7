// Parses SQL text with libpg-query into statements whose AST locations are string offsets into the text.
import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { ByteOffsetMap, utf8Length, wellFormed } from './offsets';
import { LazyParsedSql, tokensCovering } from './lazy-tokens';
import { codeStartIn, COMMENT_TOKENS, firstCodeTokenAtOrAfter, scanTokens, splitChunks, tokenIndexAt, type Chunk, type Token } from './tokens';

export type { Node };
export { scanTokens, tokenIndexAt, tokensCovering, type Chunk, type Token };

/** One top-level statement; every `location` inside `node` is an absolute string offset. */
export interface Statement {
  index: number;
  /** The statement wrapper, e.g. `{ SelectStmt: {...} }`. */
  node: Node;
  /** The wrapper's key, e.g. `SelectStmt`. */
  kind: string;
  /** String offsets of the statement text, without leading comments and the trailing semicolon. */
  start: number;
  end: number;
  text: string;
}

/** Adds `delta` to every numeric `location` in a tree (in place). */
export function shiftLocations(node: unknown, delta: number): void {
  if (Array.isArray(node)) {
    for (const item of node) shiftLocations(item, delta);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const key in obj) {
    const v = obj[key];
    if (key === 'location' && typeof v === 'number') {
      if (v >= 0) obj[key] = v + delta;
    } else if (v && typeof v === 'object') shiftLocations(v, delta);
  }
}

/**
 * A statement whose AST can be moved cheaply: `moveBy` shifts start/end at once and the AST's locations on the
 * next read of `node`, so an edit near the top of a large file does not walk every later statement's tree.
 */
export class ParsedStatement implements Statement {
  private pending = 0;

  constructor(
    public index: number,
    private raw: Node,
    public kind: string,
    public start: number,
    public end: number,
    public text: string,
  ) {}

  get node(): Node {
    if (this.pending !== 0) {
      shiftLocations(this.raw, this.pending);
      this.pending = 0;
    }
    return this.raw;
  }

  set node(value: Node) {
    this.raw = value;
    this.pending = 0;
  }

  moveBy(delta: number): void {
    this.start += delta;
    this.end += delta;
    this.pending += delta;
  }

  toJSON(): Statement {
    return { index: this.index, node: this.node, kind: this.kind, start: this.start, end: this.end, text: this.text };
  }
}

export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
  /**
   * Absent for a syntax error. `too-deep`: the statement parsed but nests deeper than pgdba analyses;
   * `parser-limit`: the parser itself gave up (out of stack or bison's depth), which says nothing about the syntax.
   */
  kind?: 'too-deep' | 'parser-limit';
}

/**
 * AST nesting (levels of the JSON tree) beyond which a statement is not analysed: rules, facts and the catalog walk
 * trees recursively, and past a few thousand levels they run out of stack. 1,000 levels is about 200 nested
 * subqueries or a 500-term chain of one operator; AND / OR chains and IN lists are flat and never come near it.
 */
export const MAX_AST_DEPTH = 1000;

class TooDeep extends Error {}

/** Did libpg-query give up rather than find a syntax error? Its wasm stack overflows (a JS RangeError) on very long
 * expressions, and bison stops at 10,000 stack entries ("memory exhausted", as PostgreSQL itself does). */
function parserGaveUp(error: unknown): string | undefined {
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message)
      ? 'libpg-query ran out of stack: the statement is too long or too deeply nested for it to parse'
      : `libpg-query could not handle it (${error.message})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/^memory exhausted|stack depth limit exceeded/i.test(message))
    return `the parser stopped (${message}): the statement nests too deeply; PostgreSQL itself refuses it too`;
  return undefined;
}

/** Where to put a finding about a whole statement: its first word (a giant statement is not underlined whole). */
function headOf(text: string, start: number, end: number): { start: number; end: number } {
  const word = /^[^\s(;]+/.exec(text.slice(start, Math.min(end, start + 64)))?.[0].length ?? 1;
  return { start, end: Math.min(end, start + word) };
}

/**
 * A psql meta-command (`\set`, `\connect`, `\i`…): from its backslash, outside quotes and comments, to the end of its
 * line. psql runs it itself and sends the server only the SQL around it; the server rejects it.
 */
export interface PsqlCommand {
  start: number;
  end: number;
  /** As written after the backslash, e.g. `set`, `connect`, `gset`. */
  name: string;
}

export interface ParsedSql {
  text: string;
  statements: Statement[];
  errors: SyntaxProblem[];
  /** psql meta-commands, left out of the statements (a file psql runs may hold them; see PsqlCommand). */
  psqlCommands?: PsqlCommand[];
  /** Every token, sorted. After a clean parse it is scanned on first use: near one statement, use `tokensCovering`. */
  tokens: Token[];
  /** Comment tokens only (SQL_COMMENT and C_COMMENT). */
  comments: Token[];
  /** Top-level chunks: string ranges that each end just after a top-level semicolon (the last may not). */
  chunks: Chunk[];
}

let ready: Promise<void> | undefined;
let loaded = false;

/** Loads the libpg-query WASM module; call once before parsing. */
export function initParser(): Promise<void> {
  ready ??= loadModule().then(() => {
    loaded = true;
  });
  return ready;
}

export function parserReady(): boolean {
  return loaded;
}

/** Rewrites every numeric `location` in the tree from a byte offset (relative to a chunk) to an absolute string offset. */
function relocate(node: unknown, offsets: ByteOffsetMap, chunkByteStart: number, base: number, depth = 0): void {
  if (depth > MAX_AST_DEPTH) throw new TooDeep();
  if (Array.isArray(node)) {
    for (const item of node) relocate(item, offsets, chunkByteStart, base, depth + 1);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  // for…in, not Object.keys: no array per node (this runs over every node of every parse).
  for (const key in obj) {
    const value = obj[key];
    if (key === 'location' && typeof value === 'number') {
      obj[key] = value < 0 ? -1 : base + offsets.toChar(chunkByteStart + value);
    } else if (value !== null && typeof value === 'object') {
      relocate(value, offsets, chunkByteStart, base, depth + 1);
    }
  }
}

interface RawStmt {
  stmt?: Node;
  stmt_location?: number;
  stmt_len?: number;
}

/** A parse of `text.slice(start, end)` with every offset absolute in `text`. */
export type RangeParse = Omit<ParsedSql, 'text'>;

function buildStatements(
  text: string,
  raw: RawStmt[],
  offsets: ByteOffsetMap,
  base: number,
  chunkByteEnd: number,
  codeStart: (start: number, end: number) => number,
  out: Statement[],
  problems: SyntaxProblem[],
): void {
  for (const r of raw) {
    if (!r.stmt) continue;
    const byteStart = r.stmt_location ?? 0;
    const byteEnd = r.stmt_len ? byteStart + r.stmt_len : chunkByteEnd;
    let start = base + offsets.toChar(byteStart);
    let end = base + offsets.toChar(byteEnd);
    start = codeStart(start, end);
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (text[end - 1] === ';') end--;
    try {
      relocate(r.stmt, offsets, 0, base);
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      // Left out of the statements, so no rule walks it; the rest of the file is analysed as usual.
      problems.push({
        kind: 'too-deep',
        message: `This statement is too deeply nested for analysis (over ${MAX_AST_DEPTH} levels): pgdba did not check it.`,
        ...headOf(text, start, end),
      });
      continue;
    }
    const kind = Object.keys(r.stmt)[0];
    out.push(new ParsedStatement(out.length, r.stmt, kind, start, end, text.slice(start, end)));
  }
}

/** Statement starts from the file's tokens: the first code token at or after the raw start. */
function startFromTokens(tokens: Token[]): (start: number, end: number) => number {
  return (start, end) => firstCodeTokenAtOrAfter(tokens, start, end)?.start ?? start;
}

function syntaxProblem(error: unknown, text: string, chunk: Chunk, chunkOffsets: ByteOffsetMap, tokens: Token[]): SyntaxProblem {
  const gaveUp = parserGaveUp(error);
  if (gaveUp) {
    const first = firstCodeTokenAtOrAfter(tokens, chunk.start, chunk.end);
    return {
      kind: 'parser-limit',
      message: `pgdba could not check this statement: ${gaveUp}. This is not a syntax error.`,
      ...(first ? { start: first.start, end: first.end } : headOf(text, chunk.start, chunk.end)),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  let at = chunk.end;
  if (hasSqlDetails(error) && error.sqlDetails && error.sqlDetails.cursorPosition >= 0) {
    at = chunk.start + chunkOffsets.toChar(error.sqlDetails.cursorPosition);
  }
  // Underline the token at the error position (or the last token of the chunk when the input ended early).
  const inChunk = tokens.slice(tokenIndexAt(tokens, chunk.start), tokenIndexAt(tokens, chunk.end));
  const tok = inChunk.find((t) => t.start <= at && at < t.end) ?? inChunk.find((t) => t.start >= at);
  if (tok) return { message, start: tok.start, end: tok.end };
  const last = inChunk.filter((t) => !COMMENT_TOKENS.has(t.name) && t.name !== 'ASCII_59').pop();
  if (last) return { message, start: last.start, end: last.end };
  return { message, start: Math.min(at, text.length), end: Math.min(at + 1, text.length) };
}

/** Meta-commands after which psql sends the query buffer, as a semicolon would (`SELECT … \gset`). */
const SENDS_BUFFER = /^(g|gx|gset|gexec|gdesc|crosstabview|watch)$/;

/** The psql meta-commands among the tokens: a backslash outside quotes and comments starts one, its line ends it. */
function psqlCommands(tokens: Token[], text: string, end: number): PsqlCommand[] {
  const out: PsqlCommand[] = [];
  for (const t of tokens) {
    if (t.text !== '\\' || (out.length && t.start < out[out.length - 1].end)) continue;
    const nl = text.indexOf('\n', t.start);
    const to = nl < 0 || nl > end ? end : nl;
    out.push({ start: t.start, end: to, name: /^\\([^\s\\]*)/.exec(text.slice(t.start, to))?.[1] ?? '' });
  }
  return out;
}

/** The text with each command blanked (its length kept), or a `;` in its place when it sends the query buffer. */
function maskCommands(text: string, commands: readonly PsqlCommand[]): string {
  let out = '';
  let at = 0;
  for (const c of commands) {
    out += text.slice(at, c.start) + (SENDS_BUFFER.test(c.name) ? ';' : ' ') + ' '.repeat(Math.max(0, c.end - c.start - 1));
    at = c.end;
  }
  return out + text.slice(at);
}

/**
 * Parses `text.slice(start, end)`; every offset in the result is absolute in `text`.
 * A syntax error becomes a problem at its position and the other statements are still parsed.
 * `failed` carries the error of a parse of the whole range already tried (by parseSql), so it is not parsed twice.
 */
export function parseRange(text: string, start: number, end: number, failed?: { error: unknown }): RangeParse & { scanFailed: boolean; closed: boolean } {
  if (!loaded) throw new Error('pgdba: initParser() must complete before parsing');
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const offsets = new ByteOffsetMap(slice);
  const scanned = scanTokens(slice, offsets, start);
  const tokens = scanned ?? [];
  const comments = tokens.filter((t) => COMMENT_TOKENS.has(t.name));
  const { chunks, closed } = splitChunks(tokens, start, end, text);
  const statements: Statement[] = [];
  const errors: SyntaxProblem[] = [];
  // Only comments and semicolons (an empty migration): nothing to parse, and libpg-query would call it an error.
  const onlyNoise = (from: number, to: number) =>
    tokens.slice(tokenIndexAt(tokens, from), tokenIndexAt(tokens, to)).every((t) => COMMENT_TOKENS.has(t.name) || t.name === 'ASCII_59');
  if (scanned && onlyNoise(start, end)) return { statements, errors, tokens, comments, chunks, scanFailed: false, closed };
  try {
    if (failed) throw failed.error;
    const result = parseSync(wellFormed(slice)) as { stmts?: RawStmt[] };
    buildStatements(text, result.stmts ?? [], offsets, start, utf8Length(slice), startFromTokens(tokens), statements, errors);
    return { statements, errors, tokens, comments, chunks, scanFailed: scanned === undefined, closed };
  } catch (wholeError) {
    if (tokens.length === 0) {
      errors.push(syntaxProblem(wholeError, text, { start, end }, offsets, tokens));
      return { statements, errors, tokens, comments, chunks: [{ start, end }], scanFailed: scanned === undefined, closed: false };
    }
  }
  // psql meta-commands: psql runs them and sends the server the SQL around them, so that is what is parsed.
  const commands = psqlCommands(tokens, text, end);
  if (commands.length) return { ...parseRange(maskCommands(text, commands), start, end), psqlCommands: commands };
  // Slow path: parse each top-level chunk on its own so one bad statement does not hide the rest.
  for (const chunk of chunks) {
    if (onlyNoise(chunk.start, chunk.end)) continue;
    const chunkText = text.slice(chunk.start, chunk.end);
    const chunkOffsets = new ByteOffsetMap(chunkText);
    try {
      const result = parseSync(wellFormed(chunkText)) as { stmts?: RawStmt[] };
      buildStatements(text, result.stmts ?? [], chunkOffsets, chunk.start, utf8Length(chunkText), startFromTokens(tokens), statements, errors);
    } catch (error) {
      errors.push(syntaxProblem(error, text, chunk, chunkOffsets, tokens));
    }
  }
  return { statements, errors, tokens, comments, chunks, scanFailed: false, closed };
}

/** Parses SQL text. A syntax error becomes a problem at its position and the other statements are still parsed. */
export function parseSql(text: string): ParsedSql {
  if (!loaded) throw new Error('pgdba: initParser() must complete before parsing');
  let failed: { error: unknown };
  // Fast path: the whole file parses; statement starts need no tokens, so the scan waits until someone asks.
  try {
    const result = parseSync(wellFormed(text)) as { stmts?: RawStmt[] };
    const statements: Statement[] = [];
    const problems: SyntaxProblem[] = [];
    buildStatements(text, result.stmts ?? [], new ByteOffsetMap(text), 0, utf8Length(text), (s, e) => codeStartIn(text, s, e), statements, problems);
    return new LazyParsedSql(text, statements, problems);
  } catch (error) {
    failed = { error };
  }
  const r = parseRange(text, 0, text.length, failed);
  const parsed: ParsedSql = { text, statements: r.statements, errors: r.errors, tokens: r.tokens, comments: r.comments, chunks: r.chunks };
  if (r.psqlCommands) parsed.psqlCommands = r.psqlCommands;
  return parsed;
}
