// Builds the project model: configured projects, then each detected migrations folder, sqlc files, schema and query files.
import { minimatch } from 'minimatch';
import { normalizeProjectPath, type ProjectConfig } from '../config';
import { compareNatural, discoverLayout, wholeFile, type Migration, type WorkspaceFiles } from '../migrations';
import { isWithin, sharedDepth } from './paths';
import { readSqlc, SQLC_FILES, type SqlcEntry } from './sqlc';
import type { Project, ProjectModel, ProjectProblem } from './types';

/** Schema dumps kept beside migrations: dbmate's `db/schema.sql`, Rails' `db/structure.sql`. */
const SCHEMA_NAMES = ['schema.sql', 'structure.sql'];

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const isSql = (p: string) => /\.sql$/i.test(p);

interface Building extends Project {
  /** Query globs from pgdba.json, or paths from sqlc.yaml, that claim query files before the nearest-folder rule. */
  claims: ((path: string) => boolean)[];
}

/** A file of a configured migrations folder whose layout nobody recognised: applied in name order, as plain SQL. */
function plainMigration(path: string, root: string): Migration {
  return {
    id: path,
    name: baseOf(path).replace(/\.sql$/i, ''),
    version: '',
    layout: 'plain',
    root,
    up: wholeFile(path),
    downExpected: false,
    transaction: 'none',
  };
}

function fromConfig(c: ProjectConfig, layout: ReturnType<typeof discoverLayout>, files: Set<string>, problems: ProjectProblem[]): Building {
  const mig = c.migrations === undefined ? undefined : normalizeProjectPath(c.migrations);
  const notes: string[] = [];
  let migrations = mig === undefined ? [] : layout.migrations.filter((m) => isWithin(m.root, mig));
  if (mig !== undefined && migrations.length === 0) {
    const plain = layout.plain.filter((p) => isWithin(p, mig)).sort(compareNatural);
    migrations = plain.map((p) => plainMigration(p, mig));
    notes.push(
      plain.length ? `no known migration layout in ${mig}: its .sql files are listed as plain SQL, applied in name order` : `${mig} holds no .sql file`,
    );
  }
  const schema = c.schema.map(normalizeProjectPath).filter((p) => {
    if (!files.has(p)) problems.push({ path: p, message: `schema file ${p} of project "${c.name}" does not exist` });
    return files.has(p);
  });
  const claims = c.queries.map((g) => (p: string) => minimatch(p, normalizeProjectPath(g), { dot: true }));
  return { name: c.name, root: mig ?? '', layout: migrations[0]?.layout ?? 'plain', migrations, schema, queries: [], origin: 'config', notes, claims };
}

/** A migrations folder whose file names no known tool uses: a project all the same, its files applied in name order. */
function addUnknownLayouts(plain: string[], projects: Building[], configuredRoots: string[]): void {
  const byDir = new Map<string, string[]>();
  for (const p of plain) byDir.set(dirOf(p), [...(byDir.get(dirOf(p)) ?? []), p]);
  for (const [dir, paths] of byDir) {
    if (!/migrat/i.test(baseOf(dir)) || projects.some((p) => p.root === dir) || configuredRoots.some((c) => isWithin(dir, c))) continue;
    const migrations = paths.sort(compareNatural).map((p) => plainMigration(p, dir));
    const notes = [`no known migration layout in ${dir}: its .sql files are listed as plain SQL, applied in name order`];
    projects.push({ name: dir, root: dir, layout: 'plain', migrations, schema: [], queries: [], origin: 'detected', notes, claims: [] });
  }
}

/** The `.sql` files a sqlc schema/queries path names: the file itself, or the files directly in the folder. */
function sqlcFiles(paths: string[], files: Set<string>, sqlByDir: Map<string, string[]>): string[] {
  return paths.flatMap((p) => (files.has(p) ? [p] : (sqlByDir.get(p) ?? []).filter((f) => !/\.down\.sql$/i.test(f))));
}

function addSqlc(entry: SqlcEntry, projects: Building[], files: Set<string>, sqlByDir: Map<string, string[]>, inMigration: Set<string>): void {
  const queries = (p: string) => entry.queries.some((q) => isWithin(p, q));
  // sqlc reading a migrations folder as its schema (golang-migrate, goose, dbmate…): the queries join that project.
  const target = projects.find((p) => p.migrations.length > 0 && entry.schema.some((s) => isWithin(p.root, s) || isWithin(s, p.root)));
  const schema = sqlcFiles(entry.schema, files, sqlByDir).filter((f) => !inMigration.has(f));
  if (target) {
    target.schema.push(...schema.filter((f) => !target.schema.includes(f)));
    target.claims.push(queries);
    target.notes.push(`queries from ${entry.file}`);
    return;
  }
  const name = entry.name ?? `${entry.dir || '.'} (sqlc)`;
  projects.push({
    name,
    root: entry.dir,
    layout: 'sqlc',
    migrations: [],
    schema,
    queries: [],
    origin: 'sqlc',
    notes: [`from ${entry.file}`],
    claims: [queries],
  });
}

/** The project a query file belongs to: a claim first, then the one project whose folder is nearest (a tie: none). */
function ownerOf(path: string, projects: Building[]): Building | undefined {
  const claimed = projects.find((p) => p.claims.some((c) => c(path)));
  if (claimed) return claimed;
  if (projects.length === 1) return projects[0];
  let best: Building[] = [];
  let depth = -1;
  for (const p of projects) {
    if (p.origin === 'config' && p.claims.length > 0) continue; // a project with query patterns takes only those
    const d = sharedDepth(dirOf(path), p.root);
    if (d > depth) [best, depth] = [[p], d];
    else if (d === depth) best.push(p);
  }
  return best.length === 1 ? best[0] : undefined;
}

/**
 * Every project of a workspace. `files` should already leave out ignored files (.gitignore, `exclude`). Never throws:
 * unreadable sqlc files and missing schema files end up in `problems`.
 */
export function buildProjects(files: WorkspaceFiles, configured: readonly ProjectConfig[] = []): ProjectModel {
  const listed = files.list();
  const memo: WorkspaceFiles = { list: () => listed, read: (p) => files.read(p) };
  const layout = discoverLayout(memo);
  const all = new Set(listed);
  const problems: ProjectProblem[] = [...layout.problems];
  const projects: Building[] = configured.map((c) => fromConfig(c, layout, all, problems));
  const configuredRoots = projects.filter((p) => p.migrations.length > 0).map((p) => p.root);
  for (const r of layout.roots) {
    if (configuredRoots.some((c) => isWithin(r.path, c))) continue;
    const migrations = layout.migrations.filter((m) => m.root === r.path && m.layout === r.layout);
    projects.push({ name: r.path || '.', root: r.path, layout: r.layout, migrations, schema: [], queries: [], origin: 'detected', notes: [], claims: [] });
  }
  addUnknownLayouts(layout.plain, projects, configuredRoots);
  const inMigration = new Set(projects.flatMap((p) => p.migrations.flatMap((m) => [m.up.path, m.down?.path, m.verify?.path])).filter((p): p is string => !!p));
  const sqlByDir = new Map<string, string[]>();
  /** Paths sqlc reads for another engine (sqlite, mysql): in no project. */
  const foreign = new Map<string, string>();
  for (const p of [...all].filter(isSql).sort(compareNatural)) sqlByDir.set(dirOf(p), [...(sqlByDir.get(dirOf(p)) ?? []), p]);
  for (const f of listed.filter((p) => SQLC_FILES.includes(baseOf(p))).sort()) {
    const text = memo.read(f);
    if (text === undefined) continue;
    const read = readSqlc(f, text);
    for (const message of read.problems) problems.push({ path: f, message });
    for (const entry of read.entries) addSqlc(entry, projects, all, sqlByDir, inMigration);
    for (const f of read.foreign) for (const p of f.paths) foreign.set(p, f.engine);
  }
  const schemaFiles = new Set(projects.flatMap((p) => p.schema));
  for (const p of projects) {
    if (p.origin !== 'detected') continue;
    for (const dir of new Set([dirOf(p.root), p.root])) {
      for (const name of SCHEMA_NAMES) {
        const path = dir ? `${dir}/${name}` : name;
        if (all.has(path) && !inMigration.has(path) && !schemaFiles.has(path)) {
          p.schema.push(path);
          schemaFiles.add(path);
        }
      }
    }
  }
  const loose: string[] = [];
  const ignored = [...layout.ignored];
  for (const path of layout.plain) {
    if (inMigration.has(path) || schemaFiles.has(path)) continue;
    const engine = [...foreign].find(([p]) => isWithin(path, p))?.[1];
    if (engine !== undefined) {
      ignored.push({ path, reason: `sqlc reads it for ${engine || 'another engine'}, not PostgreSQL` });
      continue;
    }
    const owner = ownerOf(path, projects);
    if (owner) owner.queries.push(path);
    else loose.push(path);
  }
  const out: Project[] = projects.map(({ claims: _claims, ...p }) => p);
  if (loose.length > 0) {
    const name = out.length ? '(unassigned)' : '.';
    const notes = out.length ? ['files no project claims (and no single nearest migrations folder holds): their schema is their own DDL'] : [];
    out.push({ name, root: '', layout: 'plain', migrations: [], schema: [], queries: loose, origin: 'plain', notes });
  }
  const projectOf = new Map<string, number>();
  out.forEach((p, i) => {
    for (const m of p.migrations) for (const s of [m.up, m.down, m.verify]) if (s && !projectOf.has(s.path)) projectOf.set(s.path, i);
    for (const f of [...p.schema, ...p.queries]) if (!projectOf.has(f)) projectOf.set(f, i);
  });
  const migrations = out.flatMap((p) => p.migrations);
  const ignoredPaths = new Set(ignored.map((i) => i.path));
  const plain = layout.plain.filter((p) => !inMigration.has(p) && !ignoredPaths.has(p));
  return { layout: { ...layout, migrations, plain, ignored, problems: layout.problems }, projects: out, projectOf, problems };
}
