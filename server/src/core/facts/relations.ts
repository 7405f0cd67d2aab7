// Token-level helpers for migration rules: precise ranges of relation names, keywords and ALTER TABLE subcommands.
import type { RangeVar } from '@pgsql/types';
import { truncateUtf8 } from '../parse/offsets';
import { scanTokens, tokenIndexAt, tokensCovering, type ParsedSql, type Statement, type Token } from '../parse/parse';

export interface Range {
  start: number;
  end: number;
}

const COMMENTS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/** The code tokens (no comments) between two string offsets. */
export function codeTokens(parsed: ParsedSql, start: number, end: number): Token[] {
  const out: Token[] = [];
  const tokens = tokensCovering(parsed, start, end);
  for (let i = tokenIndexAt(tokens, start); i < tokens.length; i++) {
    const t = tokens[i];
    if (t.start >= end) break;
    if (!COMMENTS.has(t.name)) out.push(t);
  }
  return out;
}

/** An identifier token's value the way PostgreSQL folds it: quoted names keep their case, others are lower-cased. */
export function identValue(t: Token): string {
  if (t.text.startsWith('"')) return t.text.slice(1, -1).replace(/""/g, '"');
  return t.text.toLowerCase();
}

/** The display name of a relation: `schema.name` or `name`. */
export function relationText(rv: { schemaname?: string; relname?: string } | undefined): string {
  if (!rv?.relname) return 'the table';
  return rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
}

/** The range of a (possibly qualified) name starting at `at`: `schema . name` tokens. */
export function dottedNameRange(parsed: ParsedSql, at: number): Range {
  const toks = tokensCovering(parsed, at);
  const i = tokenIndexAt(toks, at);
  let j = i;
  while (j + 2 < toks.length && toks[j + 1].text === '.' && toks[j + 1].start === toks[j].end) j += 2;
  const first = toks[i];
  if (!first || first.start !== at) return { start: at, end: at + 1 };
  return { start: first.start, end: toks[j].end };
}

/** The range of a RangeVar reference (falls back to the statement start). */
export function rangeVarRange(parsed: ParsedSql, rv: RangeVar | undefined, stmt: Statement): Range {
  const at = typeof rv?.location === 'number' ? rv.location : -1;
  if (at < 0) return keywordRange(parsed, stmt) ?? { start: stmt.start, end: stmt.end };
  return dottedNameRange(parsed, at);
}

/**
 * The range of the first occurrence of a name (its last part, optionally qualified) in the statement's
 * tokens from `from` on; used for nodes without a location (DROP INDEX, ALTER TABLE subcommands).
 */
export function nameRange(parsed: ParsedSql, start: number, end: number, parts: string[]): Range | undefined {
  const toks = codeTokens(parsed, start, end);
  const want = parts.map((p) => p);
  for (let i = 0; i < toks.length; i++) {
    let ok = true;
    for (let k = 0; k < want.length; k++) {
      const t = toks[i + 2 * k];
      if (!t || identValue(t) !== want[k] || (k > 0 && toks[i + 2 * k - 1]?.text !== '.')) {
        ok = false;
        break;
      }
    }
    if (ok) return { start: toks[i].start, end: toks[i + 2 * (want.length - 1)].end };
  }
  if (want.length > 1) return nameRange(parsed, start, end, want.slice(-1));
  return undefined;
}

/** The range from the first to the last of a run of keywords (e.g. `set not null`), or the first statement keyword. */
export function keywordRange(parsed: ParsedSql, stmt: Statement | Range, words?: string[]): Range | undefined {
  const toks = codeTokens(parsed, stmt.start, stmt.end);
  if (!words || words.length === 0) return toks[0] ? { start: toks[0].start, end: toks[0].end } : undefined;
  for (let i = 0; i + words.length <= toks.length; i++) {
    if (words.every((w, k) => toks[i + k].text.toLowerCase() === w)) return { start: toks[i].start, end: toks[i + words.length - 1].end };
  }
  return undefined;
}

/** The leading keywords of a statement up to (not including) the first identifier, e.g. `CREATE INDEX`. */
export function leadingKeywords(parsed: ParsedSql, stmt: Statement, count: number): Range {
  const toks = codeTokens(parsed, stmt.start, stmt.end).slice(0, count);
  if (toks.length === 0) return { start: stmt.start, end: stmt.end };
  return { start: toks[0].start, end: toks[toks.length - 1].end };
}

/**
 * The text ranges of each ALTER TABLE subcommand, in AST order: the statement's tokens after the relation
 * name, split at top-level commas. Returns undefined when the count does not match the AST (then callers
 * fall back to coarser ranges).
 */
export function alterCommandRanges(parsed: ParsedSql, stmt: Statement, relation: RangeVar | undefined, count: number): Range[] | undefined {
  const from = relation && typeof relation.location === 'number' && relation.location >= 0 ? dottedNameRange(parsed, relation.location).end : stmt.start;
  const toks = codeTokens(parsed, from, stmt.end).filter((t) => t.name !== 'ASCII_59');
  const out: Range[] = [];
  let depth = 0;
  let segStart: Token | undefined;
  let last: Token | undefined;
  for (const t of toks) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    if (t.text === ',' && depth === 0) {
      if (segStart && last) out.push({ start: segStart.start, end: last.end });
      segStart = undefined;
      continue;
    }
    segStart ??= t;
    last = t;
  }
  if (segStart && last) out.push({ start: segStart.start, end: last.end });
  return out.length === count ? out : undefined;
}

/** The offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whitespace that indents the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** The offset just after the statement's terminating semicolon (or its end when it has none). */
export function afterSemicolon(parsed: ParsedSql, stmt: Statement): number {
  const tokens = tokensCovering(parsed, stmt.end);
  const t = tokens[tokenIndexAt(tokens, stmt.end)];
  return t && t.name === 'ASCII_59' ? t.end : stmt.end;
}

const KEYWORDS_NEEDING_QUOTES = new Set(['RESERVED_KEYWORD', 'TYPE_FUNC_NAME_KEYWORD', 'COL_NAME_KEYWORD']);

/** An identifier as SQL text: bare when PostgreSQL would read it back unchanged, double-quoted otherwise. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    const t = scanTokens(name)?.[0];
    if (t && t.end === name.length && !KEYWORDS_NEEDING_QUOTES.has(t.keyword)) return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** A name cut to PostgreSQL's 63-byte identifier limit (NAMEDATALEN - 1) without splitting a character. */
export function truncateIdent(name: string): string {
  return truncateUtf8(name, 63);
}
