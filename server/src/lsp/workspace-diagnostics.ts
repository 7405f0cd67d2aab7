// workspace/diagnostic (LSP 3.17): findings for every SQL file of the workspace, not only open ones, streamed in batches without blocking typing; the request stays open until something changes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  CancellationToken,
  Connection,
  ResultProgressReporter,
  WorkDoneProgressReporter,
  WorkspaceDiagnosticParams,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticReportPartialResult,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { EditorSettings } from '../core/config';
import { Converter, lineIndexMap } from './convert';
import type { Session } from './session';

export interface WorkspaceDiagnosticsDeps {
  session: Session;
  /** URIs open in the editor: those are pulled per document. */
  openUris(): Set<string>;
  settings(folderUri: string): Promise<EditorSettings>;
  docsUrl(rule: string): string | undefined;
}

/** Quiet time after an edit before the workspace is checked again. */
const QUIET_MS = 500;

/** Files per streamed batch; between files the server yields, so edits are handled first. */
const BATCH = 25;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class WorkspaceDiagnostics {
  /** Workspace generations already reported, by root: an unchanged workspace is not checked again. */
  private readonly reported = new Map<string, number>();
  private waiting: (() => void)[] = [];

  constructor(private readonly deps: WorkspaceDiagnosticsDeps) {}

  /** Something changed (a text, a file, a setting): open workspace requests go on. */
  changed(): void {
    this.lastChange = Date.now();
    const w = this.waiting;
    this.waiting = [];
    for (const resolve of w) resolve();
  }

  /** Forgets what was reported (settings or configs changed: every file may have other findings). */
  reset(): void {
    this.reported.clear();
    this.changed();
  }

  private started = false;
  private lastChange = 0;

  /** Resolves once no change has come for QUIET_MS. */
  private async quiet(token: CancellationToken): Promise<void> {
    while (!token.isCancellationRequested && Date.now() - this.lastChange < QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS - (Date.now() - this.lastChange)));
    }
  }

  private nextChange(token: CancellationToken): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      token.onCancellationRequested(() => resolve());
    });
  }

  handle = async (
    params: WorkspaceDiagnosticParams,
    token: CancellationToken,
    progress: WorkDoneProgressReporter,
    partial: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined,
  ): Promise<WorkspaceDiagnosticReport> => {
    const { session } = this.deps;
    const due = () => session.folders.filter((root) => this.reported.get(root) !== session.workspaceAt(root).generation);
    // Long poll: the client asks again as soon as we answer; answer when there is something new.
    while (!due().length && !token.isCancellationRequested) await this.nextChange(token);
    // While the user types, wait for a pause: every keystroke would otherwise start a pass over the workspace.
    if (this.started) await this.quiet(token);
    this.started = true;
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    for (const root of due()) {
      if (token.isCancellationRequested) break;
      const settings = await this.deps.settings(pathToFileURL(root).toString());
      const workspace = session.workspaceAt(root);
      const generation = workspace.generation;
      const open = this.deps.openUris();
      const files = settings.diagnostics.scope === 'workspace' ? workspace.sqlFiles() : [];
      progress.begin('pgdba', 0, `checking ${files.length} SQL files`, true);
      for (let i = 0; i < files.length && !token.isCancellationRequested; i++) {
        const uri = pathToFileURL(join(root, files[i])).toString();
        if (open.has(uri)) continue;
        items.push(this.report(root, files[i], uri, previous.get(uri)));
        if (items.length >= BATCH && partial) partial.report({ items: items.splice(0) });
        if (i % 5 === 4) {
          progress.report(Math.round((100 * i) / files.length), `${i + 1} of ${files.length} files`);
          await tick();
        }
      }
      progress.done();
      if (!token.isCancellationRequested && workspace.generation === generation) this.reported.set(root, generation);
    }
    if (partial && items.length) partial.report({ items: items.splice(0) });
    return { items };
  };

  private report(root: string, path: string, uri: string, previousId: string | undefined): WorkspaceDocumentDiagnosticReport {
    const workspace = this.deps.session.workspaceAt(root);
    const text = workspace.text(path) ?? '';
    const findings = workspace.analyze(path);
    const convert = new Converter(lineIndexMap(text));
    const diagnostics = findings.map((f) => convert.diagnostic(f, 0, this.deps.docsUrl));
    const resultId = `${hash(text)}:${hash(JSON.stringify(diagnostics))}`;
    if (previousId === resultId) return { kind: 'unchanged', uri, version: null, resultId };
    return { kind: 'full', uri, version: null, resultId, items: diagnostics };
  }
}

/** FNV-1a, enough to tell result ids apart. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Registers the handler; returns what server.ts tells about changes. */
export function attachWorkspaceDiagnostics(connection: Connection, deps: WorkspaceDiagnosticsDeps): WorkspaceDiagnostics {
  const wd = new WorkspaceDiagnostics(deps);
  connection.languages.diagnostics.onWorkspace(wd.handle);
  return wd;
}
