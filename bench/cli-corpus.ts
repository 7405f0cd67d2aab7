// Whole-process time of `pgdba check` on ../shared/corpus next to squawk's on the same files, in one run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { peerBin } from './peers';
import { median } from './stats';

export const ROOT = join(__dirname, '..');
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

export function corpusProjects(): string[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS)
    .map((p) => join(CORPUS, p))
    .filter((p) => statSync(p).isDirectory())
    .sort();
}

export function sqlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sqlFiles(p, out);
    else if (name.endsWith('.sql')) out.push(p);
  }
  return out;
}

function timeRun(cmd: string, args: string[]): { ms: number; status: number | null; stdout: string } {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - start, status: r.status, stdout: r.stdout };
}

export interface CliBench {
  files: number;
  runs: number;
  pgdbaMs: number;
  squawkMs: number;
  pgdbaFindings: number;
  squawkFindings: number;
}

export function benchCliCorpus(runs = 5): CliBench | undefined {
  const projects = corpusProjects();
  if (!projects.length) return undefined;
  const files = projects.flatMap((p) => sqlFiles(p));
  const squawk = peerBin('squawk');
  const pgdba = join(ROOT, 'bin', 'pgdba.js');
  const p: number[] = [];
  const s: number[] = [];
  let pgdbaFindings = 0;
  let squawkFindings = 0;
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither tool always runs with a warmer page cache.
    const a = timeRun(process.execPath, [pgdba, 'check', ...projects, '--format', 'json']);
    const b = timeRun(squawk, ['--reporter', 'json', ...files]);
    p.push(a.ms);
    s.push(b.ms);
    pgdbaFindings = (JSON.parse(a.stdout) as { diagnostics: unknown[] }).diagnostics.length;
    squawkFindings = (JSON.parse(b.stdout) as unknown[]).length;
  }
  return { files: files.length, runs, pgdbaMs: median(p), squawkMs: median(s), pgdbaFindings, squawkFindings };
}
