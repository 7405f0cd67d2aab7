// The data model of query observability: pg_stat_statements rows, table and index statistics, and where statements live in the workspace.

/** One normalised statement of pg_stat_statements, summed over users for the current database (times in ms). */
export interface StatRow {
  queryid: string;
  /** The normalised text (constants as $1…), or '' when the role may not read other users' texts. */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  tempBlksRead: number;
  tempBlksWritten: number;
}

/** Where a statement with a given fingerprint sits in the workspace. */
export interface StatementLocation {
  /** Workspace-relative posix path. */
  file: string;
  /** 1-based line of the statement's first character. */
  line: number;
  /** String offsets of the statement in the file. */
  start: number;
  end: number;
  /** Inside a function, procedure or DO body (pg_stat_statements sees these only with pg_stat_statements.track = all). */
  inBody: boolean;
}

/** A pg_stat_statements row with the workspace statements it came from (none: not in this workspace). */
export interface MappedQuery extends StatRow {
  locations: StatementLocation[];
  /** Share of the database's total execution time, 0…1. */
  share: number;
}

/** Cumulative statistics of one table (pg_stat_user_tables). */
export interface TableStats {
  schema: string;
  name: string;
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  liveTuples: number;
  deadTuples: number;
  /** Rows changed since the table was last analysed. */
  modsSinceAnalyze: number;
  lastVacuum?: string;
  lastAutovacuum?: string;
  lastAnalyze?: string;
  lastAutoanalyze?: string;
  /** The dead-tuple count at which autovacuum starts on this table (threshold + scale factor × reltuples). */
  autovacuumThreshold: number;
}

/** Cumulative statistics of one index (pg_stat_user_indexes), with whether it backs a constraint. */
export interface IndexStats {
  schema: string;
  table: string;
  name: string;
  idxScan: number;
  sizeBytes: number;
  /** Primary key, unique or exclusion indexes are needed even when never scanned. */
  enforcesConstraint: boolean;
}

/** What the database said about its own statistics. */
export interface Observation {
  /** `PostgreSQL 15 at app@localhost:5432/app`. */
  source: string;
  serverVersion: number;
  queries: StatRow[];
  /** Sum of total execution time over every statement of the database (the base of `share`). */
  totalMs: number;
  tables: TableStats[];
  indexes: IndexStats[];
  /** When the statistics were last reset (pg_stat_statements_info, PG 14+), ISO text. */
  statsReset?: string;
  /** Why some of the picture is missing (texts hidden, extension missing); each names what to do. */
  notes: string[];
}
