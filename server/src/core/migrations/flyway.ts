// Flyway: `V<version>__<desc>.sql` in version order, `U<version>__` undo scripts, then `R__<desc>.sql` repeatables.
import { compareFlywayVersion, compareLexical } from './compare';
import { dirname, join, type Discovery } from './tree';
import { wholeFile, type Migration, type Transaction } from './types';

// Flyway's default prefixes (V, U, R), separator `__` and suffix `.sql`; version parts separated by `.` or `_`.
const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

export function isFlywayName(name: string): boolean {
  return VERSIONED.test(name) || REPEATABLE.test(name);
}

/**
 * Script configuration (Flyway 6.1+): `V1__x.sql.conf` beside the script with `executeInTransaction=false`
 * runs that script outside a transaction. Flyway also leaves a transaction out by itself when every
 * statement must run outside one (e.g. CREATE INDEX CONCURRENTLY); that depends on the SQL, not the layout.
 */
function transactionOf(d: Discovery, script: string): Transaction {
  const conf = `${script}.conf`;
  if (!d.has(conf)) return 'wrapped';
  const text = d.read(conf) ?? '';
  return /^\s*(flyway\.)?executeInTransaction\s*=\s*false\s*$/im.test(text) ? 'none' : 'wrapped';
}

/** Flyway scans its locations recursively, so nested folders of scripts join the top-most one. */
function flywayRoots(d: Discovery): Map<string, string[]> {
  const dirs = d.directories().filter((dir) => d.unclaimedIn(dir).some((n) => /^[VR]/.test(n) && isFlywayName(n)));
  const set = new Set(dirs);
  const roots = new Map<string, string[]>();
  for (const dir of dirs) {
    let root = dir;
    for (let a = dir; a !== '';) {
      a = dirname(a);
      if (set.has(a)) root = a;
    }
    const list = roots.get(root) ?? [];
    list.push(dir);
    roots.set(root, list);
  }
  return roots;
}

export function detectFlyway(d: Discovery): void {
  for (const [root, dirs] of [...flywayRoots(d)].sort((a, b) => compareLexical(a[0], b[0]))) {
    const versioned: Migration[] = [];
    const repeatable: Migration[] = [];
    const undo = new Map<string, string>();
    for (const dir of dirs) {
      for (const name of d.unclaimedIn(dir)) {
        const path = join(dir, name);
        const v = VERSIONED.exec(name);
        const r = REPEATABLE.exec(name);
        if (v && v[1] === 'U') {
          undo.set(v[2].replace(/_/g, '.'), path);
        } else if (v) {
          versioned.push(make(d, root, path, v[2].replace(/_/g, '.'), v[3]));
        } else if (r) {
          repeatable.push(make(d, root, path, '', r[1]));
        }
      }
    }
    versioned.sort((a, b) => compareFlywayVersion(a.version, b.version) || compareLexical(a.id, b.id));
    for (let i = 1; i < versioned.length; i++) {
      if (compareFlywayVersion(versioned[i - 1].version, versioned[i].version) === 0) {
        d.problem(versioned[i].id, `Flyway refuses two migrations with version ${versioned[i].version} (also ${versioned[i - 1].id})`);
      }
    }
    // Undo scripts are a Flyway Teams feature: only a folder that has some is expected to have them all.
    const usesUndo = undo.size > 0;
    for (const m of versioned) {
      m.downExpected = usesUndo;
      const key = [...undo.keys()].find((k) => compareFlywayVersion(k, m.version) === 0);
      if (key === undefined) continue;
      const path = undo.get(key) as string;
      undo.delete(key);
      d.claim(path);
      m.down = wholeFile(path);
      m.downTransaction = transactionOf(d, path);
    }
    for (const path of undo.values()) d.problem(path, 'Flyway undo script without a versioned migration of the same version');
    // Repeatable migrations run after all versioned ones, ordered by description.
    repeatable.sort((a, b) => compareLexical(a.name, b.name) || compareLexical(a.id, b.id));
    d.add({ root, layout: 'flyway', migrations: [...versioned, ...repeatable] });
  }
}

function make(d: Discovery, root: string, path: string, version: string, name: string): Migration {
  d.claim(path);
  return {
    id: path,
    name,
    version,
    layout: 'flyway',
    root,
    up: wholeFile(path),
    // Set per folder once its undo scripts are known; repeatables never have one.
    downExpected: false,
    transaction: transactionOf(d, path),
  };
}
