// `npm run bench`: every benchmark side by side in one run (medians; ratios against a peer measured in the same run).
import { initParser } from '../server/src/core/parse/parse';
import { benchCliCache, printCacheBench } from './cli-cache';
import { benchExplain } from './explain';
import { benchLspHover } from './lsp-hover';
import { benchLspIntel } from './lsp-intel';
import { benchLspLatency } from './lsp-latency';
import { benchObserve } from './observe';
import { benchProjects, printProjects } from './projects';
import { benchPathological } from './pathological';
import { fmt } from './stats';

async function main(): Promise<void> {
  await initParser();
  console.log('pgdba benchmarks (2-core machine; medians)\n');

  const cli = benchCliCache(5);
  if (cli) printCacheBench(cli);
  else console.log('CLI on corpus: skipped (../shared/corpus not found)\n');

  console.log('Pathological input, analysis of one file at 90 KB and 300 KB (linear: ratio ≈ 3.3):');
  for (const p of benchPathological())
    console.log(`  ${p.shape.padEnd(18)} ${fmt(p.smallMs).padStart(9)} ${fmt(p.largeMs).padStart(9)}   ratio ${(p.largeMs / p.smallMs).toFixed(1)}`);
  console.log();

  const lsp = await benchLspLatency(5000, 60);
  console.log(`Language server, edit → diagnostics on a ${lsp.statements}-statement file (${lsp.edits} edits):`);
  console.log(`  first diagnostics (open) ${fmt(lsp.coldMs)}`);
  console.log(`  p50 ${fmt(lsp.p50)}   p95 ${fmt(lsp.p95)}   (target p50 ≤ 15 ms)\n`);

  const ex = await benchExplain(3, 10);
  if (ex) {
    console.log(`EXPLAIN on embedded PGlite, LemmyNet+lemmy (${ex.migrations} migrations, ${ex.applied} statements applied, ${ex.skipped} skipped):`);
    console.log(`  engine build, cold          ${fmt(ex.buildColdMs)}`);
    console.log(`  engine ready, warm cache    ${fmt(ex.buildWarmMs)}`);
    console.log(`  first plan, warm cache      ${fmt(ex.firstPlanWarmMs)}   (target ≤ 2 s)`);
    console.log(`  hover → plan, not cached    ${fmt(ex.hoverColdMs)}`);
    console.log(`  hover → plan, cached        ${fmt(ex.hoverCachedMs)}   (target ≤ 50 ms)\n`);
  } else {
    console.log('EXPLAIN bench: skipped (../shared/corpus/LemmyNet+lemmy not found)\n');
  }

  const obs = benchObserve(5);
  console.log(`pg_stat_statements mapping (${obs.rows} synthetic rows, ${obs.files}-file workspace, ${obs.statements} statements; ${obs.mapped} rows mapped):`);
  console.log(`  fingerprint workspace + map rows  ${fmt(obs.mapMs)}   (target ≤ 2 s)`);
  console.log(`  the same, parsing the files too    ${fmt(obs.withParseMs)}`);
  console.log(`  again, files unchanged (editor)    ${fmt(obs.warmMs)}`);
  console.log(
    `  code lens refresh, 250-statement file  ${fmt(obs.lensMs)}   (target ≤ 200 ms; first refresh ${fmt(obs.lensFirstMs)}; then the Top queries view ${fmt(obs.viewMs)})\n`,
  );
  const intel = await benchLspIntel(40);
  if (intel) {
    console.log(`Code intelligence through the language server (lemmy + a query file, ${intel.runs} requests each, p50 / p95):`);
    console.log(`  completion  ${fmt(intel.completion.p50)} / ${fmt(intel.completion.p95)}   (target p95 ≤ 30 ms)`);
    console.log(`  hover       ${fmt(intel.hover.p50)} / ${fmt(intel.hover.p95)}   (target ≤ 20 ms)`);
    console.log(`  definition  ${fmt(intel.definition.p50)} / ${fmt(intel.definition.p95)}   (target ≤ 50 ms)`);
    console.log(`  references  ${fmt(intel.references.p50)} / ${fmt(intel.references.p95)}   (${intel.references.count} locations; target ≤ 50 ms)`);
    console.log(`  heap after analysis ${intel.heapBeforeMb.toFixed(1)} MB → after code intelligence ${intel.heapAfterMb.toFixed(1)} MB (target ≤ +50 MB)\n`);
  }
  printProjects(await benchProjects(5));

  const hover = await benchLspHover(10);
  console.log(`Hover → plan through the language server (${hover.workspace}):`);
  console.log(`  first hover, PGlite cache warm  ${fmt(hover.firstHoverWarmCacheMs)}   (target ≤ 2 s)`);
  console.log(`  hover, plan not cached          ${fmt(hover.hoverColdMs)}`);
  console.log(`  hover, plan cached              ${fmt(hover.hoverCachedMs)}   (target ≤ 50 ms)\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
