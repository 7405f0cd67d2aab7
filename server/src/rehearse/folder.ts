// Rehearsing a folder's migrations as a typed feature: every migrations root up → down → up on PGlite or on a scratch
// database of a real server. The CLI prints the result as text or JSON; the language server turns it into diagnostics.
import { existsSync, statSync } from 'node:fs';
import { clusterWideStatements } from '../core/migrations/cluster-wide';
import { LineIndex } from '../core/parse/lines';
import { initParser } from '../core/parse/parse';
import { connectPg, type ConnectionSettings } from '../engine';
import { ConfigFiles } from '../node/config-files';
import { configuredProjects, projectFiles } from '../node/projects';
import { clusterUndo, snapshotCluster, type ClusterState, type ClusterUndo } from './cluster-state';
import { rehearsalRoots, type RehearsalRoot } from './migrations';
import { rehearse, STATUSES, type RehearsalReport, type RehearsalResult } from './rehearse';
import { dropStaleScratchDatabases, pgliteFactory, SCRATCH_PREFIX, scratchDatabase, type ScratchDatabase } from './scratch';

export interface FolderRehearsalOptions {
  /** Absolute folder holding the migrations (roots are found below it). */
  dir: string;
  down: 'files' | 'generated';
  /** Rehearse on a scratch database of this server instead of PGlite. */
  db?: ConnectionSettings;
  /** Run cluster-wide statements on a `db` server (and undo them afterwards) instead of refusing. */
  allowClusterChanges?: boolean;
  onRoot?(root: RehearsalRoot, count: number): void;
  onResult?(result: RehearsalResult): void;
}

/** A cluster-wide statement in a migration, placed in its file (paths relative to the folder, 1-based line and column). */
export interface ClusterStatementAt {
  file: string;
  line: number;
  column: number;
  what: string;
  text: string;
}

export interface FolderRehearsal {
  /** Results in apply order; `file`/`files` relative to the folder. */
  migrations: RehearsalResult[];
  summary: RehearsalReport['summary'];
  /** --db: marked scratch databases over an hour old, left by runs that were killed, and dropped before this one. */
  staleDropped: string[];
  /** --db: the cluster-wide statements that ran (with --allow-cluster-changes). */
  clusterStatements: ClusterStatementAt[];
  /** --db: the SQL that put the cluster back after the rehearsal, and what could not be put back. */
  clusterUndo?: ClusterUndo;
}

/** The rehearsal did not run: not a folder, no migrations, or cluster-wide statements on a real server. */
export class RehearsalRefused extends Error {
  constructor(
    message: string,
    readonly statements: ClusterStatementAt[] = [],
  ) {
    super(message);
  }
}

/** Every cluster-wide statement in the roots' ups and downs, as file:line:column. */
export function clusterStatementsOf(roots: readonly RehearsalRoot[]): ClusterStatementAt[] {
  const out: ClusterStatementAt[] = [];
  for (const m of roots.flatMap((r) => r.migrations)) {
    for (const [sql, file, firstLine] of [
      [m.up, m.upPath, m.upLine],
      [m.down, m.downPath, m.downLine],
    ] as const) {
      if (!sql || !file) continue;
      const lines = new LineIndex(sql);
      for (const s of clusterWideStatements(sql)) {
        const p = lines.position(s.start);
        out.push({ file, line: (firstLine ?? 1) + p.line, column: p.character + 1, what: s.what, text: sql.slice(s.start, s.end).split('\n')[0].slice(0, 80) });
      }
    }
  }
  return out;
}

const exitCode = (signal: NodeJS.Signals) => (signal === 'SIGINT' ? 130 : 143);

/** Rehearses every migrations root under `dir`; throws RehearsalRefused (nothing ran) or EngineError (the server). */
export async function rehearseFolder(opts: FolderRehearsalOptions): Promise<FolderRehearsal> {
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) throw new RehearsalRefused('is not a folder');
  await initParser();
  // One root per project (pgdba.json projects, .gitignore respected), as `pgdba migrations` lists them.
  const configs = new ConfigFiles();
  const roots = rehearsalRoots(projectFiles(opts.dir, configs), configuredProjects(opts.dir, configs)).filter((r) => r.migrations.length > 0);
  if (!roots.length) throw new RehearsalRefused('no migrations found');
  const clusterStatements = opts.db ? clusterStatementsOf(roots) : [];
  if (clusterStatements.length && !opts.allowClusterChanges) {
    throw new RehearsalRefused(
      `${clusterStatements.length} statement${clusterStatements.length === 1 ? '' : 's'} change the whole server, not just the scratch database (they would outlive it and change other sessions); rehearse on PGlite, or pass --allow-cluster-changes to run them and undo them afterwards`,
      clusterStatements,
    );
  }
  const reports: RehearsalReport[] = [];
  let staleDropped: string[] = [];
  let undo: ClusterUndo | undefined;
  if (opts.db) {
    const db = opts.db;
    staleDropped = await dropStaleScratchDatabases(db);
    const ignore = (name: string) => name.startsWith(SCRATCH_PREFIX);
    const before = await withAdmin(db, (a) => snapshotCluster(a, ignore));
    let scratch: ScratchDatabase | undefined;
    let cleaned: Promise<ClusterUndo> | undefined;
    // Drop the scratch database, then put the cluster back; once, whether the run ends, fails or is interrupted.
    const cleanup = () =>
      (cleaned ??= (async () => {
        await scratch?.drop();
        return withAdmin(db, async (a) => restoreCluster(a, before, await snapshotCluster(a, ignore)));
      })());
    // Ctrl-C or a CI job's SIGTERM must not leave a database behind on a shared server: clean up, then exit as the
    // signal would have (128 + signal number). Only --db runs listen, and only while they run.
    const onSignal = (signal: NodeJS.Signals) => {
      void cleanup().finally(() => process.exit(exitCode(signal)));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      for (const root of roots) {
        opts.onRoot?.(root, roots.length);
        scratch = await scratchDatabase(db);
        try {
          reports.push(await rehearse(root.migrations, scratch.factory, { down: opts.down, onResult: (r) => opts.onResult?.(r) }));
        } finally {
          await scratch.drop();
          scratch = undefined;
        }
      }
    } finally {
      undo = await cleanup();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } else {
    for (const root of roots) {
      opts.onRoot?.(root, roots.length);
      const factory = pgliteFactory(root.migrations, undefined, root.prelude);
      reports.push(await rehearse(root.migrations, factory, { down: opts.down, onResult: (r) => opts.onResult?.(r) }));
    }
  }
  const migrations = reports.flatMap((r) => r.migrations);
  const summary = { ...reports[0].summary, total: migrations.length, ms: reports.reduce((n, r) => n + r.summary.ms, 0) };
  for (const s of STATUSES) summary[s] = migrations.filter((m) => m.status === s).length;
  return { migrations, summary, staleDropped, clusterStatements, ...(undo && (undo.statements.length || undo.impossible.length) ? { clusterUndo: undo } : {}) };
}

async function withAdmin<T>(db: ConnectionSettings, f: (admin: Awaited<ReturnType<typeof connectPg>>) => Promise<T>): Promise<T> {
  const admin = await connectPg(db);
  try {
    return await f(admin);
  } finally {
    await admin.close();
  }
}

/** Runs the undo SQL statement by statement; one that fails is reported, the rest still run. */
async function restoreCluster(admin: Awaited<ReturnType<typeof connectPg>>, before: ClusterState, after: ClusterState): Promise<ClusterUndo> {
  const undo = clusterUndo(before, after);
  const impossible = [...undo.impossible];
  for (const sql of undo.statements) {
    try {
      await admin.exec(sql);
    } catch (e) {
      impossible.push(`${sql} failed: ${(e as Error).message}`);
    }
  }
  return { statements: undo.statements, impossible };
}
