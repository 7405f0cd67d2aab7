// Where the benchmarks find ../shared/corpus and its projects' SQL files.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
