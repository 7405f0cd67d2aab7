// Version-directory layouts such as temporal's `versioned/v1.0/*.sql`: each directory is a schema version.
import { compareNatural } from './compare';
import { basename, isSqlFile, join, type Discovery } from './tree';
import { wholeFile, type Migration } from './types';

const VERSION_DIR = /^v?(\d+(?:\.\d+)*)$/;

/**
 * temporal-sql-tool runs the files a version's manifest.json lists in SchemaUpdateCqlFiles, in that order.
 * Without a manifest (or with one we cannot read) the files run in name order.
 */
function manifestOrder(d: Discovery, dir: string): string[] | undefined {
  const manifest = join(dir, 'manifest.json');
  if (!d.has(manifest)) return undefined;
  try {
    const parsed: unknown = JSON.parse(d.read(manifest) ?? '');
    const files = (parsed as { SchemaUpdateCqlFiles?: unknown }).SchemaUpdateCqlFiles;
    if (Array.isArray(files) && files.every((f) => typeof f === 'string')) return files.map((f) => basename(f));
  } catch {
    // Fall back to name order below.
  }
  d.problem(manifest, 'manifest.json has no SchemaUpdateCqlFiles list; files are taken in name order');
  return undefined;
}

function versionDirs(d: Discovery, root: string): string[] {
  return d
    .subdirs(root)
    .filter((sub) => VERSION_DIR.test(sub) && d.unclaimedIn(join(root, sub)).some(isSqlFile))
    .sort(compareNatural);
}

export function detectVersionedDirs(d: Discovery): void {
  const roots = [...d.dirsIn.keys()].filter((dir) => {
    const subs = versionDirs(d, dir);
    // Two version folders (or a manifest) make a sequence; a lone `v12/` folder is just a folder.
    return subs.length >= 2 || subs.some((s) => d.has(join(join(dir, s), 'manifest.json')));
  });
  for (const root of roots.sort()) {
    const migrations: Migration[] = [];
    for (const sub of versionDirs(d, root)) {
      const dir = join(root, sub);
      const version = (VERSION_DIR.exec(sub) as RegExpExecArray)[1];
      const sql = d.unclaimedIn(dir).filter(isSqlFile).sort(compareNatural);
      const order = manifestOrder(d, dir);
      const chosen = order ? order.filter((n) => sql.includes(n)) : sql;
      for (const n of order ?? []) if (!sql.includes(n)) d.problem(join(dir, 'manifest.json'), `manifest.json lists ${n}, which does not exist`);
      for (const name of chosen) {
        const path = join(dir, name);
        d.claim(path);
        migrations.push({
          id: path,
          name: name.replace(/\.sql$/i, ''),
          version,
          layout: 'numbered',
          root,
          up: wholeFile(path),
          downExpected: false,
          // temporal-sql-tool executes the statements one by one without a transaction.
          transaction: 'none',
        });
      }
    }
    d.add({ root, layout: 'numbered', migrations });
  }
}
