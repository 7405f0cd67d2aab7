// Token-level helpers for migration rules: precise ranges of relation names, keywords and ALTER TABLE subcommands.
import type { RangeVar } from '@pgsql/types';
import { truncateUtf8 } from '../parse/offsets';
import { firstAtOrAfter } from '../parse/tokens';
import { isBlank, leadingPlainWords, mayHoldComment, plainWordEnd, qualifiedNameAt, skipBlanks } from '../parse/plain-text';
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

/**
 * The range of a RangeVar's name read from the text when it is written exactly as the parser's name parts (see
 * plain-text.ts); undefined when only the scanner can tell.
 */
export function plainRangeVarRange(text: string, rv: RangeVar): Range | undefined {
  if (typeof rv.location !== 'number' || rv.location < 0 || !rv.relname || rv.catalogname) return undefined;
  return qualifiedNameAt(text, rv.location, rv.schemaname ? [rv.schemaname, rv.relname] : [rv.relname]);
}

/** The range of a RangeVar reference (falls back to the statement start). */
export function rangeVarRange(parsed: ParsedSql, rv: RangeVar | undefined, stmt: Statement): Range {
  const at = typeof rv?.location === 'number' ? rv.location : -1;
  if (at < 0) return keywordRange(parsed, stmt) ?? { start: stmt.start, end: stmt.end };
  return plainRangeVarRange(parsed.text, rv!) ?? dottedNameRange(parsed, at);
}

/** Whether a statement starts at `offset` (then a token starts there: the fast paths below need one). */
function isStatementStart(parsed: ParsedSql, offset: number): boolean {
  return parsed.statements[firstAtOrAfter(parsed.statements, offset)]?.start === offset;
}

/**
 * nameRange without the scanner, from a statement start: while the statement's tokens are plain words, the first
 * place where `parts` is written exactly (quoted, dotted, or a plain word). Undefined when that is not certain.
 */
function plainNameRange(text: string, start: number, end: number, parts: string[]): Range | undefined {
  let p = start;
  while (p < end) {
    const found = qualifiedNameAt(text, p, parts);
    if (found) return found.end <= end ? found : undefined;
    const e = plainWordEnd(text, p);
    if (e < 0 || !isBlank(text[e])) return undefined;
    p = skipBlanks(text, e);
  }
  return undefined;
}

/**
 * The range of the first occurrence of a name (its last part, optionally qualified) in the statement's
 * tokens from `from` on; used for nodes without a location (DROP INDEX, ALTER TABLE subcommands).
 * `afterToken`: `start` is the end of a token (e.g. of the relation name), not just any offset.
 */
export function nameRange(parsed: ParsedSql, start: number, end: number, parts: string[], afterToken = false): Range | undefined {
  // The text can be read from `start` only where a token certainly starts (or, `afterToken`, ends) there.
  const from = afterToken ? skipBlanks(parsed.text, start) : start;
  const plain = afterToken || isStatementStart(parsed, start) ? plainNameRange(parsed.text, from, end, parts) : undefined;
  if (plain) return plain;
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
  const plain = isStatementStart(parsed, stmt.start) ? plainKeywordRange(parsed.text, stmt, words) : undefined;
  if (plain) return plain;
  const toks = codeTokens(parsed, stmt.start, stmt.end);
  if (!words || words.length === 0) return toks[0] ? { start: toks[0].start, end: toks[0].end } : undefined;
  for (let i = 0; i + words.length <= toks.length; i++) {
    if (words.every((w, k) => toks[i + k].text.toLowerCase() === w)) return { start: toks[i].start, end: toks[i + words.length - 1].end };
  }
  return undefined;
}

/** keywordRange from the statement's leading plain words (when the words are among them). */
function plainKeywordRange(text: string, stmt: Range, words?: string[]): Range | undefined {
  const n = words?.length ?? 0;
  const lead = leadingPlainWords(text, stmt.start, stmt.end, n === 0 ? 1 : 8);
  if (!words || n === 0) return lead[0];
  for (let i = 0; i + n <= lead.length; i++) {
    if (words.every((w, k) => text.slice(lead[i + k].start, lead[i + k].end).toLowerCase() === w)) return { start: lead[i].start, end: lead[i + n - 1].end };
  }
  return undefined;
}

/** The leading keywords of a statement up to (not including) the first identifier, e.g. `CREATE INDEX`. */
export function leadingKeywords(parsed: ParsedSql, stmt: Statement, count: number): Range {
  const lead = isStatementStart(parsed, stmt.start) ? leadingPlainWords(parsed.text, stmt.start, stmt.end, count) : [];
  // Fewer words than asked for is the answer only when nothing but blanks follows them in the statement.
  if (lead.length > 0 && (lead.length === count || skipBlanks(parsed.text, lead[lead.length - 1].end) >= stmt.end))
    return { start: lead[0].start, end: lead[lead.length - 1].end };
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
  const name = relation ? plainRangeVarRange(parsed.text, relation) : undefined;
  const plain = name ? plainSegments(parsed.text, name.end, stmt.end) : undefined;
  if (plain) return plain.length === count ? plain : undefined;
  const from = name
    ? name.end
    : relation && typeof relation.location === 'number' && relation.location >= 0
      ? dottedNameRange(parsed, relation.location).end
      : stmt.start;
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

/** ASCII text with blanks only: no control characters (\v), nothing non-ASCII. */
const PRINTABLE = /^[\x20-\x7e\t\n\r\f]*$/;

/**
 * alterCommandRanges' segments from `from` (a token end) to the statement end `end`, when the text leaves no doubt
 * about which commas and parentheses are tokens: printable ASCII, no comment, dollar quote, parameter, backslash or
 * semicolon, and one kind of quote only (so each quote opens or closes a string or quoted name, and "" or '' inside
 * one closes and reopens it). Undefined when only the scanner can tell.
 */
function plainSegments(text: string, from: number, end: number): Range[] | undefined {
  const rest = text.slice(from, end);
  if (!PRINTABLE.test(rest) || mayHoldComment(text, from, end) || /[\\$;]/.test(rest) || (rest.includes("'") && rest.includes('"'))) return undefined;
  // The statement end was trimmed of blanks: a blank, `;` or the end of the text after it means a token ends there.
  const after = text[end];
  if (!(after === undefined || after === ';' || isBlank(after))) return undefined;
  const out: Range[] = [];
  let depth = 0;
  let quoted = false;
  let segStart = -1;
  let last = -1;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === "'" || c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    else if (!quoted && c === ',' && depth === 0) {
      if (segStart >= 0) out.push({ start: segStart, end: last + 1 });
      segStart = -1;
      continue;
    }
    if (!isBlank(c)) {
      if (segStart < 0) segStart = i;
      last = i;
    }
  }
  if (quoted) return undefined;
  if (segStart >= 0) out.push({ start: segStart, end: last + 1 });
  return out;
}

/**
 * Whether the text between two statements' tokens (`start` a statement end) holds code, read from the text when it
 * is printable ASCII without comments (then it holds no comment token either); undefined when only the scanner can tell.
 */
export function plainGapHoldsCode(text: string, start: number, end: number): boolean | undefined {
  const gap = text.slice(start, end);
  if (!PRINTABLE.test(gap) || mayHoldComment(text, start, end)) return undefined;
  return /[^ \t\n\r\f]/.test(gap);
}

/** The first word of a statement of `parsed` when it is a plain word (no scan needed); undefined otherwise. */
export function plainFirstWord(parsed: ParsedSql, stmt: Statement): Range | undefined {
  return isStatementStart(parsed, stmt.start) ? leadingPlainWords(parsed.text, stmt.start, stmt.end, 1)[0] : undefined;
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
  // A `;` right at the end is the terminator, unless a `--` comment on its line may hold it (the end of the last
  // statement of a file is trimmed back over a `;`, comment or not).
  const text = parsed.text;
  if (text[stmt.end] === ';' && !mayHoldComment(text, lineStart(text, stmt.end), stmt.end)) return stmt.end + 1;
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
