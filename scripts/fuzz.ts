// `npm run fuzz -- [--runs N] [--seed S]`: mutation fuzzing of ../shared/corpus through `pgdba check` and the language server's incremental path.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusFiles, CORPUS } from '../test/fuzz/inputs';
import { fuzz } from '../test/fuzz/run';

async function mainFuzz(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, seed: { type: 'string' } } });
  const runs = Number(values.runs);
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    console.error('usage: npm run fuzz -- [--runs N] [--seed S]');
    return 2;
  }
  const files = corpusFiles();
  if (!files?.length) {
    console.error(`pgdba fuzz: no corpus at ${CORPUS}`);
    return 2;
  }
  console.log(`pgdba fuzz: ${runs} inputs from ${files.length} corpus files, seed ${seed}`);
  const started = Date.now();
  const report = await fuzz({
    files,
    runs,
    seed,
    progress: (n) => n % 500 === 0 && console.log(`  ${n} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`),
  });
  const out = join(tmpdir(), `pgdba-fuzz-${seed}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2));
  const failed = Object.values(report.counts).reduce((a, b) => a + b, 0);
  console.log(`
inputs             ${report.inputs.cli} through pgdba check, ${report.inputs.lsp} through the language server (seed ${seed})
crashes            ${report.counts.crash}
internal errors    ${report.counts['internal-error']}
invalid output     ${report.counts['invalid-output']}
incremental ≠ fresh ${report.counts.mismatch}
time per file      median ${report.medianMs.toFixed(0)} ms, worst ${report.worst.ms.toFixed(0)} ms (${report.worst.target} ${report.worst.path})
peak memory        ${report.peakRssMb.toFixed(0)} MB RSS, ${report.peakHeapMb.toFixed(0)} MB heap
wall time          ${((Date.now() - started) / 1000).toFixed(0)} s
report             ${out}`);
  for (const f of report.failures.slice(0, 5))
    console.log(`\n${f.target} ${f.path} ${JSON.stringify(f.mutations).slice(0, 300)}\n  ${f.problem.kind}: ${f.problem.detail.slice(0, 500)}`);
  return failed ? 1 : 0;
}

void mainFuzz().then((code) => (process.exitCode = code));
