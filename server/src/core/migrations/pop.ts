// ory/pop (popx) migrations: `<v>_<name>[.<dialect>][.autocommit].(up|down).sql`, postgres files beating generic ones.
import { compareNatural } from './compare';
import { join, type Discovery } from './tree';
import { wholeFile, type Migration, type Transaction } from './types';

// ory/x popx MigrationFileRegexp; the third group is a dialect, or `.autocommit` standing alone.
const POP = /^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.sql$/;

// pop.CanonicalDialect spellings; only the postgres family runs on PostgreSQL.
const POSTGRES = new Set(['postgres', 'postgresql', 'pg']);
const OTHER = new Set(['cockroach', 'cockroachdb', 'crdb', 'mysql', 'mariadb', 'sqlite', 'sqlite3', 'yugabyte', 'yugabytedb']);

interface PopFile {
  path: string;
  version: string;
  name: string;
  /** 'all' for generic files. */
  dialect: string;
  autocommit: boolean;
  direction: 'up' | 'down';
}

function parse(dir: string, file: string): PopFile | undefined {
  const m = POP.exec(file);
  if (!m) return undefined;
  let dialect = m[3] ? m[3].slice(1) : 'all';
  let autocommit = m[4] !== undefined;
  if (dialect === 'autocommit') {
    // popx: `.autocommit` in the dialect slot means a generic autocommit file.
    dialect = 'all';
    autocommit = true;
  }
  if (POSTGRES.has(dialect)) dialect = 'postgres';
  return { path: join(dir, file), version: m[1], name: m[2], dialect, autocommit, direction: m[5] as 'up' | 'down' };
}

/** A folder is pop's when some file names a pop dialect or `.autocommit`, which golang-migrate and sqlx never do. */
export function looksLikePop(names: string[]): boolean {
  return names.some((n) => {
    const f = parse('', n);
    return f !== undefined && (f.dialect === 'postgres' || OTHER.has(f.dialect) || f.autocommit);
  });
}

/** `.autocommit` files run outside a transaction (popx); every other file runs in one. */
function transactionOf(f: PopFile): Transaction {
  return f.autocommit ? 'none' : 'wrapped';
}

/** Builds the PostgreSQL view of a pop folder: per version and direction, the postgres file if any, else the generic one. */
export function popMigrations(d: Discovery, dir: string, names: string[]): Migration[] {
  const byVersion = new Map<string, PopFile[]>();
  for (const n of names) {
    const f = parse(dir, n);
    if (!f) continue;
    if (OTHER.has(f.dialect)) {
      d.ignore(f.path, `pop migration for the ${f.dialect} dialect; only postgres and generic files run on PostgreSQL`);
      continue;
    }
    if (f.dialect !== 'all' && f.dialect !== 'postgres') {
      d.problem(f.path, `pop does not know the dialect "${f.dialect}"`);
      continue;
    }
    const list = byVersion.get(f.version) ?? [];
    list.push(f);
    byVersion.set(f.version, list);
  }
  const migrations: Migration[] = [];
  for (const [version, files] of byVersion) {
    const pick = (direction: 'up' | 'down'): PopFile | undefined => {
      const candidates = files.filter((f) => f.direction === direction);
      const chosen = candidates.find((f) => f.dialect === 'postgres') ?? candidates[0];
      for (const f of candidates) {
        if (f !== chosen) d.ignore(f.path, `shadowed by ${chosen?.path}: pop prefers the postgres file of the same version`);
      }
      return chosen;
    };
    const up = pick('up');
    const down = pick('down');
    if (!up) {
      if (down) d.problem(down.path, `pop down migration ${version} has no up migration`);
      continue;
    }
    d.claim(up.path, down?.path);
    migrations.push({
      id: up.path,
      name: up.name,
      version,
      layout: 'pop',
      root: dir,
      up: wholeFile(up.path),
      ...(down ? { down: wholeFile(down.path), downTransaction: transactionOf(down) } : {}),
      downExpected: true,
      transaction: transactionOf(up),
    });
  }
  // popx sorts by version; ory's versions share one width, so string and numeric order agree.
  return migrations.sort((a, b) => compareNatural(a.version, b.version));
}
