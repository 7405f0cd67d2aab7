// Suppression comments (`-- pgdba-ignore <id>[, <id>] -- reason`, `-- pgdba-ignore-file <id>`), found with the scanner and applied centrally.
import type { ParsedSql, Statement, Token } from './parse/parse';

export interface Suppression {
  kind: 'statement' | 'file';
  ids: string[];
  /** The comment token. */
  start: number;
  end: number;
  /** For statement suppressions: the statement it covers. */
  statement?: Statement;
  /** Where each id sits in the comment, for precise unknown/unused diagnostics. */
  idRanges: { id: string; start: number; end: number }[];
  used: Set<string>;
}

const DIRECTIVE = /^(--|\/\*)\s*pgdba-ignore(-file)?\b(.*)$/s;

function parseDirective(token: Token): Omit<Suppression, 'statement' | 'used'> | undefined {
  const m = DIRECTIVE.exec(token.text);
  if (!m) return undefined;
  let rest = m[3];
  if (m[1] === '/*') rest = rest.replace(/\*\/\s*$/, '');
  // Everything after a second `--` is the reason.
  const reasonAt = rest.indexOf('--');
  const idsText = reasonAt >= 0 ? rest.slice(0, reasonAt) : rest;
  const base = token.start + token.text.length - m[3].length;
  const idRanges: Suppression['idRanges'] = [];
  const re = /[A-Za-z0-9_-]+/g;
  let id: RegExpExecArray | null;
  while ((id = re.exec(idsText))) idRanges.push({ id: id[0], start: base + id.index, end: base + id.index + id[0].length });
  return { kind: m[2] ? 'file' : 'statement', ids: idRanges.map((r) => r.id), start: token.start, end: token.end, idRanges };
}

/** All suppression directives in a file, each statement directive bound to the next statement after it. */
export function findSuppressions(parsed: ParsedSql): Suppression[] {
  const out: Suppression[] = [];
  // Every directive contains this text, and most files have none: then the comments need not be scanned.
  if (!parsed.text.includes('pgdba-ignore')) return out;
  for (const c of parsed.comments) {
    const d = parseDirective(c);
    if (!d) continue;
    const statement = d.kind === 'statement' ? parsed.statements.find((s) => s.start >= c.end) : undefined;
    out.push({ ...d, statement, used: new Set() });
  }
  return out;
}

/** Is a finding of `rule` at `offset` (inside `statement`) suppressed? Marks the directive used. */
export function isSuppressed(sups: Suppression[], rule: string, offset: number, statement: Statement | undefined): boolean {
  let hit = false;
  for (const s of sups) {
    if (!s.ids.includes(rule) && !s.ids.includes('all')) continue;
    if (s.kind === 'file') {
      s.used.add(s.ids.includes(rule) ? rule : 'all');
      hit = true;
    } else if (s.statement && (s.statement === statement || (offset >= s.statement.start && offset <= s.statement.end))) {
      s.used.add(s.ids.includes(rule) ? rule : 'all');
      hit = true;
    }
  }
  return hit;
}

/** The line start of an offset (for inserting a directive above a statement). */
export function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

/** The edit that suppresses `rule` for the statement at `stmtStart`, keeping its indentation. */
export function statementSuppressEdit(text: string, stmtStart: number, rule: string): { start: number; end: number; newText: string } {
  const ls = lineStart(text, stmtStart);
  const indent = /^[ \t]*/.exec(text.slice(ls, stmtStart))?.[0] ?? '';
  return { start: ls, end: ls, newText: `${indent}-- pgdba-ignore ${rule} -- reason: \n` };
}

/** The edit that suppresses `rule` for the whole file (first line). */
export function fileSuppressEdit(rule: string): { start: number; end: number; newText: string } {
  return { start: 0, end: 0, newText: `-- pgdba-ignore-file ${rule} -- reason: \n` };
}
