// Layouts with one directory per migration: diesel (`<ts>_<name>/up.sql` + `down.sql`) and Prisma (`<ts>_<name>/migration.sql`).
import { compareLexical } from './compare';
import { basename, dirname, join, type Discovery } from './tree';
import { wholeFile, type Migration, type Transaction } from './types';

// A migration directory name: version before the first underscore (digits, dashes for diesel), then the name.
const DIESEL_DIR = /^(\d[\d-]*)_(.+)$/;
const PRISMA_DIR = /^(\d+)_(.+)$/;

/** diesel: `run_in_transaction = false` in the migration's metadata.toml (diesel_migrations 2.x). */
function dieselTransaction(d: Discovery, dir: string): Transaction {
  const meta = join(dir, 'metadata.toml');
  if (!d.has(meta)) return 'wrapped';
  const text = d.read(meta) ?? '';
  return /^\s*run_in_transaction\s*=\s*false\s*(#.*)?$/m.test(text) ? 'none' : 'wrapped';
}

function migrationDirs(d: Discovery, root: string, pattern: RegExp, upFile: string): { dir: string; m: RegExpExecArray }[] {
  const out: { dir: string; m: RegExpExecArray }[] = [];
  for (const sub of d.subdirs(root)) {
    const m = pattern.exec(sub);
    const dir = join(root, sub);
    if (m && d.has(join(dir, upFile)) && !d.claimed.has(join(dir, upFile))) out.push({ dir, m });
  }
  return out;
}

/** diesel: every directory whose subdirectories hold `<version>_<name>/up.sql`. */
export function detectDiesel(d: Discovery): void {
  const roots = new Set<string>();
  for (const dir of d.directories()) {
    if (!(d.filesIn.get(dir) ?? []).includes('up.sql')) continue;
    if (DIESEL_DIR.test(basename(dir))) roots.add(dirname(dir));
  }
  for (const root of [...roots].sort()) {
    const migrations: Migration[] = [];
    for (const { dir, m } of migrationDirs(d, root, DIESEL_DIR, 'up.sql')) {
      const up = join(dir, 'up.sql');
      const down = join(dir, 'down.sql');
      const hasDown = d.has(down);
      const transaction = dieselTransaction(d, dir);
      d.claim(up, hasDown ? down : undefined);
      migrations.push({
        id: dir,
        name: m[2],
        // diesel's version is the directory prefix with the dashes removed (stored in __diesel_schema_migrations).
        version: m[1].replace(/-/g, ''),
        layout: 'diesel',
        root,
        up: wholeFile(up),
        ...(hasDown ? { down: wholeFile(down), downTransaction: transaction } : {}),
        downExpected: true,
        transaction,
      });
    }
    // diesel sorts by version as a string, not as a number: mixed-width timestamps keep their string order.
    migrations.sort((a, b) => compareLexical(a.version, b.version) || compareLexical(a.id, b.id));
    d.add({ root, layout: 'diesel', migrations });
  }
}

/** Prisma Migrate: `migrations/<ts>_<name>/migration.sql`, up only; each script runs in a transaction on PostgreSQL. */
export function detectPrisma(d: Discovery): void {
  const roots = new Set<string>();
  for (const dir of d.directories()) {
    if (!(d.filesIn.get(dir) ?? []).includes('migration.sql')) continue;
    if (PRISMA_DIR.test(basename(dir))) roots.add(dirname(dir));
  }
  for (const root of [...roots].sort()) {
    const migrations: Migration[] = [];
    for (const { dir, m } of migrationDirs(d, root, PRISMA_DIR, 'migration.sql')) {
      const up = join(dir, 'migration.sql');
      d.claim(up);
      migrations.push({
        id: dir,
        name: m[2],
        version: m[1],
        layout: 'prisma',
        root,
        up: wholeFile(up),
        downExpected: false,
        transaction: 'wrapped',
      });
    }
    // Prisma applies migration directories in file-name order.
    migrations.sort((a, b) => compareLexical(basename(a.id), basename(b.id)));
    d.add({ root, layout: 'prisma', migrations });
  }
}
