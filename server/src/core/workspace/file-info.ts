// What a file is within the workspace: a migration part (and which migration), or plain SQL.
import type { Migration, SqlSection } from '../migrations';
import type { ParsedSql } from '../parse/parse';
import type { LeftoverReport } from '../rollback/leftovers';

export type FileRole = 'migration-up' | 'migration-down' | 'migration-verify' | 'plain';

export interface FileInfo {
  /** Workspace-relative path with posix separators (or an absolute path / URI for files outside a workspace). */
  path: string;
  role: FileRole;
  /** The migration this file (or section) belongs to. */
  migration?: Migration;
  /** For single-file layouts (dbmate): string offsets of the part being analysed. */
  section?: { start: number; end: number };
  /** Whether the migration runner wraps this file in a transaction. */
  transaction: 'wrapped' | 'none';
  /**
   * The parse of the file holding another part of this migration (e.g. the down part of an up part), so rules can
   * look at it without doing I/O. Set by the workspace; keep only the statements inside `section`.
   */
  readPart?(section: SqlSection): ParsedSql | undefined;
  /**
   * For an up part: what its migration's hand-written down leaves different from the schema before the up (partial
   * rollbacks); undefined when the migration has no down with statements. Set by the workspace, computed on demand.
   */
  leftovers?(): LeftoverReport | undefined;
}

export function isMigration(info: FileInfo): boolean {
  return info.role !== 'plain';
}
