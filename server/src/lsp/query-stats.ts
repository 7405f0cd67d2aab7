// Query statistics in the language server: reads pg_stat_statements and table/index statistics per folder, maps them to the
// workspace, and serves the "Top queries" view, the code lenses and the statistics findings (pushed in their own collection).
import { join } from 'node:path';
import { CodeLensRefreshRequest, DiagnosticSeverity, type Connection, type Diagnostic, type InitializeParams } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { statsFindings } from '../core/observe/findings';
import { fileStatements, indexWorkspace, type ParsedFiles } from '../core/observe/fingerprints';
import { figuresByFingerprint, fingerprinter, formatCount, lensTitle, mapQueries, orderRows, type QueryFigures } from '../core/observe/map';
import type { Observation, StatementLocation, TableStats } from '../core/observe/types';
import { EngineError, fetchObservation } from '../engine';
import { Converter, lineIndexMap } from './convert';
import type { ExplainFeature } from './explain';
import { queryStatsRequest, statsDiagnosticsNotification, type FolderQueryStats, type TableStatsItem, type TopQueryItem } from './protocol';
import type { Session } from './session';

/** What one folder's last reading gave (its lens figures are kept apart: they are ready before the view is). */
interface FolderState {
  view: FolderQueryStats;
  /** The statistics findings by file URI (pushed; the next reading clears the files it no longer names). */
  diagnostics: Map<string, Diagnostic[]>;
}

/** Row texts already fingerprinted are kept between readings; past this many distinct texts the memo starts again. */
const MEMO_LIMIT = 50_000;

export class QueryStatsFeature {
  private readonly folders = new Map<string, FolderState>();
  private readonly lensFigures = new Map<string, Map<string, QueryFigures>>();
  private readonly fetching = new Map<string, Promise<FolderState>>();
  private readonly memo = new Map<string, string | undefined>();
  private lensRefresh = false;

  constructor(
    private readonly connection: Connection,
    private readonly session: Session,
    private readonly explain: ExplainFeature,
  ) {
    connection.onRequest(queryStatsRequest, async ({ refresh }) => {
      const roots = this.session.folders;
      const states = await Promise.all(
        roots.map((root) => (refresh || !this.folders.has(root) ? this.refresh(root) : Promise.resolve(this.folders.get(root) as FolderState))),
      );
      return states.map((s) => s.view);
    });
  }

  initialize(params: InitializeParams): void {
    this.lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  }

  /** The figures for a folder's code lenses; the first request for a folder with a dev database starts a reading. */
  figures(root: string, docUri: string): Map<string, QueryFigures> | undefined {
    const figures = this.lensFigures.get(root);
    if (figures) return figures;
    if (!this.fetching.has(root)) {
      void this.explain.choice(root, docUri).then((choice) => {
        if (choice.kind === 'pg' && !this.lensFigures.has(root)) void this.refresh(root);
      });
    }
    return undefined;
  }

  /** Reads the folder's database again (one reading at a time per folder). */
  refresh(root: string): Promise<FolderState> {
    let p = this.fetching.get(root);
    if (!p) {
      p = this.read(root).finally(() => this.fetching.delete(root));
      this.fetching.set(root, p);
    }
    return p;
  }

  private async read(root: string): Promise<FolderState> {
    const folderUri = this.explain.scopeUri(root);
    const settings = await this.explain.settings.get(folderUri);
    let state: FolderState;
    try {
      const choice = await this.explain.choice(root);
      if (choice.kind !== 'pg') {
        throw new EngineError(
          'other',
          'Query statistics need a dev database: set pgdba.database.url (or "database" in pgdba.json). The embedded PGlite has no pg_stat_statements.',
        );
      }
      const ready = await this.explain.engines.engine(root, choice);
      const ws = this.session.locate(URI.file(root).toString())?.workspace;
      // The workspace's statements are fingerprinted while the statistics are read (a network wait), in slices that
      // leave the server answering requests: once the rows arrive, the lenses need only the rows' fingerprints.
      const indexing = indexInSlices(ws ?? NO_FILES);
      indexing.catch(() => undefined); // awaited below; a failed reading must not leave it an unhandled rejection
      const obs = await fetchObservation(ready.engine, ready.label);
      if (this.memo.size > MEMO_LIMIT) this.memo.clear();
      const fingerprint = fingerprinter(this.memo);
      this.showLenses(root, figuresByFingerprint(obs.queries, obs.totalMs, fingerprint));
      state = this.build(root, folderUri, obs, settings.queryStats.limit, await indexing, fingerprint);
    } catch (err) {
      const message = err instanceof EngineError ? err.message : `Query statistics failed: ${(err as Error)?.message ?? String(err)}`;
      state = { view: { folderUri, ok: false, message, queries: [], tables: [], notes: [] }, diagnostics: new Map() };
      this.showLenses(root, new Map());
    }
    this.publish(root, state);
    this.folders.set(root, state);
    return state;
  }

  /** New figures for the folder's code lenses, and a request that the client ask for them again. */
  private showLenses(root: string, figures: Map<string, QueryFigures>): void {
    this.lensFigures.set(root, figures);
    if (this.lensRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private build(
    root: string,
    folderUri: string,
    obs: Observation,
    limit: number,
    index: Map<string, StatementLocation[]>,
    fingerprint: (sql: string) => string | undefined,
  ): FolderState {
    const ws = this.session.locate(URI.file(root).toString())?.workspace;
    const files = ws ?? NO_FILES;
    const top = mapQueries(orderRows(obs.queries, 'total').slice(0, limit), index, obs.totalMs, fingerprint);
    const queries: TopQueryItem[] = top.map((q) => {
      const first = q.locations[0];
      const text = first && ws?.text(first.file);
      const location =
        first && text !== undefined
          ? { uri: URI.file(join(root, first.file)).toString(), range: new Converter(lineIndexMap(text)).range(first.start, first.end) }
          : undefined;
      const { queryid, query, calls, totalMs, meanMs, maxMs, rows, share } = q;
      return {
        queryid,
        query,
        calls,
        totalMs,
        meanMs,
        maxMs,
        rows,
        share,
        title: lensTitle({ calls, totalMs, maxMs, rows, share, queryids: [queryid] }),
        location,
        more: Math.max(0, q.locations.length - 1),
      };
    });
    const tables = [...obs.tables]
      .sort((a, b) => b.seqTupRead - a.seqTupRead || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map(tableItem);
    const state: FolderState = {
      view: { folderUri, ok: true, source: obs.source, fetchedAt: new Date().toISOString(), queries, tables, notes: obs.notes },
      diagnostics: new Map(),
    };
    for (const f of statsFindings(obs, files)) {
      const text = ws?.text(f.file);
      if (text === undefined) continue;
      const uri = URI.file(join(root, f.file)).toString();
      const d: Diagnostic = {
        range: new Converter(lineIndexMap(text)).range(f.start, f.end),
        severity: DiagnosticSeverity.Information,
        source: 'pgdba statistics',
        code: f.code,
        message: f.message,
      };
      state.diagnostics.set(uri, [...(state.diagnostics.get(uri) ?? []), d]);
    }
    return state;
  }

  /** Replaces the folder's pushed statistics findings with the new reading's. */
  private publish(root: string, next: FolderState): void {
    const before = this.folders.get(root)?.diagnostics ?? new Map<string, Diagnostic[]>();
    for (const uri of before.keys())
      if (!next.diagnostics.has(uri)) void this.connection.sendNotification(statsDiagnosticsNotification, { uri, diagnostics: [] });
    for (const [uri, diagnostics] of next.diagnostics) void this.connection.sendNotification(statsDiagnosticsNotification, { uri, diagnostics });
  }
}

const NO_FILES: ParsedFiles = { sqlFiles: () => [], parsed: () => undefined };

/** A slice of work this long, then the event loop answers what is waiting (hover, completion, code lens) before the next. */
const SLICE_MS = 10;

/** indexWorkspace, with each file's statements fingerprinted (and cached with its parse) in slices between other requests. */
async function indexInSlices(files: ParsedFiles): Promise<Map<string, StatementLocation[]>> {
  let since = performance.now();
  for (const path of files.sqlFiles()) {
    const parsed = files.parsed(path);
    if (parsed) fileStatements(path, parsed);
    if (performance.now() - since < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  }
  return indexWorkspace(files); // every file's statements are cached with its parse: this only collects them
}

function tableItem(t: TableStats): TableStatsItem {
  const vacuum = t.lastAutovacuum ?? t.lastVacuum;
  return {
    name: t.schema === 'public' ? t.name : `${t.schema}.${t.name}`,
    summary: `${formatCount(t.liveTuples)} rows · ${formatCount(t.seqScan)} seq scans (${formatCount(t.seqTupRead)} rows read) · ${formatCount(t.idxScan)} index scans · ${formatCount(t.deadTuples)} dead · vacuumed ${vacuum ?? 'never'}`,
  };
}
