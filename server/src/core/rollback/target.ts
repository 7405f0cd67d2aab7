// Where a migration's rollback goes in its tool's own convention: the paired down file, dbmate's down section, a Flyway
// U file or a sqitch revert script; and whether something is already there (which pgdba never overwrites).
import { resolveSection, type Migration, type WorkspaceFiles } from '../migrations';
import { parseSql } from '../parse/parse';

export type RollbackTarget =
  | {
      ok: true;
      path: string;
      /** For dbmate: the down section's string offsets (an empty range at the end of the file when there is no marker yet). */
      section?: { start: number; end: number };
      /** Something is already there: a down file, or a down section holding statements. */
      exists: boolean;
      /** Text to write before the rollback when the section does not exist yet (dbmate's `-- migrate:down` marker). */
      prefix?: string;
    }
  | { ok: false; reason: string };

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function fileTarget(path: string, files: WorkspaceFiles | undefined, known: boolean): RollbackTarget {
  return { ok: true, path, exists: known || (files ? files.read(path) !== undefined : false) };
}

/** Whether SQL text holds any statement (comments and blank lines do not count). */
function hasStatements(text: string): boolean {
  const p = parseSql(text);
  return p.statements.length > 0 || p.errors.length > 0;
}

/**
 * The rollback's place for `migration`. `files` (optional) lets it check the disk: without it, existence comes from
 * the layout (`migration.down`). Layouts without downs (Prisma, Supabase, numbered folders) give `ok: false` and why.
 */
export function rollbackTarget(migration: Migration, files?: WorkspaceFiles): RollbackTarget {
  const up = migration.up.path;
  const file = up.slice(up.lastIndexOf('/') + 1);
  switch (migration.layout) {
    case 'diesel':
      return fileTarget(join(migration.id, 'down.sql'), files, !!migration.down);
    case 'golang-migrate':
    case 'sqlx':
    case 'pop': {
      if (!/\.up\.sql$/.test(up))
        return { ok: false, reason: `${file} is a simple migration, which its tool never reverts: rename it to .up.sql to pair it with a .down.sql` };
      return fileTarget(migration.down?.path ?? up.replace(/\.up\.sql$/, '.down.sql'), files, !!migration.down);
    }
    case 'maragudk':
      // maragudk pairs `<x>.up.sql` with `<x>.down.sql`, whatever the character before `up`.
      return fileTarget(migration.down?.path ?? up.replace(/up\.sql$/, 'down.sql'), files, !!migration.down);
    case 'flyway': {
      const m = /^V(.+)$/.exec(file);
      if (!m) return { ok: false, reason: `${file} is a repeatable Flyway migration: Flyway has no undo for those` };
      return fileTarget(migration.down?.path ?? join(dirOf(up), `U${m[1]}`), files, !!migration.down);
    }
    case 'sqitch':
      return fileTarget(migration.down?.path ?? join(join(migration.root, 'revert'), `${migration.name}.sql`), files, !!migration.down);
    case 'dbmate': {
      const text = files?.read(up);
      if (migration.down) {
        const section = text === undefined ? { start: migration.down.start, end: migration.down.end } : resolveSection(migration.down, text);
        return { ok: true, path: up, section, exists: text === undefined ? true : hasStatements(text.slice(section.start, section.end)) };
      }
      const end = text?.length ?? 0;
      const prefix = `${text && !text.endsWith('\n') ? '\n' : ''}\n-- migrate:down\n`;
      return { ok: true, path: up, section: { start: end, end }, exists: false, prefix };
    }
    default:
      // A folder whose only migration is `000001_init.up.sql` reads as numbered until a `.down.sql` exists, yet `.up.sql`
      // is golang-migrate's and sqlx's naming: its rollback is the `.down.sql` beside it, which then pairs with it.
      if (/\.up\.sql$/.test(up)) return fileTarget(up.replace(/\.up\.sql$/, '.down.sql'), files, !!migration.down);
      return { ok: false, reason: `${migration.layout} migrations have no down files` };
  }
}
