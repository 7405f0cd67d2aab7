// Maps routine bodies back into the file: body string offsets to file offsets, parsed locations relocated, and the tables SQL names placed in the file.
import type { Node } from '@pgsql/types';
import { unwrap, walk } from '../parse/ast';
import { tokenIndexAt, type Token } from '../parse/parse';
import { isBlank, qualifiedNameAt, skipBlanks, stringAt } from '../parse/plain-text';

/** A table read or written by SQL inside a routine body. Offsets are -1 when the reference could not be placed in the file. */
export interface TableRef {
  schema?: string;
  name: string;
  access: 'read' | 'write';
  start: number;
  end: number;
}

/** A body string and where its characters are in the file: dollar quotes map one to one, '' escapes take two characters. */
export interface BodyText {
  text: string;
  start?: number;
  toFile(i: number): number;
}

/** The body's place in the file when its string constant is written as `tok` at `start` (undefined: not this value). */
function bodyFromString(value: string, tok: string, start: number): BodyText | undefined {
  const dollar = /^\$[A-Za-z_0-9]*\$/.exec(tok);
  if (dollar && tok.slice(dollar[0].length, tok.length - dollar[0].length) === value) {
    const from = start + dollar[0].length;
    return { text: value, start: from, toFile: (i) => from + i };
  }
  if (tok.startsWith("'") && tok.slice(1, -1).replace(/''/g, "'") === value) {
    // Map each character of the value to its place in the quoted text (a '' pair is one character).
    const pos: number[] = [];
    for (let i = 1; i < tok.length - 1; i++) {
      pos.push(start + i);
      if (tok[i] === "'") i++;
    }
    pos.push(start + tok.length - 1);
    return { text: value, start: start + 1, toFile: (i) => pos[Math.min(i, pos.length - 1)] };
  }
  return undefined;
}

/** The body string `value` in the file: the first string constant at or after `from` (a token start) that holds it. */
export function bodyText(value: string, toks: Token[], from: number): BodyText {
  for (const t of toks) {
    if (t.name !== 'SCONST' || t.start < from) continue;
    const found = bodyFromString(value, t.text, t.start);
    if (found) return found;
  }
  return { text: value, toFile: () => -1 };
}

/**
 * bodyText without the scanner, when the string is plainly written right where the parser put its AS option: after
 * `AS` and blanks (CREATE FUNCTION), or at that place itself (DO). Undefined when only the scanner can tell.
 */
export function plainBodyText(value: string, text: string, at: number): BodyText | undefined {
  const p = /^as$/i.test(text.slice(at, at + 2)) && isBlank(text[at + 2]) ? skipBlanks(text, at + 2) : at;
  const s = stringAt(text, p, value);
  return s ? bodyFromString(value, text.slice(s.start, s.end), s.start) : undefined;
}

/** Sets every `location` in a tree through `map` (-1 when unknown). */
export function relocate(node: unknown, map: (o: number) => number): void {
  if (Array.isArray(node)) return node.forEach((n) => relocate(n, map));
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const key in obj) {
    const v = obj[key];
    if (key === 'location' && typeof v === 'number') obj[key] = v < 0 ? -1 : map(v);
    else if (v && typeof v === 'object') relocate(v, map);
  }
}

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Tables the statements read or write (CTE names excluded), at offsets of the parsed text; `end` is filled in by
 * `placedTables`. `parts` are the name's parts as the parser read them (none for a three-part name).
 */
function tablesOf(stmts: Node[]): { ref: TableRef; parts?: string[] }[] {
  const roots: unknown[] = [];
  const targets: { rv: Record<string, unknown>; access: TableRef['access'] }[] = [];
  for (const s of stmts) {
    const u = unwrap(s);
    if (!u) continue;
    if (DML.has(u.kind)) roots.push(s);
    else if (u.kind === 'CreateTableAsStmt') roots.push(u.value.query);
    else if (u.kind === 'TruncateStmt') roots.push(u.value.relations);
  }
  const ctes = new Set<string>();
  walk(roots, (kind, v, parents) => {
    if (kind === 'CommonTableExpr' && typeof v.ctename === 'string') ctes.add(v.ctename);
    // DML targets are bare RangeVar payloads (not wrapped nodes), so walk() does not visit them as RangeVars.
    if (/^(Insert|Update|Delete|Merge)Stmt$/.test(kind) && v.relation) targets.push({ rv: v.relation as Record<string, unknown>, access: 'write' });
    if (kind === 'RangeVar') targets.push({ rv: v, access: parents.length === 0 ? 'write' : 'read' }); // bare TRUNCATE targets sit at the top
  });
  const out: { ref: TableRef; parts?: string[] }[] = [];
  for (const { rv, access } of targets) {
    if (typeof rv.relname !== 'string') continue;
    const schema = typeof rv.schemaname === 'string' && rv.schemaname ? rv.schemaname : undefined;
    if (!schema && ctes.has(rv.relname)) continue;
    const start = typeof rv.location === 'number' ? rv.location : -1;
    const parts = rv.catalogname ? undefined : schema ? [schema, rv.relname] : [rv.relname];
    out.push({ ref: { schema, name: rv.relname, access, start, end: -1 }, parts });
  }
  return out.sort((a, b) => a.ref.start - b.ref.start);
}

/** The end of a (possibly qualified) name starting at `p`, from the tokens of the text it is in. */
function nameEnd(tokens: Token[], p: number): number {
  let i = tokenIndexAt(tokens, p);
  if (tokens[i]?.start !== p) return p + 1;
  while (tokens[i + 2] && tokens[i + 1].text === '.') i += 2;
  return tokens[i].end;
}

/**
 * nameEnd read from the text, when the name is written exactly as its parts and no `.` follows it (nameEnd would
 * take a dot after blanks as part of the name); -1 when only the scanner can tell.
 */
function plainNameEnd(text: string, p: number, parts: string[] | undefined): number {
  const r = parts ? qualifiedNameAt(text, p, parts) : undefined;
  if (!r) return -1;
  const c = text[skipBlanks(text, r.end)];
  return c === '.' || (c !== undefined && c.charCodeAt(0) < 0x20) ? -1 : r.end;
}

/**
 * Tables of parsed statements placed in the file through `toFile` (which gives -1 for what it cannot place). `text`
 * is the parsed text; its `tokens` are scanned only for a name written in a way plainNameEnd leaves to the scanner.
 */
export function placedTables(stmts: Node[], text: string, tokens: () => Token[], toFile: (p: number) => number): TableRef[] {
  return tablesOf(stmts).map(({ ref: t, parts }) => {
    const start = t.start < 0 ? -1 : toFile(t.start);
    const plain = t.start < 0 ? -1 : plainNameEnd(text, t.start, parts);
    const last = t.start < 0 ? -1 : toFile((plain >= 0 ? plain : nameEnd(tokens(), t.start)) - 1);
    return start < 0 || last < 0 ? { ...t, start: -1, end: -1 } : { ...t, start, end: last + 1 };
  });
}

/** Finds where PL/pgSQL's copy of some SQL sits in the body: blanked INTO clauses match anything, PERFORM reads as SELECT. */
export function locate(body: string, query: string, from: number, perform: boolean): ((q: number) => number) | undefined {
  if (perform && /^SELECT/.test(query)) {
    const re = /perform/gi;
    re.lastIndex = from;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const at = m.index;
      if (matchesAt(body, query.slice(6), at + 7)) return (q) => (q < 6 ? at + Math.min(q, 6) : at + q + 1);
    }
    return undefined;
  }
  const anchor = /^\S+/.exec(query)?.[0];
  if (!anchor) return undefined;
  for (let at = body.indexOf(anchor, from); at >= 0; at = body.indexOf(anchor, at + 1)) {
    if (matchesAt(body, query, at)) return (q) => at + q;
  }
  return undefined;
}

function matchesAt(body: string, query: string, at: number): boolean {
  if (at + query.length > body.length) return false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c !== body[at + i] && c !== ' ') return false;
  }
  return true;
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
