// "pgdba: Rehearse migrations" in the language server: up → down → up of a folder's migrations on PGlite, reported as
// text for the output channel and as diagnostics on the down files (pushed, so they reach the Problems panel for files
// that are not open; cleared when the files they judge change).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { RehearsalRefused, rehearseFolder } from '../rehearse/folder';
import { line, summaryText } from '../rehearse/report-text';
import type { RehearsalReport, RehearsalResult, RehearsalStatus } from '../rehearse/rehearse';
import { EngineError } from '../engine';
import { rehearseRequest, type RehearseResult } from './protocol';

const SEVERITY: Partial<Record<RehearsalStatus, DiagnosticSeverity>> = {
  'down-failed': DiagnosticSeverity.Error,
  'up-failed': DiagnosticSeverity.Error,
  'schema-mismatch': DiagnosticSeverity.Warning,
  'no-down': DiagnosticSeverity.Warning,
};

const MESSAGE: Partial<Record<RehearsalStatus, string>> = {
  'down-failed': 'Rehearsal: the down migration fails',
  'up-failed': 'Rehearsal: the up migration fails',
  'schema-mismatch': 'Rehearsal: the down migration does not restore the schema',
  'no-down': 'Rehearsal: the down migration restores nothing',
};

/** A result as a diagnostic on its file's line (from the reported column to the end of the line). */
export function rehearsalDiagnostic(r: RehearsalResult, text: string | undefined, down: 'files' | 'generated'): Diagnostic | undefined {
  const severity = SEVERITY[r.status];
  if (!severity || !r.file) return undefined;
  const lineNo = Math.max(0, (r.line ?? 1) - 1);
  const lineText = text?.split('\n')[lineNo]?.replace(/\r$/, '') ?? '';
  const start = r.column !== undefined ? Math.min(r.column - 1, lineText.length) : lineText.length - lineText.trimStart().length;
  const generated = down === 'generated';
  return {
    range: { start: { line: lineNo, character: start }, end: { line: lineNo, character: Math.max(start, lineText.length) } },
    // A generated rollback failing is pgdba's news about its own output, not a fault in the user's file.
    severity: generated ? DiagnosticSeverity.Information : severity,
    source: 'pgdba rehearsal',
    code: `rehearsal-${r.status}`,
    message: `${generated ? MESSAGE[r.status]?.replace('the down migration', "pgdba's generated rollback") : MESSAGE[r.status]}: ${r.detail}`,
  };
}

interface Published {
  /** Every file (fsPath) of the migrations a rehearsal judged, so an edit to either part clears what was said about them. */
  files: Set<string>;
  uris: Set<string>;
}

export class RehearsalDiagnostics {
  /** Folder URI → what the last rehearsal of it published. */
  private readonly byFolder = new Map<string, Published>();

  constructor(private readonly connection: Connection) {}

  publish(folderUri: string, report: RehearsalReport['migrations'], down: 'files' | 'generated', involved: string[]): void {
    this.clearFolder(folderUri);
    const root = URI.parse(folderUri).fsPath;
    const byUri = new Map<string, Diagnostic[]>();
    for (const r of report) {
      if (!r.file) continue;
      const fsPath = join(root, r.file);
      let text: string | undefined;
      try {
        text = readFileSync(fsPath, 'utf8');
      } catch {
        text = undefined;
      }
      const d = rehearsalDiagnostic(r, text, down);
      if (!d) continue;
      const uri = URI.file(fsPath).toString();
      byUri.set(uri, [...(byUri.get(uri) ?? []), d]);
    }
    for (const [uri, diagnostics] of byUri) void this.connection.sendDiagnostics({ uri, diagnostics });
    this.byFolder.set(folderUri, { files: new Set(involved.map((f) => join(root, f))), uris: new Set(byUri.keys()) });
  }

  /** A file changed: a rehearsal's verdict on its folder no longer holds. */
  changed(uri: string): void {
    if (!this.byFolder.size) return;
    const fsPath = URI.parse(uri).fsPath;
    for (const [folder, p] of this.byFolder) if (p.files.has(fsPath)) this.clearFolder(folder);
  }

  private clearFolder(folderUri: string): void {
    const p = this.byFolder.get(folderUri);
    if (!p) return;
    for (const uri of p.uris) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.byFolder.delete(folderUri);
  }
}

export function attachRehearse(connection: Connection): RehearsalDiagnostics {
  const diagnostics = new RehearsalDiagnostics(connection);
  connection.onRequest(rehearseRequest, async ({ folderUri, down }): Promise<RehearseResult> => {
    const dir = URI.parse(folderUri).fsPath;
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('pgdba: rehearsing migrations (up → down → up on PGlite)');
    try {
      const r = await rehearseFolder({ dir, down });
      const files = r.migrations.flatMap((m) => (m.file ? (m.files ?? [m.file]) : []));
      diagnostics.publish(folderUri, r.migrations, down, files);
      const problems = r.migrations.filter((m) => SEVERITY[m.status]).length;
      return { ok: problems === 0, report: r.migrations.map(line).join('') + summaryText(r.summary), problems };
    } catch (e) {
      if (e instanceof RehearsalRefused || e instanceof EngineError) return { ok: false, report: `pgdba: the rehearsal did not run: ${e.message}` };
      throw e;
    } finally {
      progress.done();
    }
  });
  return diagnostics;
}
