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

/** CPU time (user + system, ms) of this process's finished children, from /proc (Linux; 0 elsewhere). */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

function timeRun(cmd: string, args: string[], cwd: string): { ms: number; cpuMs: number; stdout: string } {
  const start = performance.now();
  const cpu = childrenCpuMs();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu, stdout: r.stdout };
}

/** Wall and CPU medians of a series of runs. */
class Series {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];
  add(r: { ms: number; cpuMs: number }): void {
    this.wall.push(r.ms);
    this.cpu.push(r.cpuMs);
  }
  get median(): Timing {
    return { ms: median(this.wall), cpuMs: median(this.cpu) };
  }
}

export interface Timing {
  ms: number;
  cpuMs: number;
}

export interface CacheBench {
  files: number;
  runs: number;
  squawk: Timing;
  cold: Timing;
  warm: Timing;
  oneFile: Timing;
  changedSince: Timing;
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
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: work, stdio: 'ignore' });
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
    const lemmyUps = sqlFiles(join(work, 'LemmyNet+lemmy'))
      .filter((f) => f.endsWith('up.sql'))
      .sort();
    const edited = lemmyUps[Math.floor(lemmyUps.length / 2)];
    const original = readFileSync(edited, 'utf8');
    const variants = [original, `${original}\nSELECT 1; -- pgdba bench edit\n`];

    const s = new Series();
    const cold = new Series();
    const warm = new Series();
    const oneFile = new Series();
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
      s.add(timeRun(squawk, ['--reporter', 'json', ...files], work));
      const c = check();
      cold.add(c);
      identical.warm &&= c.stdout === reference;
      const w = cached();
      warm.add(w);
      identical.warm &&= w.stdout === reference;
      // One non-DDL change since the cache was written (toggled back and forth).
      const v = (i + 1) % 2;
      writeFileSync(edited, variants[v]);
      const o = cached();
      oneFile.add(o);
      identical.oneFile &&= o.stdout === uncached[v];
      writeFileSync(edited, original);
      cached();
    }

    // --changed-since: the edited lemmy migration against the commit, nothing cached.
    writeFileSync(edited, variants[1]);
    const since = new Series();
    const want = JSON.stringify((JSON.parse(uncached[1]) as { diagnostics: { file: string }[] }).diagnostics.filter((d) => d.file === relative(work, edited)));
    for (let i = 0; i < runs; i++) {
      const r = check('--changed-since', 'HEAD');
      since.add(r);
      identical.changedSince &&= JSON.stringify((JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics) === want;
    }
    return {
      files: files.length,
      runs,
      squawk: s.median,
      cold: cold.median,
      warm: warm.median,
      oneFile: oneFile.median,
      changedSince: since.median,
      identical,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printCacheBench(b: CacheBench): void {
  const ratio = (t: Timing) => `${(t.ms / b.squawk.ms).toFixed(2)}× squawk (CPU ${(t.cpuMs / b.squawk.cpuMs).toFixed(2)}×)`;
  const same = (x: boolean) => (x ? 'findings identical to the uncached run' : 'FINDINGS DIFFER from the uncached run');
  const line = (label: string, t: Timing, rest: string) =>
    console.log(`  ${label.padEnd(40)} ${fmt(t.ms).padStart(9)}  CPU ${fmt(t.cpuMs).padStart(9)}   ${rest}`);
  console.log(`CLI on a copy of ../shared/corpus (${b.files} files, ${b.runs} runs, whole process, medians):`);
  line('squawk 2.66', b.squawk, '');
  line('pgdba check, cold', b.cold, `${ratio(b.cold)}  (target ≤ 4)`);
  line('pgdba check --cache, nothing changed', b.warm, `${ratio(b.warm)}  (target ≤ 0.75)  ${same(b.identical.warm)}`);
  line('pgdba check --cache, one file edited', b.oneFile, `${ratio(b.oneFile)}  (target ≤ 2)  ${same(b.identical.oneFile)}`);
  line('--changed-since HEAD, 1 lemmy migration', b.changedSince, `(target ≤ 2.5 s)  ${same(b.identical.changedSince)}\n`);
}

if (require.main === module) {
  const b = benchCliCache(Number(process.env.BENCH_RUNS ?? 5));
  if (b) printCacheBench(b);
  else console.log('CLI cache bench: skipped (../shared/corpus not found)');
}
