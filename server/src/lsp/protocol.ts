// Custom LSP methods between the pgdba client and server (pgdba/<name>), with their parameter and result types.
// It imports only vscode-languageserver-protocol (shared by vscode-languageclient and vscode-languageserver), never server code:
// the client bundles this file too (client/src imports it by path; test/architecture.test.ts keeps it that way).
import { RequestType, RequestType0, NotificationType, type Diagnostic } from 'vscode-languageserver-protocol';

/** pgdba/status: the server tells the client what it is doing and how many findings it holds (for the status bar). */
export interface StatusParams {
  state: 'ready' | 'analysing' | 'error';
  findings: number;
  errors: number;
  engine?: string;
  /** What the engine is doing, e.g. `Building PGlite from 342 migrations… (120/342)`. */
  message?: string;
  /** While PGlite applies the migrations (state `analysing`): how many of how many are in. */
  progress?: { done: number; total: number };
}
export const statusNotification = new NotificationType<StatusParams>('pgdba/status');

/** pgdba/rules: the rule list with metadata (for the rules quick pick and docs). */
export interface RuleSummary {
  id: string;
  category: string;
  severity: string;
  summary: string;
  help: string;
  docsUrl?: string;
}
// RequestType0: the client sends no params (a RequestType<void> would make the server demand one).
export const rulesRequest = new RequestType0<RuleSummary[], void>('pgdba/rules');

/** pgdba/ruleDocs: the markdown documentation of one rule. */
export const ruleDocsRequest = new RequestType<{ rule: string }, string | null, void>('pgdba/ruleDocs');

/** pgdba/password (server → client): the password VS Code SecretStorage holds for a dev database, or null. Never read from settings. */
export interface PasswordParams {
  /** `user@host:port/database`, the key the secret is stored under. */
  target: string;
  /** The workspace folder the connection is for. */
  folderUri?: string;
}
export const passwordRequest = new RequestType<PasswordParams, string | null, void>('pgdba/password');

/** pgdba/passwordChanged (client → server): a stored password changed; connections to that target are made again. */
export const passwordChangedNotification = new NotificationType<{ target: string }>('pgdba/passwordChanged');

/** pgdba/databaseTargets: the dev databases the workspace folders are configured for (for "pgdba: Set database password"). */
export interface DatabaseTarget {
  folderUri: string;
  target: string;
  /** Where the connection is configured: `settings` (pgdba.database.url) or the pgdba.json path. */
  source: string;
}
export const databaseTargetsRequest = new RequestType0<DatabaseTarget[], void>('pgdba/databaseTargets');

/** pgdba/explain: EXPLAIN (or EXPLAIN ANALYZE, rolled back) of the statement at a position, for the commands and the plan view. */
export interface ExplainParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
  analyze?: boolean;
  /** The user confirmed analysing a statement that changes data (it is rolled back either way). */
  confirmed?: boolean;
  /** Plan again even when the plan cache has the statement. */
  fresh?: boolean;
  /** When given, the result carries the plan view page, whose CSP admits only this nonce (fresh per page). */
  webview?: { nonce: string };
}
export type ExplainResult =
  | {
      kind: 'plan';
      /** The statement's text and where it starts. */
      statement: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      source: string;
      analyzed: boolean;
      /** The raw EXPLAIN (FORMAT JSON) document: what explain.dalibo.com and other plan viewers read. */
      json: unknown;
      /** Statement, engine and the PostgreSQL-style plan text with the findings. */
      text: string;
      markdown: string;
      html?: string;
      /** A file name stem for saving, e.g. `orders-explain`. */
      suggestedName: string;
      findings: number;
      cached: boolean;
    }
  | { kind: 'confirm'; message: string }
  | { kind: 'error'; message: string };
export const explainRequest = new RequestType<ExplainParams, ExplainResult, void>('pgdba/explain');

/**
 * pgdba/planHover: the plan section of a hover, asked apart from textDocument/hover by a client that sent
 * `initializationOptions.planHover = 'separate'` (its textDocument/hover then leaves the plan out). VS Code shows the
 * other hover parts at once and this one in place when it resolves: while PGlite builds, the request waits for it (until
 * the pointer leaves and the request is cancelled, or a bound passes), so the first plan appears without hovering again.
 * Null: no plan for this position.
 */
export const planHoverRequest = new RequestType<{ textDocument: { uri: string }; position: { line: number; character: number } }, string | null, void>(
  'pgdba/planHover',
);

/** What the client tells the server at initialize (LSP initializationOptions). */
export interface PgdbaInitializationOptions {
  /** `separate`: the client asks for the plan with pgdba/planHover, so textDocument/hover leaves it out. */
  planHover?: 'separate';
}

/** Commands the hover's plan preview links to (command URIs; the client trusts exactly these in hover markdown). */
export const OPEN_PLAN_COMMAND = 'pgdba.openPlan';
export const EXPLAIN_ANALYZE_COMMAND = 'pgdba.explainAnalyzeStatement';

/** Runs after a suppression quick fix: puts the cursor after `reason: ` in the inserted comment. Arguments: uri, position. */
export const TYPE_SUPPRESSION_REASON_COMMAND = 'pgdba.typeSuppressionReason';

/** pgdba/traceLocks: runs the document's migration in a rolled-back transaction and shows the locks as inlay hints. */
export interface TraceLocksResult {
  ok: boolean;
  message: string;
}
export const traceLocksRequest = new RequestType<{ uri: string }, TraceLocksResult, void>('pgdba/traceLocks');

/** pgdba/newPackage: scaffolds DBA_<BriefID>_<YYYYMMDD> in a folder (never over an existing one) with the folder's security posture. */
export interface NewPackageResult {
  ok: boolean;
  message: string;
  specUri?: string;
}
export interface NewPackageParams {
  folderUri: string;
  briefId: string;
  date?: string;
  /** Where the package goes, relative to the folder (the editor proposes `dba`); default: the folder itself. */
  dir?: string;
}
export const newPackageRequest = new RequestType<NewPackageParams, NewPackageResult, void>('pgdba/newPackage');

/** pgdba/sealPackage: records the hash of every file a package's manifest lists (as `pgdba package seal`). */
export interface SealPackageResult {
  ok: boolean;
  message: string;
}
export const sealPackageRequest = new RequestType<{ manifestUri: string }, SealPackageResult, void>('pgdba/sealPackage');

/** pgdba/generateRollback: the generated down migration of an up file and where it goes (the client writes it, never over an existing one). */
export interface GenerateRollbackResult {
  ok: boolean;
  message: string;
  sql?: string;
  /** One line per irreversible or doubtful statement. */
  warnings?: string[];
  target?: { uri: string; exists: boolean; sectionOffset?: number; prefix?: string };
}
export const generateRollbackRequest = new RequestType<{ uri: string }, GenerateRollbackResult, void>('pgdba/generateRollback');

/** pgdba/rehearse: rehearses a folder's migrations (its own down files, or generated ones), returns the text report and publishes the failures as diagnostics. */
export interface RehearseResult {
  ok: boolean;
  report: string;
  /** How many migrations failed (each is a diagnostic on its down file, or on its up file). */
  problems?: number;
}
export const rehearseRequest = new RequestType<{ folderUri: string; down: 'files' | 'generated' }, RehearseResult, void>('pgdba/rehearse');

/** One statement of "pgdba: Top queries": pg_stat_statements figures and where the statement is (absent: not in this workspace). */
export interface TopQueryItem {
  queryid: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
  /** Share of the database's execution time, 0…1. */
  share: number;
  /** The code lens text, e.g. `12,034 calls · mean 3.2 ms · 7 % of DB time`. */
  title: string;
  location?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
  /** How many more workspace statements share the fingerprint. */
  more: number;
}

/** One table's statistics, for the view (there is no table hover; findings go to the CREATE TABLE / CREATE INDEX). */
export interface TableStatsItem {
  name: string;
  summary: string;
}

/** What a folder's dev database said, or why it said nothing (the message gives the exact steps). */
export interface FolderQueryStats {
  folderUri: string;
  ok: boolean;
  message?: string;
  source?: string;
  /** ISO time of the fetch. */
  fetchedAt?: string;
  queries: TopQueryItem[];
  tables: TableStatsItem[];
  notes: string[];
}

/**
 * pgdba/queryStats: pg_stat_statements of each folder's dev database, mapped to the workspace (for the "pgdba: Top
 * queries" view). `refresh` reads the database again (then code lenses and statistics findings are refreshed too);
 * otherwise the last reading is returned.
 */
export interface QueryStatsParams {
  refresh?: boolean;
}
export const queryStatsRequest = new RequestType<QueryStatsParams, FolderQueryStats[], void>('pgdba/queryStats');

/**
 * pgdba/statsDiagnostics (server → client): information findings from table and index statistics (indexes never
 * scanned, tables read by sequential scans, dead tuples) for one file; an empty list clears it. Pushed, in a
 * collection of their own: they come from the database, not from the file's text.
 */
export const statsDiagnosticsNotification = new NotificationType<{ uri: string; diagnostics: Diagnostic[] }>('pgdba/statsDiagnostics');

/** The command a query-statistics code lens runs: reveals the statement in "pgdba: Top queries". */
export const SHOW_TOP_QUERIES_COMMAND = 'pgdba.showTopQueries';
