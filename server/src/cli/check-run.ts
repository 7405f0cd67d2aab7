// `pgdba check` with the CI options: --cache (replays unchanged paths without loading the parser), --changed-since
// (findings for changed files only) and --baseline (only new findings fail). Without them the plain check runs.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Finding } from '../core/analyze';
import type { Config } from '../core/config';
import type { Workspace } from '../core/workspace/workspace';
import { CheckCache, hash, type KeptRule, type Replay } from './check-cache';
import { changedFiles } from '../node/git-changes';
import { requireWithCodeCache, type CachedLoad } from '../node/code-cache';
import nodeModule from 'node:module';
import { workspaceRootOf } from '../node/workspace-root';
import type { Io } from './check';
import type { CheckHooks, CheckUnit } from './check-hooks';
import { REPORTERS } from './reporters';
import type { ReportedFinding, RuleInfo } from './reporters/types';

export interface CheckRunOptions {
  paths: string[];
  format: string;
  config?: string;
  cwd: string;
  cache?: boolean;
  cacheLocation?: string;
  changedSince?: string;
  baseline?: string;
  version: string;
  /** Told how much the cache saved (tests). */
  onCacheStats?(stats: CheckCache['stats']): void;
}

/**
 * The cache folder when --cache-location is not given: where JavaScript tools keep theirs (find-cache-dir's convention)
 * when the working directory has a node_modules; else `.pgdba-cache`, so a Go or Rust repository does not get a
 * node_modules folder of pgdba's making.
 */
export function defaultCacheLocation(cwd: string): string {
  return existsSync(join(cwd, 'node_modules')) ? join('node_modules', '.cache', 'pgdba') : '.pgdba-cache';
}

type CheckModule = typeof import('./check-bundle');

export async function runCheckWithOptions(opts: CheckRunOptions, io: Io): Promise<number> {
  let changed: Set<string> | undefined;
  if (opts.changedSince !== undefined) {
    const result = changedFiles(opts.cwd, opts.changedSince);
    if (!result.ok) {
      io.stderr(`pgdba check: ${result.message}\n`);
      return 2;
    }
    changed = result.files;
  }
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const include = changed && ((absFile: string) => changed!.has(absFile) || changed!.has(real(absFile)));
  const unitChanged = (unit: CheckUnit) => {
    if (!changed) return true;
    if (!statSync(unit.path).isDirectory()) return include!(unit.path);
    const roots = [unit.path + sep, real(unit.path) + sep];
    for (const f of changed) if (roots.some((r) => f.startsWith(r))) return true;
    return false;
  };

  const cacheDir = resolve(opts.cwd, opts.cacheLocation ?? defaultCacheLocation(opts.cwd));
  const cache = opts.cache
    ? new CheckCache({
        dir: cacheDir,
        version: opts.version,
        cwd: opts.cwd,
        config: opts.config && resolve(opts.cwd, opts.config),
        readOnly: !!changed,
      })
    : undefined;
  const rulesSeen = new Map<string, KeptRule>();
  const hits = new Map<string, Replay | undefined>();
  const hit = (unit: CheckUnit): Replay | undefined => {
    if (!hits.has(unit.path)) hits.set(unit.path, cache?.replay(unit));
    return hits.get(unit.path);
  };
  const replays = new Map<string, ReportedFinding[] | undefined>();
  const replay = (unit: CheckUnit): ReportedFinding[] | undefined => {
    if (replays.has(unit.path)) return replays.get(unit.path);
    let found: ReportedFinding[] | undefined;
    if (!unitChanged(unit)) found = [];
    else {
      const loaded = hit(unit)?.load();
      found = loaded && include ? loaded.findings.filter((f) => include(resolve(opts.cwd, f.file))) : loaded?.findings;
      for (const r of loaded?.rules ?? []) rulesSeen.set(r.id, r);
    }
    replays.set(unit.path, found);
    return found;
  };

  // eslint-disable-next-line prefer-const -- assigned once the replay path has not returned; finish() reads it either way
  let check: CheckModule | undefined;
  const units = opts.paths.map((p) => resolve(opts.cwd, p));
  // A whole run's report is kept when it can be printed again as it is: every finding shown, no baseline to apply.
  const keepsReport = !!cache && !changed && !opts.baseline;
  const finish = (all: ReportedFinding[], exitCode: number) => {
    const slot = cache && keepsReport && exitCode !== 2 ? cache.reportSlot(units, opts.format) : undefined;
    const keep = slot && ((output: Buffer) => cache!.writeReport(slot, output, exitCode));
    // Replayed rules in pgdba's order, as a run that analyses lists them.
    const rules = check ? check.ruleInfos() : [...rulesSeen.values()].sort((a, b) => a.order - b.order);
    return finishCheck(opts, io, all, exitCode, rules, keep);
  };

  // Every path replayed (or unchanged): report without loading the analysis (and its parser) at all.
  if (units.length > 0 && REPORTERS[opts.format] && (!opts.config || existsSync(resolve(opts.cwd, opts.config)))) {
    const unitOf = (abs: string): CheckUnit | undefined =>
      existsSync(abs) ? { path: abs, root: statSync(abs).isDirectory() ? abs : workspaceRootOf(abs) } : undefined;
    // Unchanged inputs everywhere, and the same findings as when the report was kept: print it as it was.
    if (
      cache &&
      keepsReport &&
      units.every((abs) => {
        const u = unitOf(abs);
        return !!u && !!hit(u);
      })
    ) {
      const slot = cache.reportSlot(units, opts.format);
      const kept = slot && cache.readReport(slot);
      if (kept) {
        opts.onCacheStats?.(cache.stats);
        if (io.stdoutBytes) io.stdoutBytes(kept.output);
        else io.stdout(kept.output.toString('utf8'));
        return kept.exitCode;
      }
    }
    const all: ReportedFinding[] = [];
    for (const abs of units) {
      const unit = unitOf(abs);
      const found = unit && replay(unit);
      if (!found) break;
      all.push(...found);
    }
    if (replays.size === units.length && [...replays.values()].every(Boolean)) {
      if (cache) opts.onCacheStats?.(cache.stats);
      return finish(all, all.some((f) => f.severity === 'error') ? 1 : 0);
    }
  }

  // Loaded only now: the analysis, its rules and the parser are what a replay avoids.
  const compiled = cache && loadCompiled(cacheDir);
  check = compiled ? compiled.exports : await import('./check-bundle.js');
  const keyModule = await import('../core/workspace/check-key.js');
  const keys = new WeakMap<Workspace, string>();
  const hooks: CheckHooks = {
    replay,
    include,
    ...(cache && {
      files: (unit, files) => cache.files(unit, files),
      store: (unit) => cache.derived(unit),
      analyze: (unit: CheckUnit, rel: string, ws: Workspace, config: Config, analyze: () => Finding[]) => {
        const key = () => {
          let schema = keys.get(ws);
          if (schema === undefined) keys.set(ws, (schema = hash(keyModule.schemaSignature(ws))));
          return hash(`${opts.version}\u0000${schema}\u0000${keyModule.fileInputs(ws, rel, config)}`);
        };
        return cache.analyze(unit, rel, key, analyze);
      },
      done: (unit, findings, configProblems) => cache.done(unit, findings, configProblems, check!.ruleInfos()),
    }),
    finish,
  };
  const code = await check.runCheck({ paths: opts.paths, format: opts.format, config: opts.config, cwd: opts.cwd, hooks }, io);
  if (cache) opts.onCacheStats?.(cache.stats);
  compiled?.save();
  return code;
}

/**
 * The bundled analysis (dist/cli-check.js), loaded with V8's compiled code kept beside the result cache, on Node
 * versions without module.enableCompileCache (bin/pgdba.js turns that on where it exists). Undefined when running from
 * sources (tests) or on a Node that keeps compiled code itself.
 */
function loadCompiled(dir: string): CachedLoad<CheckModule> | undefined {
  const bundle = join(__dirname, 'cli-check.js');
  if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function' || !existsSync(bundle)) return undefined;
  return requireWithCodeCache<CheckModule>(bundle, dir);
}

/** Applies the baseline, prints the report (and hands its bytes to `keep`) and returns the exit code. */
async function finishCheck(
  opts: CheckRunOptions,
  io: Io,
  all: ReportedFinding[],
  exitCode: number,
  rules: RuleInfo[],
  keep?: (output: Buffer) => void,
): Promise<number> {
  let shown = all;
  let code = exitCode;
  if (opts.baseline) {
    const { applyBaseline, loadBaseline } = await import('./baseline.js');
    const file = resolve(opts.cwd, opts.baseline);
    const loaded = loadBaseline(file);
    if (!loaded.ok) {
      io.stderr(`pgdba check: --baseline ${loaded.message}\n`);
      return 2;
    }
    const split = applyBaseline(all, loaded.baseline, opts.cwd, file);
    shown = split.fresh;
    if (code !== 2) code = shown.some((f) => f.severity === 'error') ? 1 : 0;
    io.stderr(
      `pgdba: baseline ${opts.baseline}: ${split.accepted} accepted, ${split.fresh.length} new, ${split.stale.reduce((n, s) => n + s.count, 0)} stale.\n`,
    );
    for (const s of split.stale)
      io.stderr(
        `  stale: ${s.file}  ${s.rule}${s.count > 1 ? ` (×${s.count})` : ''}  ${s.message ?? ''} (fixed, or its text changed: write the baseline again)\n`,
      );
  }
  const output = REPORTERS[opts.format](shown, rules);
  if (keep && io.stdoutBytes) {
    // Encoded once, for the terminal and the cache.
    const bytes = Buffer.from(output);
    io.stdoutBytes(bytes);
    keep(bytes);
  } else {
    io.stdout(output);
    keep?.(Buffer.from(output));
  }
  return code;
}
