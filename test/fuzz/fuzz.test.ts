// The CI fuzz batch: a fixed seed, mutated corpus files through `pgdba check` and the language server's incremental path (≤ 60 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFiles } from './inputs';
import { fuzz } from './run';

/** Same inputs on every run; `npm run fuzz -- --runs N --seed S` explores further. */
const SEED = 20261205;
const RUNS = 300;

test('fuzz batch: no crash, no internal error, valid JSON and positions, incremental equals fresh', async (t) => {
  // On CI (CI=true) a missing corpus throws here: the batch fails instead of passing without running.
  const files = corpusFiles();
  if (!files) return t.skip('../shared/corpus not found');
  assert.ok(files.length > 100, `only ${files.length} corpus files`);
  const report = await fuzz({ files, runs: RUNS, seed: SEED, strict: true });
  assert.deepEqual(report.counts, { crash: 0, 'internal-error': 0, 'invalid-output': 0, mismatch: 0 });
  assert.equal(report.inputs.cli + report.inputs.lsp, RUNS);
});
