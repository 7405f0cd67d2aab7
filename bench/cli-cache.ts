// `pgdba check` on a copy of ../shared/corpus next to squawk, in one run: cold, warm cache (nothing changed), warm cache
// with one non-DDL file changed, and --changed-since after editing one lemmy migration; every output is compared with an
// uncached run on the same files.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { corpusProjects, ROOT, sqlFiles } from './cli-corpus';
import { peerBin } from './peers';
import { fmt, median } from './stats';

function timeRun(cmd: string, args: string[], cwd: string): { ms: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export interface CacheBench {
  files: number;
  runs: number;
  squawkMs: number;
  coldMs: number;
  warmMs: number;
  oneFileMs: number;
  changedSinceMs: number;
  identical: { warm: boolean; oneFile: boolean; changedSince: boolean };
}

export function benchCliCache(runs = 5): CacheBench | undefined {
  const sources = corpusProjects();
  const lemmy = sources.find((p) => basename(p) === 'LemmyNet+lemmy');
  if (!sources.length || !lemmy) return undefined;
  // A copy: the bench edits files and makes a git repository.
  const work = mkdtempSync(join(tmpdir(), 'pgdba-bench-corpus-'));
  try {
    const projects = sources.map((p) => {
      cpSync(p, join(work, basename(p)), { recursive: true });
      return basename(p);
    });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: work, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'corpus');
    const files = projects.flatMap((p) => sqlFiles(join(work, p))).map((f) => relative(work, f));
    const squawk = peerBin('squawk');
    const pgdba = join(ROOT, 'bin', 'pgdba.js');
    const cacheDir = join(work, '.pgdba-cache');
    const check = (...extra: string[]) => timeRun(process.execPath, [pgdba, 'check', ...projects, '--format', 'json', ...extra], work);
    const cached = () => check('--cache', '--cache-location', cacheDir);

    // The non-DDL file edited between warm runs, and the lemmy migration edited for --changed-since.
    const lemmyUps = sqlFiles(join(work, 'LemmyNet+lemmy')).filter((f) => f.endsWith('up.sql')).sort();
    const edited = lemmyUps[Math.floor(lemmyUps.length / 2)];
    const original = readFileSync(edited, 'utf8');
    const variants = [original, `${original}\nSELECT 1; -- pgdba bench edit\n`];

    const s: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    const oneFile: number[] = [];
    const identical = { warm: true, oneFile: true, changedSince: true };
    // Uncached output of each variant of the edited file.
    const uncached: string[] = [];
    for (const v of variants) {
      writeFileSync(edited, v);
      uncached.push(check().stdout);
    }
    writeFileSync(edited, original);
    const reference = uncached[0];
    cached(); // Fill the cache.
    for (let i = 0; i < runs; i++) {
      // Alternate the tools so neither always runs with a warmer page cache.
      s.push(timeRun(squawk, ['--reporter', 'json', ...files], work).ms);
      const c = check();
      cold.push(c.ms);
      identical.warm &&= c.stdout === reference;
      const w = cached();
      warm.push(w.ms);
      identical.warm &&= w.stdout === reference;
      // One non-DDL change since the cache was written (toggled back and forth).
      const v = (i + 1) % 2;
      writeFileSync(edited, variants[v]);
      const o = cached();
      oneFile.push(o.ms);
      identical.oneFile &&= o.stdout === uncached[v];
      writeFileSync(edited, original);
      cached();
    }

    // --changed-since: the edited lemmy migration against the commit, nothing cached.
    writeFileSync(edited, variants[1]);
    const since: number[] = [];
    const want = JSON.stringify((JSON.parse(uncached[1]) as { diagnostics: { file: string }[] }).diagnostics.filter((d) => d.file === relative(work, edited)));
    for (let i = 0; i < runs; i++) {
      const r = check('--changed-since', 'HEAD');
      since.push(r.ms);
      identical.changedSince &&= JSON.stringify((JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics) === want;
    }
    return { files: files.length, runs, squawkMs: median(s), coldMs: median(cold), warmMs: median(warm), oneFileMs: median(oneFile), changedSinceMs: median(since), identical };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printCacheBench(b: CacheBench): void {
  const ratio = (ms: number) => (ms / b.squawkMs).toFixed(2);
  const same = (x: boolean) => (x ? 'findings identical to the uncached run' : 'FINDINGS DIFFER from the uncached run');
  console.log(`CLI on a copy of ../shared/corpus (${b.files} files, ${b.runs} runs, whole process, medians):`);
  console.log(`  squawk 2.66                          ${fmt(b.squawkMs).padStart(9)}`);
  console.log(`  pgdba check, cold                    ${fmt(b.coldMs).padStart(9)}   ${ratio(b.coldMs)}× squawk (target ≤ 4)`);
  console.log(`  pgdba check --cache, nothing changed ${fmt(b.warmMs).padStart(9)}   ${ratio(b.warmMs)}× squawk (target ≤ 0.75)   ${same(b.identical.warm)}`);
  console.log(`  pgdba check --cache, one file edited ${fmt(b.oneFileMs).padStart(9)}   ${ratio(b.oneFileMs)}× squawk (target ≤ 2)   ${same(b.identical.oneFile)}`);
  console.log(`  --changed-since HEAD, one lemmy migration edited ${fmt(b.changedSinceMs)} (target ≤ 2.5 s)   ${same(b.identical.changedSince)}\n`);
}

if (require.main === module) {
  const b = benchCliCache(Number(process.env.BENCH_RUNS ?? 5));
  if (b) printCacheBench(b);
  else console.log('CLI cache bench: skipped (../shared/corpus not found)');
}
