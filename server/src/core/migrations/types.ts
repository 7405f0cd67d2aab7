// The data model of migration layout discovery: the injected file access, and the migrations found in a workspace.

/** A file in the workspace; `path` is workspace-relative with posix separators. */
export interface WorkspaceFile {
  path: string;
}

/**
 * File access injected into core (core never touches fs). Discovery lists every file and reads only the
 * few files that decide a layout: dbmate migrations (markers), sqlx migrations (`-- no-transaction`),
 * sqitch.plan, flyway `.sql.conf`, diesel `metadata.toml`, temporal `manifest.json`.
 */
export interface WorkspaceFiles {
  /** Every file, workspace-relative with posix separators. */
  list(): string[];
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /**
   * Whether the project's ignore rules (.gitignore, .git/info/exclude) leave the path out. `list()` already omits such
   * files; this answers for files that arrive another way (an open editor). Absent: nothing is ignored.
   */
  ignored?(path: string): boolean;
}

export type LayoutKind =
  'diesel' | 'golang-migrate' | 'maragudk' | 'sqlx' | 'pop' | 'dbmate' | 'flyway' | 'sqitch' | 'prisma' | 'supabase' | 'numbered' | 'plain';

/**
 * String offsets of a section inside a file. A whole file is `0..WHOLE_FILE_END` because discovery does
 * not read most files; use `resolveSection` (or plain `text.slice(start, end)`) to clamp it to the text.
 */
export interface SqlSection {
  path: string;
  start: number;
  end: number;
}

/** End offset of a section that runs to the end of its file (JSON-safe, unlike Infinity). */
export const WHOLE_FILE_END = Number.MAX_SAFE_INTEGER;

export type Transaction = 'wrapped' | 'none';

export interface Migration {
  /** Stable identity: the migration's directory (diesel, prisma) or the path of its up part. */
  id: string;
  /** Human name as written in the file or directory name, e.g. `create_users`. */
  name: string;
  /** The tool's ordering key (timestamp / version); empty for flyway repeatable migrations. */
  version: string;
  layout: LayoutKind;
  /** The migrations folder (for sqitch: the folder holding sqitch.plan). */
  root: string;
  up: SqlSection;
  /** Missing when the layout supports downs but this migration has none. */
  down?: SqlSection;
  /** Whether the layout has down migrations at all. */
  downExpected: boolean;
  /** Whether the runner wraps the up part in a transaction. */
  transaction: Transaction;
  /** Whether the runner wraps the down part in a transaction (set whenever `down` is). */
  downTransaction?: Transaction;
  /** sqitch verify script. */
  verify?: SqlSection;
}

export interface MigrationRoot {
  path: string;
  layout: LayoutKind;
}

/** A .sql file that belongs to a migration folder but never runs against PostgreSQL. */
export interface IgnoredFile {
  path: string;
  reason: string;
}

/** Something wrong with the layout itself (not with the SQL), e.g. a plan entry without its deploy script. */
export interface LayoutProblem {
  path: string;
  message: string;
}

export interface WorkspaceLayout {
  /** In apply order: roots ordered by path, then each root in its tool's order. */
  migrations: Migration[];
  /** Every other .sql file (linted as ordinary SQL). */
  plain: string[];
  roots: MigrationRoot[];
  /** Files deliberately left out: other-dialect pop files, generic pop files shadowed by a postgres one. */
  ignored: IgnoredFile[];
  problems: LayoutProblem[];
}

export type MigrationPart = 'up' | 'down' | 'verify';

/** Clamps a section to the text it was taken from. */
export function resolveSection(section: SqlSection, text: string): { start: number; end: number } {
  const start = Math.max(0, Math.min(section.start, text.length));
  return { start, end: Math.max(start, Math.min(section.end, text.length)) };
}

/** A whole-file section. */
export function wholeFile(path: string): SqlSection {
  return { path, start: 0, end: WHOLE_FILE_END };
}
