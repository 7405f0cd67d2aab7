// Folders of version-prefixed files: golang-migrate, sqlx, pop, dbmate, Supabase and plain numbered layouts.
import { compareNatural } from './compare';
import { sectionOf, hasDbmateMarker } from './dbmate';
import { looksLikePop, popMigrations } from './pop';
import { basename, isSqlFile, join, type Discovery } from './tree';
import { wholeFile, type LayoutKind, type Migration, type Transaction } from './types';

// golang-migrate's source.DefaultParse (`^([0-9]+)_(.*)\.(down|up)\.(.*)$`) restricted to .sql; sqlx reversible names too.
const UP_DOWN = /^(\d+)_(.+)\.(up|down)\.sql$/;
// `<version>_<name>.sql`: sqlx simple migrations, Supabase, dbmate and hand-rolled numbered folders.
const SIMPLE = /^(\d+)_(.+)\.sql$/;

interface Named {
  path: string;
  version: string;
  name: string;
  direction: 'up' | 'down' | 'simple';
}

function parse(dir: string, file: string, simpleOnly: boolean): Named | undefined {
  // Supabase's pattern is `^([0-9]+)_(.*)\.sql$`: a `.up.sql` or `.down.sql` there is an ordinary migration.
  const ud = simpleOnly ? null : UP_DOWN.exec(file);
  if (ud) return { path: join(dir, file), version: ud[1], name: ud[2], direction: ud[3] as 'up' | 'down' };
  const s = SIMPLE.exec(file);
  if (s) return { path: join(dir, file), version: s[1], name: s[2], direction: 'simple' };
  return undefined;
}

/** Versions are integers to golang-migrate (uint) and sqlx (i64): `001` and `1` are the same migration. */
function versionKey(v: string): string {
  return v.replace(/^0+(?=\d)/, '');
}

function isSupabase(dir: string): boolean {
  return dir === 'supabase/migrations' || dir.endsWith('/supabase/migrations');
}

/** sqlx runs a file outside a transaction when it starts with `-- no-transaction` (sqlx-core migrate/source.rs). */
function sqlxTransaction(d: Discovery, path: string): Transaction {
  return (d.read(path) ?? '').startsWith('-- no-transaction') ? 'none' : 'wrapped';
}

function chooseLayout(d: Discovery, dir: string, files: Named[], names: string[]): LayoutKind | undefined {
  if (isSupabase(dir)) return 'supabase';
  if (looksLikePop(names)) return 'pop';
  // The nearest project manifest tells a Rust crate (sqlx) from a Go module (golang-migrate).
  const rust = d.nearest(dir, ['Cargo.toml', 'go.mod']) === 'Cargo.toml';
  const hasDown = files.some((f) => f.direction === 'down');
  const hasUp = files.some((f) => f.direction === 'up');
  const simple = files.filter((f) => f.direction === 'simple');
  if (hasDown) return rust || simple.length > 0 ? 'sqlx' : 'golang-migrate';
  // dbmate puts the marker in every migration; the first few files settle it without reading the folder.
  if (simple.slice(0, 3).some((f) => hasDbmateMarker(d.read(f.path) ?? ''))) return 'dbmate';
  if (rust) return 'sqlx';
  // Only `<v>_<name>.up.sql` files (harbor runs golang-migrate without downs): golang-migrate's names, and its model
  // of one implicit transaction per file.
  if (hasUp && simple.length === 0) return 'golang-migrate';
  // Bare numbered files: a plain sequence.
  if (hasUp || simple.length >= 2 || /migrat/i.test(basename(dir))) return 'numbered';
  return undefined;
}

function sortByVersion(migrations: Migration[]): Migration[] {
  return migrations.sort((a, b) => compareNatural(a.version, b.version) || compareNatural(a.id, b.id));
}

/**
 * The up/down pairs of one version. One up and one down pair whatever their names (the tools key by version).
 * Duplicates are refused by golang-migrate and sqlx; we report them and still pair the files by name, which
 * is what a project with such files (concourse runs its own migrator) means.
 */
function pairGroup(d: Discovery, layout: LayoutKind, group: Named[]): [Named, Named | undefined][] {
  const ups = group.filter((f) => f.direction !== 'down');
  const downs = group.filter((f) => f.direction === 'down');
  if (ups.length > 1 || downs.length > 1) {
    for (const f of group) d.problem(f.path, `${layout} refuses two migration files for version ${f.version} in one direction`);
  }
  const pairs: [Named, Named | undefined][] = [];
  const left = new Set(downs);
  const take = (down: Named | undefined): Named | undefined => (down && left.delete(down) ? down : undefined);
  for (const up of ups) {
    if (up.direction !== 'up') {
      pairs.push([up, undefined]);
      continue;
    }
    const sameName = downs.find((f) => f.name === up.name && left.has(f));
    pairs.push([up, take(sameName ?? (ups.length === 1 && downs.length === 1 ? downs[0] : undefined))]);
  }
  for (const down of left) {
    const why =
      ups.length === 0
        ? 'has no up migration'
        : ups.some((u) => u.direction === 'up')
          ? 'matches no up migration by name'
          : 'belongs to a simple migration, which never runs a down';
    d.problem(down.path, `down migration ${down.version} ${why}`);
  }
  return pairs;
}

/** Pairs `.up.sql` with `.down.sql` by version, the way golang-migrate and sqlx key their migrations. */
function pairUpDown(d: Discovery, dir: string, layout: LayoutKind, files: Named[]): Migration[] {
  const groups = new Map<string, Named[]>();
  for (const f of files) {
    const key = versionKey(f.version);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const migrations: Migration[] = [];
  // golang-migrate's postgres driver adds no BEGIN; note that PostgreSQL still runs a multi-statement simple
  // query as one implicit transaction, so CREATE INDEX CONCURRENTLY only works alone in its file.
  const txOf = (path: string): Transaction => (layout === 'sqlx' ? sqlxTransaction(d, path) : 'none');
  // A folder written without any down (harbor) never expects one: missing-rollback stays quiet there.
  const downsUsed = files.some((f) => f.direction === 'down');
  for (const group of groups.values()) {
    for (const [up, down] of pairGroup(d, layout, group)) {
      d.claim(up.path, down?.path);
      migrations.push({
        id: up.path,
        name: up.name,
        version: up.version,
        layout,
        root: dir,
        up: wholeFile(up.path),
        ...(down ? { down: wholeFile(down.path), downTransaction: txOf(down.path) } : {}),
        // sqlx simple (`<v>_<name>.sql`) migrations are irreversible by design.
        downExpected: up.direction === 'up' && downsUsed,
        transaction: txOf(up.path),
      });
    }
  }
  return sortByVersion(migrations);
}

function dbmateMigrations(d: Discovery, dir: string, files: Named[]): Migration[] {
  const migrations: Migration[] = [];
  for (const f of files) {
    if (f.direction !== 'simple') continue;
    const text = d.read(f.path);
    if (text === undefined) continue;
    const s = sectionOf(f.path, text);
    for (const p of s.problems) d.problem(f.path, p);
    if (!s.up) continue;
    d.claim(f.path);
    migrations.push({
      id: f.path,
      name: f.name,
      version: f.version,
      layout: 'dbmate',
      root: dir,
      up: s.up,
      ...(s.down ? { down: s.down, downTransaction: s.downTransaction } : {}),
      downExpected: true,
      transaction: s.upTransaction,
    });
  }
  return sortByVersion(migrations);
}

function upOnly(d: Discovery, dir: string, layout: 'supabase' | 'numbered', files: Named[]): Migration[] {
  const migrations: Migration[] = [];
  for (const f of files) {
    if (f.direction === 'down') continue;
    d.claim(f.path);
    migrations.push({
      id: f.path,
      name: f.name,
      version: f.version,
      layout,
      root: dir,
      up: wholeFile(f.path),
      downExpected: false,
      // Supabase CLI sends a file as one pgconn batch, which PostgreSQL runs as one implicit transaction.
      transaction: layout === 'supabase' ? 'wrapped' : 'none',
    });
  }
  return sortByVersion(migrations);
}

/** Classifies every folder still holding unclaimed version-prefixed .sql files. */
export function detectFilePerMigration(d: Discovery): void {
  for (const dir of d.directories()) {
    const names = d.unclaimedIn(dir).filter(isSqlFile);
    const files = names.map((n) => parse(dir, n, isSupabase(dir))).filter((f): f is Named => f !== undefined);
    if (files.length === 0) continue;
    const layout = chooseLayout(d, dir, files, names);
    let migrations: Migration[] = [];
    if (layout === 'pop') migrations = popMigrations(d, dir, names);
    else if (layout === 'golang-migrate' || layout === 'sqlx') migrations = pairUpDown(d, dir, layout, files);
    else if (layout === 'dbmate') migrations = dbmateMigrations(d, dir, files);
    else if (layout === 'supabase' || layout === 'numbered') {
      // A numbered folder with `.down.sql` files would have been golang-migrate; downs here are orphans.
      migrations = upOnly(d, dir, layout, files);
    }
    if (layout) d.add({ root: dir, layout, migrations });
  }
}
