// Parses SQL text with libpg-query into statements whose AST locations are string offsets into the text.
import { loadModule, parseSync, scanSync, hasSqlDetails } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { ByteOffsetMap, utf8Length } from './offsets';

export type { Node };

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
}

export interface Token {
  start: number;
  end: number;
  text: string;
  /** libpg-query token name, e.g. IDENT, SCONST, SQL_COMMENT, C_COMMENT, ASCII_59. */
  name: string;
  keyword: string;
}

export interface ParsedSql {
  text: string;
  statements: Statement[];
  errors: SyntaxProblem[];
  tokens: Token[];
  /** Comment tokens only (SQL_COMMENT and C_COMMENT). */
  comments: Token[];
  /** Top-level chunks: string ranges that each end just after a top-level semicolon (the last may not). */
  chunks: Chunk[];
}

export interface Chunk {
  start: number;
  end: number;
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

const COMMENT_TOKENS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/** Scans text into tokens with string offsets; returns undefined when the scanner itself fails. */
export function scanTokens(text: string, offsets = new ByteOffsetMap(text), base = 0): Token[] | undefined {
  if (text.trim() === '') return [];
  try {
    return scanSync(text).tokens.map((t) => ({
      start: base + offsets.toChar(t.start),
      end: base + offsets.toChar(t.end),
      text: t.text,
      name: t.tokenName === 'UNKNOWN' && t.keywordName !== 'NO_KEYWORD' ? 'KEYWORD' : t.tokenName,
      keyword: t.keywordName,
    }));
  } catch {
    return undefined;
  }
}

/** Rewrites every numeric `location` in the tree from a byte offset (relative to a chunk) to an absolute string offset. */
function relocate(node: unknown, offsets: ByteOffsetMap, chunkByteStart: number, base: number): void {
  if (Array.isArray(node)) {
    for (const item of node) relocate(item, offsets, chunkByteStart, base);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (key === 'location' && typeof value === 'number') {
      obj[key] = value < 0 ? -1 : base + offsets.toChar(chunkByteStart + value);
    } else if (value !== null && typeof value === 'object') {
      relocate(value, offsets, chunkByteStart, base);
    }
  }
}

/** Index of the first token starting at or after `offset` (binary search; tokens are sorted). */
export function tokenIndexAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstCodeTokenAtOrAfter(tokens: Token[], from: number, before: number): Token | undefined {
  for (let i = tokenIndexAt(tokens, from); i < tokens.length; i++) {
    const t = tokens[i];
    if (t.start >= before) return undefined;
    if (!COMMENT_TOKENS.has(t.name)) return t;
  }
  return undefined;
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
  chunkByteStart: number,
  chunkByteEnd: number,
  tokens: Token[],
  out: Statement[],
): void {
  for (const r of raw) {
    if (!r.stmt) continue;
    const byteStart = chunkByteStart + (r.stmt_location ?? 0);
    const byteEnd = r.stmt_len ? byteStart + r.stmt_len : chunkByteEnd;
    let start = base + offsets.toChar(byteStart);
    let end = base + offsets.toChar(byteEnd);
    const first = firstCodeTokenAtOrAfter(tokens, start, end);
    if (first) start = first.start;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (text[end - 1] === ';') end--;
    relocate(r.stmt, offsets, chunkByteStart, base);
    const kind = Object.keys(r.stmt)[0];
    out.push(new ParsedStatement(out.length, r.stmt, kind, start, end, text.slice(start, end)));
  }
}

/** Splits a token range at top-level semicolons (outside parentheses and BEGIN ATOMIC bodies). */
function splitChunks(tokens: Token[], start: number, end: number, text: string): { chunks: Chunk[]; closed: boolean } {
  const chunks: Chunk[] = [];
  let depth = 0;
  let atomic = 0;
  let from = start;
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (prev && prev.text.toLowerCase() === 'begin' && t.text.toLowerCase() === 'atomic') atomic++;
    else if (atomic > 0 && t.text.toLowerCase() === 'end' && depth === 0) atomic--;
    else if (t.name === 'ASCII_59' && depth === 0 && atomic === 0) {
      chunks.push({ start: from, end: t.end });
      from = t.end;
    }
    if (!COMMENT_TOKENS.has(t.name)) prev = t;
  }
  // `closed`: the range ends right after a top-level semicolon, so the text after it parses independently.
  const closed = from === end;
  if (from < end && text.slice(from, end).trim()) chunks.push({ start: from, end });
  return { chunks, closed };
}

function syntaxProblem(error: unknown, text: string, chunk: Chunk, chunkOffsets: ByteOffsetMap, tokens: Token[]): SyntaxProblem {
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

/**
 * Parses `text.slice(start, end)`; every offset in the result is absolute in `text`.
 * A syntax error becomes a problem at its position and the other statements are still parsed.
 */
export function parseRange(text: string, start: number, end: number): RangeParse & { scanFailed: boolean; closed: boolean } {
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
  const onlyNoise = (from: number, to: number) => tokens.slice(tokenIndexAt(tokens, from), tokenIndexAt(tokens, to)).every((t) => COMMENT_TOKENS.has(t.name) || t.name === 'ASCII_59');
  if (scanned && onlyNoise(start, end)) return { statements, errors, tokens, comments, chunks, scanFailed: false, closed };
  try {
    const result = parseSync(slice) as { stmts?: RawStmt[] };
    buildStatements(text, result.stmts ?? [], offsets, start, 0, utf8Length(slice), tokens, statements);
    return { statements, errors, tokens, comments, chunks, scanFailed: scanned === undefined, closed };
  } catch (wholeError) {
    if (tokens.length === 0) {
      errors.push(syntaxProblem(wholeError, text, { start, end }, offsets, tokens));
      return { statements, errors, tokens, comments, chunks: [{ start, end }], scanFailed: scanned === undefined, closed: false };
    }
  }
  // Slow path: parse each top-level chunk on its own so one bad statement does not hide the rest.
  for (const chunk of chunks) {
    if (onlyNoise(chunk.start, chunk.end)) continue;
    const chunkText = text.slice(chunk.start, chunk.end);
    const chunkOffsets = new ByteOffsetMap(chunkText);
    try {
      const result = parseSync(chunkText) as { stmts?: RawStmt[] };
      buildStatements(text, result.stmts ?? [], chunkOffsets, chunk.start, 0, utf8Length(chunkText), tokens, statements);
    } catch (error) {
      errors.push(syntaxProblem(error, text, chunk, chunkOffsets, tokens));
    }
  }
  return { statements, errors, tokens, comments, chunks, scanFailed: false, closed };
}

/** Parses SQL text. A syntax error becomes a problem at its position and the other statements are still parsed. */
export function parseSql(text: string): ParsedSql {
  const r = parseRange(text, 0, text.length);
  return { text, statements: r.statements, errors: r.errors, tokens: r.tokens, comments: r.comments, chunks: r.chunks };
}
