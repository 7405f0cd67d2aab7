// Names of a DBA change package: the brief id rule, the YYYYMMDD date, and the file and folder names derived from them.

/** The package folders, in manifest order; each is `<base>_<key>/`. */
export const SECTION_KEYS = ['migrations', 'perf', 'security', 'ha_dr', 'observability', 'evidence'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** A user-facing error from package handling; the CLI prints its message and exits 1. */
export class PackageError extends Error {}

const BRIEF_ID = /^[A-Za-z0-9_-]+$/;
const BRIEF_ID_MAX = 64;

/** Why `id` is not a usable brief id, or undefined when it is. Ids become file names, so only ASCII letters, digits, '-' and '_'. */
export function briefIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'the brief id is empty: use letters, digits, "-" and "_" only';
  if (id.length > BRIEF_ID_MAX) return `the brief id is ${id.length} characters long: use at most ${BRIEF_ID_MAX}`;
  if (BRIEF_ID.test(id)) return undefined;
  const bad = [...id].find((ch) => !BRIEF_ID.test(ch)) ?? '';
  const shown = /\s/.test(bad) || bad < ' ' ? JSON.stringify(bad) : `"${bad}"`;
  return `invalid brief id ${JSON.stringify(id)}: ${shown} at position ${id.indexOf(bad) + 1} is not allowed; use letters, digits, "-" and "_" only`;
}

/** Throws a PackageError when `id` is not a usable brief id. */
export function assertBriefId(id: string): void {
  const problem = briefIdProblem(id);
  if (problem) throw new PackageError(problem);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `20250131` → `2025-01-31`; throws a PackageError for anything that is not a real YYYYMMDD date. */
export function isoFromCompact(compact: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(compact);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new PackageError(`the date must be a real date written YYYYMMDD (e.g. 20250131), got ${JSON.stringify(compact)}`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return !!m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The local calendar date of `now` as YYYYMMDD (a package is named for the day its author works in). */
export function compactDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
}

export interface PackageLayout {
  /** `DBA_<BriefID>_<YYYYMMDD>` */
  base: string;
  /** `<base>_DB_SPEC.md` */
  spec: string;
  /** `<base>_package.json` */
  manifest: string;
  /** `<base>_<key>` for each section. */
  folders: Record<SectionKey, string>;
  /** `<base>_migrations/rollback` */
  rollback: string;
}

/** File and folder names of the package for a brief id and a YYYYMMDD date, relative to the package's directory. */
export function packageLayout(briefId: string, compact: string): PackageLayout {
  const base = `DBA_${briefId}_${compact}`;
  const folders = Object.fromEntries(SECTION_KEYS.map((k) => [k, `${base}_${k}`])) as Record<SectionKey, string>;
  return { base, spec: `${base}_DB_SPEC.md`, manifest: `${base}_package.json`, folders, rollback: `${folders.migrations}/rollback` };
}

/**
 * True when `p` is a '/'-separated path that stays inside the package directory:
 * not absolute, no drive letter, no backslash, and no '', '.' or '..' segment.
 */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.includes('\\') || p.includes('\0') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
