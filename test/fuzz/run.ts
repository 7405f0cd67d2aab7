// Runs the fuzz targets over fast-check-generated inputs with one seed, and sums up crashes, internal errors, worst time and memory.
import fc from 'fast-check';
import { initParser } from '../../server/src/core/parse/parse';
import { positionEdit } from '../../server/src/testing/edits';
import { configText, mutatedCorpusFile, type FileInput } from './inputs';
import { checkCli, checkIncremental, type Outcome } from './targets';

export interface FuzzOptions {
  files: string[];
  /** Inputs in all: 60% through `pgdba check`, 40% through the language server's incremental path. */
  runs: number;
  seed: number;
  /** Stop at the first failing input and shrink it (the CI batch); otherwise run every input and count. */
  strict?: boolean;
  progress?: (done: number) => void;
}

export interface Failure {
  target: 'cli' | 'lsp';
  path: string;
  mutations: FileInput['mutations'];
  problem: Outcome['problems'][number];
}

export interface FuzzReport {
  seed: number;
  inputs: { cli: number; lsp: number };
  counts: Record<Outcome['problems'][number]['kind'], number>;
  worst: { ms: number; target: string; path: string };
  medianMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  failures: Failure[];
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  await initParser();
  const report: FuzzReport = {
    seed: opts.seed,
    inputs: { cli: 0, lsp: 0 },
    counts: { crash: 0, 'internal-error': 0, 'invalid-output': 0, mismatch: 0 },
    worst: { ms: 0, target: '', path: '' },
    medianMs: 0,
    peakRssMb: 0,
    peakHeapMb: 0,
    failures: [],
  };
  const times: number[] = [];
  let done = 0;
  const record = (target: 'cli' | 'lsp', input: FileInput, o: Outcome) => {
    report.inputs[target]++;
    times.push(o.ms);
    if (o.ms > report.worst.ms) report.worst = { ms: o.ms, target, path: input.path };
    report.peakHeapMb = Math.max(report.peakHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
    for (const p of o.problems) {
      report.counts[p.kind]++;
      if (report.failures.length < 50)
        report.failures.push({ target, path: input.path, mutations: input.mutations, problem: { ...p, detail: p.detail.slice(0, 2000) } });
    }
    opts.progress?.(++done);
    if (opts.strict && o.problems.length) throw new Error(`${target} ${input.path}: ${o.problems.map((p) => `${p.kind}: ${p.detail}`).join('\n')}`);
  };
  const cliRuns = Math.round(opts.runs * 0.6);
  const params = (numRuns: number, seed: number) => ({ numRuns, seed, endOnFailure: !opts.strict, ...(opts.strict ? {} : { markInterruptAsFailure: false }) });
  const cli = fc.asyncProperty(mutatedCorpusFile(opts.files), fc.option(configText(), { freq: 8 }), async (input, config) => {
    record('cli', input, await checkCli(input.path, input.text, config ?? undefined));
  });
  const lsp = fc.property(mutatedCorpusFile(opts.files), fc.array(positionEdit(), { minLength: 1, maxLength: 6 }), (input, edits) => {
    record('lsp', input, checkIncremental(input.path, input.text, edits));
  });
  try {
    if (cliRuns > 0) await fc.assert(cli, params(cliRuns, opts.seed));
    if (opts.runs - cliRuns > 0) fc.assert(lsp, params(opts.runs - cliRuns, opts.seed + 1));
  } finally {
    times.sort((a, b) => a - b);
    report.medianMs = times[Math.floor(times.length / 2)] ?? 0;
    report.peakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  return report;
}
