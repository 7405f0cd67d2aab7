// The libpg-query scanner behind pgdba's token lists: string-offset tokens, top-level chunks, and where code starts.
import { scanSync } from 'libpg-query';
import { ByteOffsetMap, wellFormed } from './offsets';

export interface Token {
  start: number;
  end: number;
  text: string;
  /** libpg-query token name, e.g. IDENT, SCONST, SQL_COMMENT, C_COMMENT, ASCII_59. */
  name: string;
  keyword: string;
}

export interface Chunk {
  start: number;
  end: number;
}

export const COMMENT_TOKENS: ReadonlySet<string> = new Set(['SQL_COMMENT', 'C_COMMENT']);

/** Scans text into tokens with string offsets; returns undefined when the scanner itself fails. */
export function scanTokens(text: string, offsets = new ByteOffsetMap(text), base = 0): Token[] | undefined {
  if (text.trim() === '') return [];
  try {
    return scanSync(wellFormed(text)).tokens.map((t) => ({
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

/** Index of the first item starting at or after `offset` (binary search; items are sorted by start). */
export function firstAtOrAfter<T extends { start: number }>(items: readonly T[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first token starting at or after `offset`. */
export function tokenIndexAt(tokens: Token[], offset: number): number {
  return firstAtOrAfter(tokens, offset);
}

export function firstCodeTokenAtOrAfter(tokens: Token[], from: number, before: number): Token | undefined {
  for (let i = tokenIndexAt(tokens, from); i < tokens.length; i++) {
    const t = tokens[i];
    if (t.start >= before) return undefined;
    if (!COMMENT_TOKENS.has(t.name)) return t;
  }
  return undefined;
}

/**
 * Where the first code token of `text.slice(start, end)` begins (`start` when there is none), without scanning the
 * whole file. libpg-query 18 already puts `stmt_location` on a statement's first token, so this is nearly always
 * the first non-blank character; anything that could open a comment (or a character the scanner may treat as
 * blank, such as a vertical tab) is left to the scanner, on this statement's text only.
 */
export function codeStartIn(text: string, start: number, end: number): number {
  let p = start;
  // The scanner's blanks, minus \v: see scan.l `space`.
  while (p < end && (text[p] === ' ' || text[p] === '\n' || text[p] === '\t' || text[p] === '\r' || text[p] === '\f')) p++;
  if (p >= end) return start;
  const c = text.charCodeAt(p);
  const next = text[p + 1];
  const plain = c > 0x20 && c < 0x7f && !(text[p] === '-' && next === '-') && !(text[p] === '/' && next === '*');
  if (plain) return p;
  // The statement starts at a token boundary, so scanning its text alone lexes the same tokens as the whole file.
  const tokens = scanTokens(text.slice(start, end), undefined, start);
  return (tokens && firstCodeTokenAtOrAfter(tokens, start, end)?.start) ?? start;
}

/** Splits a token range at top-level semicolons (outside parentheses and BEGIN ATOMIC bodies). */
export function splitChunks(tokens: Token[], start: number, end: number, text: string): { chunks: Chunk[]; closed: boolean } {
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
