// Findings as the check cache stores them: paths and help texts, which repeat, kept once each.
import type { ReportedFinding } from './reporters/types';

/** Findings stored compactly (paths and help texts repeat): [file, line, column, endLine, endColumn, rule, severity, message, help]. */
type Row = [number, number, number, number, number, string, ReportedFinding['severity'], string, number];
export interface StoredFindings {
  files: string[];
  helps: string[];
  rows: Row[];
}

export function pack(findings: ReportedFinding[], file: (f: ReportedFinding) => string): StoredFindings {
  const files = new Map<string, number>();
  const helps = new Map<string, number>();
  const index = (m: Map<string, number>, s: string) => m.get(s) ?? m.set(s, m.size).get(s)!;
  const rows = findings.map((f): Row => [
    index(files, file(f)),
    f.line,
    f.column,
    f.endLine,
    f.endColumn,
    f.rule,
    f.severity,
    f.message,
    f.help === undefined ? -1 : index(helps, f.help),
  ]);
  return { files: [...files.keys()], helps: [...helps.keys()], rows };
}

export function unpack(stored: StoredFindings, file: (f: string) => string): ReportedFinding[] {
  const files = stored.files.map(file);
  return stored.rows.map(([i, line, column, endLine, endColumn, rule, severity, message, h]) => ({
    file: files[i],
    line,
    column,
    endLine,
    endColumn,
    rule,
    severity,
    message,
    ...(h >= 0 ? { help: stored.helps[h] } : {}),
  }));
}
