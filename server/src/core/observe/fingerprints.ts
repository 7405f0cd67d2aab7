// Workspace statements keyed by their libpg-query fingerprint: top-level statements and the SQL inside routine bodies, per parsed file.
import { fingerprintSync } from 'libpg-query';
import { defaultConfig } from '../config';
import { emptyCatalog } from '../catalog/types';
import { FileFacts } from '../facts/file-facts';
import { bodyOf, routineOf } from '../facts/routines';
import { LineIndex } from '../parse/lines';
import type { ParsedSql } from '../parse/parse';
import type { StatementLocation } from './types';

/** A statement of a file and its fingerprint. */
export interface FingerprintedStatement extends StatementLocation {
  fingerprint: string;
}

/**
 * libpg-query's fingerprint ignores constants and $n parameters (and collapses IN lists), so a literal-valued statement
 * in a file and pg_stat_statements' normalised text of it fingerprint alike. Undefined when the text does not parse
 * (e.g. a text truncated by track_activity_query_size, or `<insufficient privilege>`).
 */
export function fingerprintOf(sql: string): string | undefined {
  if (!sql.trim()) return undefined;
  try {
    return fingerprintSync(sql);
  } catch {
    return undefined;
  }
}

const ROUTINES = new Set(['CreateFunctionStmt', 'DoStmt']);
const cache = new WeakMap<ParsedSql, Map<string, FingerprintedStatement[]>>();

/** The statements of one parsed file with their fingerprints; cached per parse (an unchanged file is not fingerprinted again). */
export function fileStatements(path: string, parsed: ParsedSql): FingerprintedStatement[] {
  let byPath = cache.get(parsed);
  const hit = byPath?.get(path);
  if (hit) return hit;
  const lines = new LineIndex(parsed.text);
  const out: FingerprintedStatement[] = [];
  const add = (text: string, start: number, end: number, inBody: boolean) => {
    const fingerprint = fingerprintOf(text);
    if (fingerprint) out.push({ file: path, line: lines.position(start).line + 1, start, end, inBody, fingerprint });
  };
  let facts: FileFacts | undefined;
  for (const stmt of parsed.statements) {
    add(stmt.text, stmt.start, stmt.end, false);
    if (!ROUTINES.has(stmt.kind)) continue;
    // Routine headers and bodies need no catalog: an empty one keeps this independent of the workspace's other files.
    facts ??= new FileFacts({
      file: { path, role: 'plain', transaction: 'none' },
      parsed,
      statements: parsed.statements,
      catalog: emptyCatalog(),
      config: defaultConfig(),
    });
    const routine = routineOf(facts, stmt);
    if (!routine) continue;
    for (const sql of bodyOf(facts, routine).sql) {
      if (sql.kind !== 'statement' || sql.dynamic || sql.start === undefined || sql.start < 0) continue;
      add(sql.text, sql.start, sql.start + sql.text.length, true);
    }
  }
  if (!byPath) cache.set(parsed, (byPath = new Map()));
  byPath.set(path, out);
  return out;
}

/** What the mapper needs from a workspace: its SQL files and their parses (core Workspace has both). */
export interface ParsedFiles {
  /** In catalog order (migrations as applied, then plain SQL, then down and verify parts), as Workspace.sqlFiles gives them. */
  sqlFiles(): string[];
  parsed(path: string): ParsedSql | undefined;
  /** The roles a file plays (Workspace.fileParts); without it every file counts as plain SQL. */
  fileParts?(path: string): { role: string }[];
}

/** Every statement of the workspace by fingerprint, in file order then position. */
export function indexWorkspace(files: ParsedFiles): Map<string, StatementLocation[]> {
  const index = new Map<string, StatementLocation[]>();
  for (const path of [...files.sqlFiles()].sort()) {
    const parsed = files.parsed(path);
    if (!parsed) continue;
    for (const s of fileStatements(path, parsed)) {
      const { fingerprint, ...location } = s;
      const list = index.get(fingerprint);
      if (list) list.push(location);
      else index.set(fingerprint, [location]);
    }
  }
  return index;
}
