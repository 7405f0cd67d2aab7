// The real-world migrations in ../shared/corpus (never copied into the repository), for the tests that read them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/corpus, beside the repository. */
export const CORPUS = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

/**
 * The `skip` option of a test that needs `path` from the corpus: a visible skip when it is absent, except under CI=true,
 * where a missing corpus is a failure (the test runs and names what is missing) rather than a quiet pass.
 */
export function corpusSkip(path: string = CORPUS): string | false {
  if (existsSync(path)) return false;
  if (process.env.CI) return false;
  return `needs ${path} (../shared/corpus)`;
}

/** Throws, naming the path, when the corpus part a test needs is absent (under CI=true corpusSkip lets such a test run). */
export function requireCorpus(path: string = CORPUS): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests that read ../shared/corpus need it (CI=true fails without it)`);
  return path;
}
