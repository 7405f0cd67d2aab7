// Builds an embedded PGlite from the workspace's migrations (skipping what PGlite cannot run), cached on disk by content hash.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { as } from '../core/parse/ast';
import { initParser, parseSql, type ParsedSql } from '../core/parse/parse';
import { EngineError } from './errors';
import { chainKeys, commitEntry, dropEntry, ensureDir, findCached, runRoot, type CacheHit } from './pglite-cache';
import { createPgliteEngine, removeStaleRuns, type PgliteEngine } from './pglite-engine';
import { PGLITE_CONTRIB } from './pglite-extensions';
import type { Migration, SkippedStatement } from './pglite-types';

export type { Migration, SkippedStatement };

export interface PgliteBuild {
  engine: PgliteEngine;
  skipped: SkippedStatement[];
  /** Statements run successfully. */
  applied: number;
  extensions: string[];
  /** 'full': every migration came from the cache; 'prefix': the first `reused` did and the rest were applied. */
  cache: 'none' | 'full' | 'prefix';
  reused: number;
  /** Identifies the schema the engine was built from (a sha256 of the migrations): the plan cache's schema version. */
  schemaVersion: string;
  ms: number;
}

export interface BuildOptions {
  /** Where built data directories are kept (e.g. `<workspace>/.pgdba-cache`); without it the build lives in memory only. */
  cacheDir?: string;
  statementTimeoutMs?: number;
  /** Time allowed to one migration while building (PGlite has no statement_timeout of its own). */
  buildStatementTimeoutMs?: number;
  workerPath?: string;
  /** Keep a ready copy of the built data directory for the next start (see PgliteStorage): for the language server. */
  spare?: boolean;
  /** Called as migrations are applied (`done` of `total`, cached ones counted at once): the editor shows it as progress. */
  onProgress?: (done: number, total: number) => void;
}

/** CREATE EXTENSION … CASCADE needs these loaded too. */
const EXTENSION_DEPENDENCIES: Record<string, string[]> = { earthdistance: ['cube'] };

/** The PGlite contrib extensions the migrations create, with their dependencies. */
function contribExtensions(parsed: ParsedSql[]): string[] {
  const names = new Set<string>();
  for (const p of parsed) {
    for (const s of p.statements) {
      const ext = as<{ extname?: string }>(s.node, 'CreateExtensionStmt')?.extname;
      if (!ext || !PGLITE_CONTRIB[ext]) continue;
      for (const dep of EXTENSION_DEPENDENCIES[ext] ?? []) names.add(dep);
      names.add(ext);
    }
  }
  return [...names].sort();
}

function excerpt(text: string): string {
  const first = text.trim().split('\n')[0] ?? '';
  return first.length > 100 ? first.slice(0, 97) + '…' : first;
}

interface Applied {
  applied: number;
  skipped: SkippedStatement[];
}

/**
 * Applies one migration. A file without transaction control runs as one script (one implicit transaction, fast); if
 * that fails nothing of it remains, and its statements are retried one by one so only the failing ones are skipped.
 * The migrations' own BEGIN/COMMIT are dropped: every statement then runs in autocommit.
 */
async function applyMigration(engine: PgliteEngine, m: Migration, parsed: ParsedSql, timeoutMs: number): Promise<Applied> {
  const out: Applied = { applied: 0, skipped: [] };
  for (const e of parsed.errors) {
    // The error's token alone says little (often just `\`): show its whole line.
    const lineStart = m.sql.lastIndexOf('\n', e.start - 1) + 1;
    const lineEnd = m.sql.indexOf('\n', e.start);
    const line = m.sql.slice(lineStart, lineEnd < 0 ? m.sql.length : lineEnd);
    out.skipped.push({ migration: m.id, start: e.start, end: e.end, excerpt: excerpt(line), reason: `syntax error: ${e.message}` });
  }
  for (const c of parsed.psqlCommands ?? []) {
    const text = m.sql.slice(c.start, c.end);
    out.skipped.push({ migration: m.id, start: c.start, end: c.end, excerpt: excerpt(text), reason: `psql meta-command \\${c.name}: psql runs it itself` });
  }
  const statements = parsed.statements.filter((s) => s.kind !== 'TransactionStmt');
  const stop = (err: unknown, at: string) =>
    new EngineError('timeout', `Building PGlite stopped: ${m.id} ran past ${timeoutMs} ms at "${at}".`, { cause: err });
  // A script with psql meta-commands (run by psql, as sqitch does) is sent statement by statement, without them.
  if (parsed.errors.length === 0 && !parsed.psqlCommands?.length && statements.length === parsed.statements.length && statements.length > 0) {
    try {
      await engine.exec(m.sql, timeoutMs);
      out.applied = statements.length;
      return out;
    } catch (err) {
      if ((err as EngineError).code === 'timeout') throw stop(err, excerpt(m.sql));
    }
  }
  for (const s of statements) {
    try {
      await engine.exec(s.text, timeoutMs);
      out.applied++;
    } catch (err) {
      const e = err as EngineError;
      if (e.code === 'timeout') throw stop(err, excerpt(s.text));
      out.skipped.push({ migration: m.id, start: s.start, end: s.end, excerpt: excerpt(s.text), reason: e.message, sqlstate: e.sqlstate });
    }
  }
  return out;
}

async function applyAll(
  engine: PgliteEngine,
  migrations: readonly Migration[],
  parsed: ParsedSql[],
  from: number,
  to: number,
  timeoutMs: number,
  into: Applied,
  onProgress?: BuildOptions['onProgress'],
): Promise<void> {
  onProgress?.(from, migrations.length);
  for (let i = from; i < to; i++) {
    const r = await applyMigration(engine, migrations[i], parsed[i], timeoutMs);
    into.applied += r.applied;
    into.skipped.push(...r.skipped);
    onProgress?.(i + 1, migrations.length);
  }
}

/** Without a cache directory: a fresh in-memory cluster, snapshotted at the end as the restart point after a timeout. */
async function buildInMemory(migrations: readonly Migration[], opts: BuildOptions, started: number): Promise<PgliteBuild> {
  opts.onProgress?.(0, migrations.length);
  await initParser();
  const parsed = migrations.map((m) => parseSql(m.sql));
  const extensions = contribExtensions(parsed);
  const engine = await createPgliteEngine({ extensions, statementTimeoutMs: opts.statementTimeoutMs, workerPath: opts.workerPath });
  const result: Applied = { applied: 0, skipped: [] };
  try {
    await applyAll(engine, migrations, parsed, 0, migrations.length, opts.buildStatementTimeoutMs ?? 60_000, result, opts.onProgress);
    await engine.snapshot();
  } catch (err) {
    await engine.close();
    throw err;
  }
  return { engine, ...result, extensions, cache: 'none', reused: 0, schemaVersion: chainKeys(migrations).at(-1) ?? 'empty', ms: Date.now() - started };
}

async function openTemplate(cacheDir: string, hit: CacheHit, opts: BuildOptions): Promise<PgliteEngine | undefined> {
  try {
    const engine = await createPgliteEngine({
      storage: { kind: 'template', template: hit.dir, runRoot: runRoot(cacheDir), spare: opts.spare },
      extensions: hit.meta.extensions,
      statementTimeoutMs: opts.statementTimeoutMs,
      workerPath: opts.workerPath,
    });
    if (engine.versionText === hit.meta.versionText) return engine;
    await engine.close();
  } catch {
    // unreadable entry: fall through and drop it
  }
  dropEntry(cacheDir, hit.meta.key);
  return undefined;
}

/**
 * Applies the migrations in order to PGlite and returns the engine with the statements it had to skip.
 * With a cache directory the built data directory is kept under a sha256 of the migrations (chained, so a build resumes
 * from the longest cached prefix: editing the newest migration replays only that one), and a warm start just copies it.
 */
export async function buildPgliteFromMigrations(migrations: readonly Migration[], opts: BuildOptions = {}): Promise<PgliteBuild> {
  const started = Date.now();
  const { cacheDir } = opts;
  if (!cacheDir || migrations.length === 0) return buildInMemory(migrations, opts, started);
  ensureDir(runRoot(cacheDir));
  removeStaleRuns(runRoot(cacheDir));
  const keys = chainKeys(migrations);
  let hit = findCached(cacheDir, keys);
  if (hit && hit.meta.migrations === migrations.length) {
    const engine = await openTemplate(cacheDir, hit, opts);
    if (engine) {
      const { skipped, applied, extensions } = hit.meta;
      const schemaVersion = keys[keys.length - 1];
      return { engine, skipped, applied, extensions, cache: 'full', reused: migrations.length, schemaVersion, ms: Date.now() - started };
    }
    hit = undefined;
  }
  // Before PGlite starts (loading its extensions can take long): the count shows from the first moment.
  opts.onProgress?.(hit?.meta.migrations ?? 0, migrations.length);

  await initParser();
  const parsed = migrations.map((m) => parseSql(m.sql));
  const extensions = [...new Set([...contribExtensions(parsed), ...(hit?.meta.extensions ?? [])])].sort();
  const stage: Stage = { cacheDir, migrations, parsed, keys, extensions, opts };
  const reused = hit?.meta.migrations ?? 0;
  let base = hit;
  try {
    // Commit the state before the newest migration too: editing that migration, the usual case, then replays only it.
    if (migrations.length - reused >= 2) base = await buildStage(stage, base, migrations.length - 1);
    base = await buildStage(stage, base, migrations.length);
  } catch (err) {
    if (!(err instanceof ForeignEntry)) throw err;
    return buildPgliteFromMigrations(migrations, opts);
  }
  const engine = await createPgliteEngine({
    storage: { kind: 'template', template: base.dir, runRoot: runRoot(cacheDir), spare: opts.spare },
    extensions,
    statementTimeoutMs: opts.statementTimeoutMs,
    workerPath: opts.workerPath,
  });
  const { skipped, applied } = base.meta;
  const schemaVersion = keys[keys.length - 1];
  return { engine, skipped, applied, extensions, cache: hit ? 'prefix' : 'none', reused, schemaVersion, ms: Date.now() - started };
}

interface Stage {
  cacheDir: string;
  migrations: readonly Migration[];
  parsed: ParsedSql[];
  keys: string[];
  extensions: string[];
  opts: BuildOptions;
}

/** A cache entry made by another PGlite version (it has been dropped); the build starts over. */
class ForeignEntry extends Error {}

/** Applies migrations [base's count, to) on a private copy of base (or a fresh cluster) and commits the result as a cache entry. */
async function buildStage(st: Stage, base: CacheHit | undefined, to: number): Promise<CacheHit> {
  const { cacheDir, opts } = st;
  const workDir = join(runRoot(cacheDir), `${process.pid}-build-${Date.now().toString(36)}-${to}`);
  if (base) cpSync(base.dir, workDir, { recursive: true });
  const builder = await createPgliteEngine({ storage: { kind: 'directory', path: workDir }, extensions: st.extensions, workerPath: opts.workerPath });
  const result: Applied = { applied: base?.meta.applied ?? 0, skipped: [...(base?.meta.skipped ?? [])] };
  try {
    if (base && builder.versionText !== base.meta.versionText) {
      dropEntry(cacheDir, base.meta.key);
      throw new ForeignEntry();
    }
    await applyAll(builder, st.migrations, st.parsed, base?.meta.migrations ?? 0, to, opts.buildStatementTimeoutMs ?? 60_000, result, opts.onProgress);
    await builder.close(); // a clean shutdown leaves a checkpointed directory that later starts need not recover
  } catch (err) {
    await builder.close();
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  const meta = { key: st.keys[to - 1], migrations: to, versionText: builder.versionText, extensions: st.extensions, ...result };
  return { meta, dir: commitEntry(cacheDir, workDir, meta) };
}
