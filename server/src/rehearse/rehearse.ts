// Rehearses migrations on a scratch engine: for each one fingerprint, up, down, fingerprint again and compare, up again.
import { newApplyState, applyStatement } from '../core/catalog/build';
import { emptyCatalog } from '../core/catalog/types';
import { parseSql } from '../core/parse/parse';
import { generateRollback } from '../core/rollback/generate';
import type { Engine } from '../engine/types';
import { describeDiff, diffFingerprints, fingerprint, sameFingerprint, type Fingerprint } from './fingerprint';
import { applyBestEffort, runScript, scriptStatements, type ScriptFailure } from './run-script';

export interface RehearsalMigration {
  /** Shown in reports: the migration's id (its directory or up file). */
  name: string;
  up: string;
  /** The hand-written down; undefined when the migration has none. */
  down?: string;
  /** 1-based line where the up / down text starts in its file (dbmate sections start mid-file). */
  upLine?: number;
  downLine?: number;
  /** Where the parts live (workspace-relative), so results can be pinned to them. */
  upPath?: string;
  downPath?: string;
}

export type RehearsalStatus = 'ok' | 'up-failed' | 'down-failed' | 'schema-mismatch' | 'no-down' | 'skipped';
export const STATUSES: readonly RehearsalStatus[] = ['ok', 'up-failed', 'down-failed', 'schema-mismatch', 'no-down', 'skipped'];

export interface RehearsalResult {
  name: string;
  status: RehearsalStatus;
  detail: string;
  ms: number;
  /** The down that was run, when it was generated. */
  generatedDown?: string;
  /** The file the result is about (the down for down failures and mismatches, the up otherwise), and where in it (1-based). */
  file?: string;
  line?: number;
  column?: number;
  /** The files the migration is made of (workspace-relative). */
  files?: string[];
}

export interface RehearsalReport {
  migrations: RehearsalResult[];
  summary: Record<RehearsalStatus, number> & { total: number; down: 'files' | 'generated'; engine: string; ms: number };
}

export interface RehearseOptions {
  down: 'files' | 'generated';
  /** Called after each migration (progress reporting). */
  onResult?: (result: RehearsalResult, index: number, total: number) => void;
  /** Keep the generated down of each migration in the result. */
  keepGenerated?: boolean;
}

function where(f: ScriptFailure): string {
  return f.line !== undefined ? ` at line ${f.line}:${f.column}` : '';
}

/** Whether a script has anything to run. */
function empty(sql: string | undefined): boolean {
  const s = sql === undefined ? undefined : scriptStatements(sql);
  return !!s && !s.error && s.statements.length === 0;
}

/**
 * Applies the migrations in order on a fresh engine from `engineFactory` (closed at the end). For each: fingerprint the
 * schema, apply the up, apply the down (the migration's own, or one pgdba generates from the catalog before the up),
 * fingerprint again and compare, then apply the up again. A down whose result differs is rolled back when it ran in a
 * transaction, so the next migration starts from the state after the up either way.
 */
export async function rehearse(
  migrations: readonly RehearsalMigration[],
  engineFactory: () => Promise<Engine>,
  opts: RehearseOptions,
): Promise<RehearsalReport> {
  const started = Date.now();
  const engine = await engineFactory();
  const results: RehearsalResult[] = [];
  const catalog = emptyCatalog();
  let stopped: string | undefined;
  let known: Fingerprint | undefined;
  try {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i];
      const t0 = Date.now();
      const push = (status: RehearsalStatus, detail: string, generatedDown?: string, at?: At) => {
        const r: RehearsalResult = {
          name: m.name,
          status,
          detail,
          ms: Date.now() - t0,
          ...(generatedDown && opts.keepGenerated ? { generatedDown } : {}),
          ...place(m, at, opts.down),
          ...partFiles(m),
        };
        results.push(r);
        opts.onResult?.(r, i, migrations.length);
      };
      if (stopped) {
        push('skipped', stopped);
        continue;
      }
      // The down is generated from the catalog before the up, which then moves past it.
      let down = m.down;
      if (opts.down === 'generated') {
        down = generateRollback(m.up, catalog, { file: m.name, header: false }).sql;
        const state = newApplyState(m.name);
        for (const s of parseSql(m.up).statements) applyStatement(catalog, s, state);
      }
      if (empty(m.up)) {
        push('skipped', 'the up migration has no statements');
        continue;
      }
      try {
        const outcome = await rehearseOne(engine, m, down, known);
        known = outcome.after;
        push(outcome.status, outcome.detail, opts.down === 'generated' ? down : undefined, outcome.at);
      } catch (err) {
        // A timeout restarts PGlite from scratch: nothing after this point would mean anything.
        stopped = `not rehearsed: the rehearsal stopped at ${m.name} (${(err as Error).message})`;
        push('skipped', stopped);
        known = undefined;
      }
    }
  } finally {
    await engine.close();
  }
  const summary = { total: results.length, down: opts.down, engine: engine.label, ms: Date.now() - started } as RehearsalReport['summary'];
  for (const s of STATUSES) summary[s] = results.filter((r) => r.status === s).length;
  return { migrations: results, summary };
}

/** Which part a result is about, and the line and column there when a statement failed. */
interface At {
  part: 'up' | 'down';
  line?: number;
  column?: number;
}

/** The file and position of a result: a generated down has no file, so its results are pinned to the up. */
function place(m: RehearsalMigration, at: At | undefined, down: RehearseOptions['down']): Pick<RehearsalResult, 'file' | 'line' | 'column'> {
  if (!at) return {};
  const onDown = at.part === 'down' && down === 'files' && m.downPath !== undefined;
  const file = onDown ? m.downPath : m.upPath;
  if (file === undefined) return {};
  const line = onDown || at.part === 'up' ? at.line : undefined;
  return { file, line: line ?? (onDown ? m.downLine : m.upLine) ?? 1, ...(line !== undefined && at.column !== undefined ? { column: at.column } : {}) };
}

function partFiles(m: RehearsalMigration): Pick<RehearsalResult, 'files'> {
  const files = [...new Set([m.upPath, m.downPath].filter((f): f is string => f !== undefined))];
  return files.length ? { files } : {};
}

/** The line of a script's first statement (where a mismatch is reported), in its file. */
function firstStatementLine(sql: string, firstLine = 1): number {
  const first = scriptStatements(sql).statements[0];
  return first ? firstLine + (sql.slice(0, first.start).match(/\n/g)?.length ?? 0) : firstLine;
}

interface Outcome {
  status: RehearsalStatus;
  detail: string;
  at?: At;
  /** The fingerprint after this migration, when it was taken (saves one for the next migration). */
  after?: Fingerprint;
}

class Stop extends Error {}

function check(f: ScriptFailure): void {
  if (f.timeout) throw new Stop(f.message);
}

async function rehearseOne(engine: Engine, m: RehearsalMigration, down: string | undefined, known: Fingerprint | undefined): Promise<Outcome> {
  const before = known ?? (await fingerprint(engine));
  const up = await runScript(engine, m.up, { firstLine: m.upLine });
  if (!up.ok) {
    check(up.failure);
    await applyBestEffort(engine, m.up);
    return {
      status: 'up-failed',
      detail: `up failed${where(up.failure)}: ${up.failure.message}`,
      at: { part: 'up', line: up.failure.line, column: up.failure.column },
    };
  }
  // No position: there is no down file to pin it to, and missing-rollback already says so on the up file.
  if (down === undefined) return { status: 'no-down', detail: 'the migration has no down' };
  if (empty(down)) {
    const after = await fingerprint(engine);
    const diff = diffFingerprints(before, after);
    if (sameFingerprint(diff)) return { status: 'ok', detail: 'the down is empty and the up changes no schema', after };
    return { status: 'no-down', detail: `the down is empty; the up leaves: ${describeDiff(diff).join('; ')}`, after, at: { part: 'down' } };
  }
  const d = await runScript(engine, down, { firstLine: m.downLine, keepOpen: true });
  if (!d.ok) {
    check(d.failure);
    return {
      status: 'down-failed',
      detail: `down failed${where(d.failure)}: ${d.failure.message}`,
      at: { part: 'down', line: d.failure.line, column: d.failure.column },
    };
  }
  const restored = await fingerprint(engine);
  const diff = diffFingerprints(before, restored);
  if (!sameFingerprint(diff)) {
    // Roll the down back (when it ran in a transaction) so the next migration starts after this up.
    if (d.open) await engine.exec('ROLLBACK');
    return {
      status: 'schema-mismatch',
      detail: describeDiff(diff).join('; '),
      after: d.open ? undefined : restored,
      at: { part: 'down', line: firstStatementLine(down, m.downLine) },
    };
  }
  if (d.open) await engine.exec('COMMIT');
  const again = await runScript(engine, m.up, { firstLine: m.upLine });
  if (!again.ok) {
    check(again.failure);
    await applyBestEffort(engine, m.up);
    // The down left something that makes the up fail: the down is at fault.
    return {
      status: 'up-failed',
      detail: `the up fails again after the down${where(again.failure)}: ${again.failure.message}`,
      at: { part: 'down', line: firstStatementLine(down, m.downLine) },
    };
  }
  return { status: 'ok', detail: '' };
}
