// Types shared by the PGlite build and its cache.

export interface Migration {
  /** A stable name, e.g. the migration's path relative to the workspace. */
  id: string;
  sql: string;
  /**
   * 'schema': a schema file, whose statement order pgdba guesses (see SchemaSource.kind); 'platform': what the project's
   * hosting platform makes before its first migration (see platformPrelude); default a migration.
   */
  kind?: 'migration' | 'schema' | 'platform';
}

/** A migration statement PGlite could not run, and why; the build goes on without it. */
export interface SkippedStatement {
  migration: string;
  /** String offsets of the statement (or of the unparsable text) inside the migration. */
  start: number;
  end: number;
  /** The statement's first line, shortened, for reports. */
  excerpt: string;
  reason: string;
  sqlstate?: string;
}
