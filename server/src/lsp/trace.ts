// "pgdba: Trace locks" in the language server: traces a migration on PGlite (earlier migrations applied) or the dev
// database (rolled back), keeps the result per document version and shows it as inlay hints on each statement.
import type { Connection, InlayHint, InlayHintParams } from 'vscode-languageserver/node';
import { InlayHintKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configuredProjects, projectFiles } from '../node/projects';
import { traceInputs } from '../engine/trace-inputs';
import { buildPgliteFromMigrations, defaultPgliteCacheDir, EngineError, workspaceMigrations, type Engine } from '../engine';
import { lockModeName, traceStatements, type TracedStatement } from '../engine/trace';
import { Converter } from './convert';
import type { ExplainFeature } from './explain';
import { traceLocksRequest, type TraceLocksResult } from './protocol';
import type { Session } from './session';

export function hintsFor(document: TextDocument, traced: TracedStatement[]): InlayHint[] {
  const convert = new Converter(document);
  const text = document.getText();
  const hints: InlayHint[] = [];
  for (const t of traced) {
    const lineEnd = text.indexOf('\n', t.start);
    // At the end of the statement's first line, where it does not cover the code.
    const at = convert.position(lineEnd < 0 ? text.length : lineEnd);
    let label: string;
    if (t.status === 'skipped') label = '⏭ not traced';
    else if (t.status === 'error') label = `✖ ${t.error?.message ?? 'failed'}`;
    else if (!t.locks.length && !t.rewritten.length) label = '🔓 no new locks';
    else label = ['🔒', t.locks.map((l) => `${lockModeName(l.mode)} ${l.relation}`).join(', '), ...t.rewritten.map((r) => `· rewrites ${r}`)].join(' ');
    const tooltip =
      t.status === 'skipped' ? t.note : t.locks.map((l) => `${lockModeName(l.mode)} on ${l.relation}: blocks ${l.blocks}`).join('\n') || undefined;
    hints.push({ position: at, label: ` ${label}`, kind: InlayHintKind.Type, paddingLeft: true, tooltip });
  }
  return hints;
}

/** `1 statement`, `3 statements`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Where a PGlite trace ran: the migrations applied before this one, in apply order. */
export function pgliteTraceTarget(earlier: number): string {
  return earlier ? `PGlite after the ${count(earlier, 'earlier migration')} (in apply order)` : 'an empty PGlite';
}

/** The one-line result of a lock trace (the client adds the "pgdba:" prefix). */
export function traceSummary(traced: readonly TracedStatement[], where: string): string {
  const strong = traced.filter((t) => t.locks.some((l) => l.mode === 'AccessExclusiveLock')).length;
  const rewrites = traced.reduce((n, t) => n + t.rewritten.length, 0);
  const failed = traced.filter((t) => t.status === 'error').length;
  const parts = [`${strong} take${strong === 1 ? 's' : ''} ACCESS EXCLUSIVE`, count(rewrites, 'rewrite'), ...(failed ? [`${failed} failed`] : [])];
  return `Traced ${count(traced.length, 'statement')} on ${where}, rolled back: ${parts.join(', ')}.`;
}

export function attachTrace(
  connection: Connection,
  session: Session,
  explain: ExplainFeature,
  document: (uri: string) => TextDocument | undefined,
  cacheDir: (root: string) => string | undefined = defaultPgliteCacheDir,
): void {
  const results = new Map<string, { version: number; traced: TracedStatement[] }>();

  connection.onRequest(traceLocksRequest, async ({ uri }): Promise<TraceLocksResult> => {
    const doc = document(uri);
    const at = session.locate(uri);
    if (!doc || !at) return { ok: false, message: 'Open the migration file first.' };
    const part = at.workspace.fileParts(at.path).find((p) => p.role === 'migration-up' || p.role === 'plain');
    const parsed = at.workspace.parsed(at.path);
    if (!part || !parsed) return { ok: false, message: 'This file is not an up migration or SQL file pgdba knows.' };
    if (parsed.errors.length) return { ok: false, message: `Fix the syntax error first: ${parsed.errors[0].message}` };
    const statements = parsed.statements.filter((s) => !part.section || (s.start >= part.section.start && s.start < part.section.end));
    let engine: Engine | undefined;
    let close = false;
    try {
      const choice = await explain.choice(at.root, uri);
      let where: string;
      if (choice.kind === 'pg') {
        const ready = await explain.engines.engine(at.root, choice);
        engine = ready.engine;
        where = ready.label;
      } else {
        // The migrations before this one, so the trace sees the tables as they are when it runs.
        const all = workspaceMigrations(projectFiles(at.root, session.configs), { forPath: at.path, projects: configuredProjects(at.root, session.configs) });
        const index = part.migration ? all.findIndex((m) => m.id === part.migration?.id) : -1;
        const earlier = index >= 0 ? all.slice(0, index) : part.migration ? all : [];
        const progress = await connection.window.createWorkDoneProgress();
        progress.begin('pgdba: building PGlite for the lock trace', undefined, `from ${count(earlier.length, 'earlier migration')}`);
        try {
          const build = await buildPgliteFromMigrations(earlier, { cacheDir: cacheDir(at.root), statementTimeoutMs: choice.statementTimeoutMs });
          engine = build.engine;
          close = true;
          where = pgliteTraceTarget(earlier.length);
        } finally {
          progress.done();
        }
      }
      const traced = await traceStatements(engine, traceInputs(statements));
      results.set(uri, { version: doc.version, traced });
      connection.languages.inlayHint.refresh().catch(() => undefined);
      return { ok: true, message: traceSummary(traced, where) };
    } catch (e) {
      if (e instanceof EngineError) return { ok: false, message: `The lock trace could not run: ${e.message}` };
      throw e;
    } finally {
      if (close) await engine?.close();
    }
  });

  connection.languages.inlayHint.on((params: InlayHintParams) => {
    const doc = document(params.textDocument.uri);
    const r = results.get(params.textDocument.uri);
    // Hints belong to the text that was traced: an edit makes them stale until the next trace.
    if (!doc || !r || r.version !== doc.version) return [];
    return hintsFor(doc, r.traced);
  });
}
