// Token ranges read from the text without the scanner, when the text is exactly what the parser said it is (plain names, plain words, a quoted body): anything else gives undefined and the caller scans.
//
// libpg-query returns tokens as JSON, and scanning costs more than parsing. These checks never lex SQL: each one
// accepts only text whose tokens are beyond doubt (ASCII words and blanks, a quoted name equal to the parser's
// name, a string equal to the parser's value) and leaves everything else (comments, non-ASCII words, U&"…",
// prefixed literals, truncated names, unusual spacing) to the scanner.

export interface TextRange {
  start: number;
  end: number;
}

/** The scanner's blanks, minus \v (scan.l `space`; left to the scanner, as in codeStartIn). */
export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
}

/**
 * Characters that certainly end the token before them and start no token together with it: blanks, parentheses,
 * a comma, a semicolon, or the end of the text. A letter, quote, `&`, `.`, digit or operator character after a word
 * could be part of something else (`U&"x"`, `E'x'`, `t.*`, `t--c`), so it is not one of them.
 */
export function isStop(c: string | undefined): boolean {
  return c === undefined || isBlank(c) || c === '(' || c === ')' || c === ',' || c === ';';
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/**
 * The end of the unquoted ASCII word at `at` (the scanner's identifier or keyword: ident_start ident_cont*), when the
 * character after it can only end it; -1 otherwise (a non-ASCII or `&`, `'`, `"` next to it, or no word).
 */
export function plainWordEnd(text: string, at: number): number {
  WORD.lastIndex = at;
  const m = WORD.exec(text);
  if (!m) return -1;
  const end = at + m[0].length;
  const c = text.charCodeAt(end);
  // A non-ASCII character continues an identifier; a quote or & makes a prefixed literal or name (E'…', U&"…").
  if (c >= 0x80 || text[end] === "'" || text[end] === '"' || text[end] === '&') return -1;
  return end;
}

/**
 * The end of the identifier written at `at` when it denotes `name`: an unquoted ASCII word that folds to it, or a
 * double-quoted name (with "" for ") equal to it; -1 otherwise. A name the parser cut at 63 bytes does not match.
 */
export function identEndAt(text: string, at: number, name: string): number {
  if (text[at] === '"') {
    let value = '';
    let i = at + 1;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) return -1;
      value += text.slice(i, q);
      if (text[q + 1] !== '"') return value === name ? q + 1 : -1;
      value += '"';
      i = q + 2;
    }
  }
  const end = plainWordEnd(text, at);
  // PostgreSQL folds unquoted ASCII letters to lower case (downcase_identifier).
  return end >= 0 && text.slice(at, end).toLowerCase() === name ? end : -1;
}

/**
 * The range of a qualified name written at `at` as its parts joined by dots with nothing between, when the parts are
 * exactly `parts` and the name ends there (the next character is a stop, so no `.` or other token continues it).
 */
export function qualifiedNameAt(text: string, at: number, parts: readonly string[]): TextRange | undefined {
  if (parts.length === 0) return undefined;
  let p = at;
  for (let k = 0; k < parts.length; k++) {
    if (k > 0) {
      if (text[p] !== '.') return undefined;
      p++;
    }
    p = identEndAt(text, p, parts[k]);
    if (p < 0) return undefined;
  }
  return isStop(text[p]) ? { start: at, end: p } : undefined;
}

/** The first non-blank offset at or after `p`. */
export function skipBlanks(text: string, p: number): number {
  while (isBlank(text[p])) p++;
  return p;
}

/** Whether `text.slice(start, end)` could hold a comment (or anything that opens one): then its tokens need the scanner. */
export function mayHoldComment(text: string, start: number, end: number): boolean {
  const slice = text.slice(start, end);
  return slice.includes('--') || slice.includes('/*');
}

/**
 * The leading tokens of `text.slice(start, end)` while they are plain words separated by blanks (at most `max`):
 * each a keyword or unquoted identifier, each followed by a stop. Stops at the first thing that is not.
 */
export function leadingPlainWords(text: string, start: number, end: number, max: number): TextRange[] {
  const out: TextRange[] = [];
  let p = start;
  while (out.length < max && p < end) {
    const e = plainWordEnd(text, p);
    if (e < 0 || e > end || !isStop(text[e])) break;
    out.push({ start: p, end: e });
    if (!isBlank(text[e])) break;
    p = skipBlanks(text, e);
  }
  return out;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/y;

/**
 * Where a string constant whose value is `value` is written at `at`: a dollar-quoted string (ASCII tag) or a plain
 * '…' string without quotes or backslashes inside, with the quoting that surrounds its value. Undefined otherwise.
 */
export function stringAt(text: string, at: number, value: string): { start: number; end: number; open: string } | undefined {
  if (text[at] === "'") {
    if (value.includes("'") || value.includes('\\') || text.slice(at + 1, at + 1 + value.length) !== value) return undefined;
    const close = at + 1 + value.length;
    if (text[close] !== "'") return undefined;
    // '…' then a newline (and maybe comments) then '…' continues the string (scan.l xqcat): left to the scanner.
    const next = text[skipBlanks(text, close + 1)];
    return next === "'" || next === '-' || next === '/' ? undefined : { start: at, end: close + 1, open: "'" };
  }
  DOLLAR_TAG.lastIndex = at;
  const tag = DOLLAR_TAG.exec(text)?.[0];
  if (!tag) return undefined;
  const from = at + tag.length;
  // The string runs to the first closing tag; the parser's value ends there, so value followed by the tag is the string.
  if (text.slice(from, from + value.length) !== value || !text.startsWith(tag, from + value.length)) return undefined;
  return { start: at, end: from + value.length + tag.length, open: tag };
}
