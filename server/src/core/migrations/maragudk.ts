// maragudk/migrate folders: `<name>.up.sql` / `<name>.down.sql`, where the separator before up/down is any character.
import { basename, isSqlFile, join, type Discovery } from './tree';
import { wholeFile, type Migration } from './types';

// maragudk/migrate matches `^([\w-]+).up.sql$` and `^([\w-]+).down.sql$` with unescaped dots (migrate.go), so
// `0021_name_up.sql` is an up and `0021_name_down.sql` its down; the captured prefix pairs them. We take `.`, `_` and
// `-` as the separator only: `cleanup.sql` matches the tool's pattern too, but nobody means it as a migration.
const MARAGUDK = /^([\w-]+)[._-]up\.sql$|^([\w-]+)[._-]down\.sql$/;
// Names only maragudk reads: an unnamed version (`0157.up.sql`) or a versioned name ending `_up.sql` / `-down.sql`.
const ONLY_MARAGUDK = /^\d+[._-](up|down)\.sql$|^\d+[_-][\w-]*[_-](up|down)\.sql$/;

interface Named {
  path: string;
  key: string;
  direction: 'up' | 'down';
}

function parse(dir: string, file: string): Named | undefined {
  const m = MARAGUDK.exec(file);
  if (!m) return undefined;
  return m[1] !== undefined ? { path: join(dir, file), key: m[1], direction: 'up' } : { path: join(dir, file), key: m[2], direction: 'down' };
}

/** A folder is maragudk's when it holds a name only maragudk reads: an unnamed `0157.up.sql` or a `_up.sql` suffix. */
function isMaragudk(files: Named[]): boolean {
  return files.some((f) => ONLY_MARAGUDK.test(basename(f.path)));
}

/** Splits `0021_add_users` into version `0021` and name `add_users` (the whole key when it has no leading digits). */
function versionAndName(key: string): { version: string; name: string } {
  const m = /^(\d+)[_-]?(.*)$/.exec(key);
  return m ? { version: m[1], name: m[2] } : { version: key, name: key };
}

/** Claims maragudk/migrate folders. Its runner applies ups in file-name order, each in its own transaction. */
export function detectMaragudk(d: Discovery): void {
  for (const dir of d.directories()) {
    const files = d
      .unclaimedIn(dir)
      .filter(isSqlFile)
      .map((n) => parse(dir, n))
      .filter((f): f is Named => f !== undefined);
    if (!isMaragudk(files)) continue;
    const downs = new Map<string, Named>();
    for (const f of files) if (f.direction === 'down') downs.set(f.key, f);
    const ups = files.filter((f) => f.direction === 'up').sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const migrations: Migration[] = [];
    for (const up of ups) {
      const down = downs.get(up.key);
      downs.delete(up.key);
      d.claim(up.path, down?.path);
      migrations.push({
        id: up.path,
        ...versionAndName(up.key),
        layout: 'maragudk',
        root: dir,
        up: wholeFile(up.path),
        ...(down ? { down: wholeFile(down.path), downTransaction: 'wrapped' as const } : {}),
        downExpected: true,
        transaction: 'wrapped',
      });
    }
    for (const orphan of downs.values()) {
      d.claim(orphan.path);
      d.problem(orphan.path, `down migration ${orphan.key} has no up migration (maragudk/migrate pairs ${orphan.key}.down.sql with ${orphan.key}.up.sql)`);
    }
    d.add({ root: dir, layout: 'maragudk', migrations });
  }
}
