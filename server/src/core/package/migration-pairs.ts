// Pairs a chosen up migration with its down migration by the usual tool conventions, and names both inside the package.

/** '/'-separated path helpers (core stays free of node:path so it runs anywhere). */
function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/**
 * Where the down migration of `upPath` would be, most likely first:
 * - diesel and friends: `<dir>/up.sql` → `<dir>/down.sql`
 * - golang-migrate, ory/pop, atlas: `<name>.up.sql` → `<name>.down.sql` (also `<name>.postgres.up.sql`)
 * A dbmate file keeps its down section inside itself (core/migrations `sectionOf`).
 * This is the fallback for files that layout discovery (core/migrations) does not recognise as a migration.
 */
export function downFileCandidates(upPath: string): string[] {
  const dir = dirName(upPath);
  const name = baseName(upPath);
  if (name === 'up.sql') return [join(dir, 'down.sql')];
  const m = /^(.*)([._-])up\.sql$/i.exec(name);
  if (m) return [join(dir, `${m[1]}${m[2]}down.sql`)];
  return [];
}

export interface PackagedNames {
  /** File name in `<base>_migrations/`. */
  up: string;
  /** File name in `<base>_migrations/rollback/`. */
  down: string;
}

/**
 * Names of the copies inside the package. Diesel folders hold files all called up.sql, so the folder's name
 * (the migration's version and name) becomes the file name; other files keep theirs.
 */
export function packagedNames(upPath: string): PackagedNames {
  const name = baseName(upPath);
  if (name === 'up.sql') {
    const folder = baseName(dirName(upPath)) || 'migration';
    return { up: `${folder}.up.sql`, down: `${folder}.down.sql` };
  }
  const m = /^(.*)([._-])up\.sql$/i.exec(name);
  if (m) return { up: name, down: `${m[1]}${m[2]}down.sql` };
  const stem = name.replace(/\.sql$/i, '');
  return { up: name, down: `${stem}.down.sql` };
}
