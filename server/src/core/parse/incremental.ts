// Re-parses only the top-level chunks an edit touched; the statements before keep their objects, those after are shifted.
import { ParsedStatement, parseRange, parseSql, shiftLocations, type Chunk, type ParsedSql, type Statement, type SyntaxProblem } from './parse';
import { LazyParsedSql } from './lazy-tokens';
import { firstAtOrAfter } from './tokens';

function changedRange(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  return { start, oldEnd: a.length - tail, newEnd: b.length - tail };
}

/**
 * Parses `text` reusing `prev` (the parse of an earlier version of the same file). The result equals
 * `parseSql(text)`; only the chunks around the edit are parsed again.
 * `prev` is consumed: statements after the edit are shifted in place.
 */
export function reparse(prev: ParsedSql, text: string): ParsedSql {
  if (prev.text === text) return prev;
  // psql meta-commands change what the text around them parses as: a file that holds some is parsed whole (such files
  // are scripts, rarely edited statement by statement).
  if (prev.psqlCommands?.length) return parseSql(text);
  const { start: a, oldEnd: b, newEnd } = changedRange(prev.text, text);
  const delta = newEnd - b;
  const chunks = prev.chunks;
  // Chunks touching the edit (a chunk that ends exactly where the edit starts is included: the edit may remove its `;`).
  let first = chunks.findIndex((c) => c.end >= a);
  if (first < 0) first = chunks.length;
  let last = first;
  while (last < chunks.length && chunks[last].start <= b) last++;
  // Old region [r0, r1): from the start of the first touched chunk to the end of the last one (or the end of the text).
  const r0 = first < chunks.length ? Math.min(chunks[first].start, a) : (chunks[chunks.length - 1]?.end ?? 0);
  for (let extra = 0; ; extra++) {
    const lastIdx = last + extra;
    const r1 = lastIdx > first ? Math.max(chunks[lastIdx - 1]?.end ?? prev.text.length, b) : Math.max(b, r0);
    const reachesEnd = lastIdx >= chunks.length;
    const oldR1 = reachesEnd ? prev.text.length : r1;
    const newR1 = oldR1 + delta;
    const region = parseRange(text, r0, newR1);
    if (region.scanFailed || region.psqlCommands?.length) return parseSql(text);
    // The region must close on a top-level `;` unless it runs to the end of the text; otherwise take in the next chunk.
    // Judged on tokens, not text: an open parenthesis or BEGIN ATOMIC can make the final `;` not top-level.
    const closed = reachesEnd || region.chunks.length === 0 || region.closed;
    if (!closed) {
      if (reachesEnd) return parseSql(text);
      continue;
    }
    return splice(prev, text, region, r0, oldR1, delta);
  }
}

/**
 * The new parse from the old one and the re-parsed region. Tokens are not carried over: the result scans them when
 * asked (most edits are analysed without whole-file tokens), so an edit costs the statements and chunks it shifts,
 * not the file's tens of thousands of tokens. Comments are carried over when the old parse had them (suppressions).
 */
function splice(prev: ParsedSql, text: string, region: ReturnType<typeof parseRange>, r0: number, oldR1: number, delta: number): ParsedSql {
  const before = <T extends { start: number }>(xs: T[]) => xs.slice(0, firstAtOrAfter(xs, r0));
  const after = <T extends { start: number }>(xs: T[]) => xs.slice(firstAtOrAfter(xs, oldR1));

  const statements: Statement[] = [...before(prev.statements), ...region.statements];
  for (const s of after(prev.statements)) {
    if (delta === 0) statements.push(s);
    else if (s instanceof ParsedStatement) {
      s.moveBy(delta);
      statements.push(s);
    } else {
      shiftLocations(s.node, delta);
      statements.push({ ...s, start: s.start + delta, end: s.end + delta });
    }
  }
  for (let i = 0; i < statements.length; i++) if (statements[i].index !== i) statements[i].index = i;
  const errors: SyntaxProblem[] = [
    ...before(prev.errors),
    ...region.errors,
    ...after(prev.errors).map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })),
  ];
  const chunks: Chunk[] = [
    ...prev.chunks.filter((c) => c.end <= r0),
    ...region.chunks,
    ...after(prev.chunks).map((c) => ({ start: c.start + delta, end: c.end + delta })),
  ];
  const prevComments = prev instanceof LazyParsedSql ? prev.peekComments() : prev.comments;
  const comments = prevComments && [
    ...before(prevComments),
    ...region.comments,
    ...after(prevComments).map((t) => ({ ...t, start: t.start + delta, end: t.end + delta })),
  ];
  return new LazyParsedSql(text, statements, errors, { chunks, ...(comments ? { comments } : {}) });
}
