// The on-disk cache of built PGlite data directories, keyed by a sha256 chain over the migrations so a build can resume from the longest cached prefix.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Migration, SkippedStatement } from './pglite-types';

/** Bumped when the way a build is made changes, so older cache entries are not reused. */
const BUILD_FORMAT = 'pgdba-pglite-build-2';
/** Entries are a data directory each (≈65 MB for 340 migrations): keep the current one and the one before. */
const ENTRIES_KEPT = 2;

export interface CacheMeta {
  key: string;
  /** How many migrations (from the first) this entry has applied. */
  migrations: number;
  versionText: string;
  extensions: string[];
  skipped: SkippedStatement[];
  applied: number;
}

export interface CacheHit {
  meta: CacheMeta;
  /** The entry's data directory: a template, never opened in place. */
  dir: string;
}

function pgliteVersion(): string {
  try {
    const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    return String(JSON.parse(readFileSync(pkg, 'utf8')).version);
  } catch {
    return 'unknown'; // bundled: the versionText check after opening still rejects a foreign entry
  }
}

/** keys[i] identifies the state after the first i+1 migrations, so editing the newest migration reuses everything before it. */
export function chainKeys(migrations: readonly Migration[]): string[] {
  let prev = createHash('sha256').update(BUILD_FORMAT).update('\0').update(pgliteVersion()).digest('hex');
  return migrations.map((m) => {
    prev = createHash('sha256').update(prev).update('\0').update(m.id).update('\0').update(m.sql).digest('hex');
    return prev;
  });
}

const entryDir = (cacheDir: string, key: string) => join(cacheDir, `pglite-${key}`);
const metaFile = (cacheDir: string, key: string) => join(cacheDir, `pglite-${key}.json`);
export const runRoot = (cacheDir: string) => join(cacheDir, 'run');
/** The ready copy of a template kept under runRoot (see PgliteStorage in pglite-engine.ts): complete whenever it exists. */
export const spareOf = (runs: string, template: string) => join(runs, `spare-${basename(template)}`);

/** The cached entry covering the most migrations, if any. */
export function findCached(cacheDir: string, keys: readonly string[]): CacheHit | undefined {
  for (let i = keys.length - 1; i >= 0; i--) {
    const file = metaFile(cacheDir, keys[i]);
    if (!existsSync(file)) continue;
    try {
      const meta = JSON.parse(readFileSync(file, 'utf8')) as CacheMeta;
      const dir = entryDir(cacheDir, keys[i]);
      if (meta.key !== keys[i] || meta.migrations !== i + 1 || !existsSync(dir)) continue;
      const now = new Date();
      utimesSync(file, now, now); // the most recently used entry survives pruning
      return { meta, dir };
    } catch {
      continue;
    }
  }
  return undefined;
}

export function dropEntry(cacheDir: string, key: string): void {
  rmSync(metaFile(cacheDir, key), { force: true });
  rmSync(entryDir(cacheDir, key), { recursive: true, force: true });
  rmSync(spareOf(runRoot(cacheDir), entryDir(cacheDir, key)), { recursive: true, force: true });
}

/**
 * Moves a cleanly closed data directory into the cache under meta.key and writes its meta file last (the commit point).
 * Returns the entry's directory. If another process committed the same key first, ours is dropped and theirs is used.
 */
export function commitEntry(cacheDir: string, dataDir: string, meta: CacheMeta): string {
  const dir = entryDir(cacheDir, meta.key);
  try {
    renameSync(dataDir, dir);
  } catch (err) {
    if (!existsSync(dir)) throw err;
    rmSync(dataDir, { recursive: true, force: true });
  }
  const tmp = `${metaFile(cacheDir, meta.key)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(meta));
  renameSync(tmp, metaFile(cacheDir, meta.key));
  prune(cacheDir);
  return dir;
}

function prune(cacheDir: string): void {
  const entries = readdirSync(cacheDir)
    .filter((f) => /^pglite-[0-9a-f]{64}\.json$/.test(f))
    .map((f) => ({ key: f.slice(7, 71), t: statSync(join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { key } of entries.slice(ENTRIES_KEPT)) dropEntry(cacheDir, key);
  // A directory whose meta file never got written (the process died between the two steps) is garbage once it is old.
  for (const f of readdirSync(cacheDir)) {
    if (!/^pglite-[0-9a-f]{64}$/.test(f) || existsSync(join(cacheDir, `${f}.json`))) continue;
    if (Date.now() - statSync(join(cacheDir, f)).mtimeMs > 60_000) rmSync(join(cacheDir, f), { recursive: true, force: true });
  }
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
