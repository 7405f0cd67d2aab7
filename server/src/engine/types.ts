// The one interface through which pgdba talks to a database: a dev PostgreSQL (pg) or an embedded PGlite.

export type EngineKind = 'pg' | 'pglite';

export interface QueryResult<T = Record<string, unknown>> {
  rows: T[];
}

export interface ExplainOptions {
  /** Run EXPLAIN ANALYZE. Always inside BEGIN … ROLLBACK, so even an UPDATE leaves the data unchanged. */
  analyze?: boolean;
  /** Values for $1…; without them a parameterised statement gets a generic plan (and cannot be analysed). */
  params?: unknown[];
  /** Overrides the engine's statement_timeout for this call (ms). */
  timeoutMs?: number;
}

export interface ExplainOutcome {
  /** The parsed `EXPLAIN (FORMAT JSON)` document: an array with one object holding `Plan`. */
  json: unknown;
  analyzed: boolean;
  /** How a statement with $n parameters was planned: not at all, with GENERIC_PLAN (PG 16+), or via PREPARE + EXPLAIN EXECUTE. */
  generic: 'none' | 'generic-plan' | 'prepared';
  engine: EngineKind;
  /** server_version_num, e.g. 150018. */
  serverVersion: number;
  elapsedMs: number;
}

/** One statement inside `Engine.readOnly`. */
export type ReadOnlyQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<QueryResult<T>>;

export interface Engine {
  readonly kind: EngineKind;
  /** A human label for messages, e.g. `postgres@127.0.0.1:5432/app` or `PGlite (embedded)`. */
  readonly label: string;
  /** Runs one statement (extended protocol) under the engine's statement_timeout. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of one or more statements (simple protocol). */
  exec(sql: string): Promise<void>;
  /** Plans one statement; see ExplainOptions for the safety rules. */
  explain(sql: string, opts?: ExplainOptions): Promise<ExplainOutcome>;
  /** server_version_num, e.g. 150018 or 180006. */
  serverVersion(): Promise<number>;
  /**
   * Runs `body`'s queries in one READ ONLY transaction under the statement_timeout, rolled back at the end, with the
   * connection held so nothing else runs in between (as EXPLAIN does). The pg engine only: statistics reads use it.
   */
  readOnly?<T>(body: (query: ReadOnlyQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
