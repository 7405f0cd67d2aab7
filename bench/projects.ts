// The project model's cost: building it for lemmy, `pgdba check` on the corpus and language server memory on lemmy, each next to main's build in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection } from 'vscode-jsonrpc/node';
import {
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { initParser } from '../server/src/core/parse/parse';
import { ConfigFiles } from '../server/src/node/config-files';
import { nodeProjects } from '../server/src/node/projects';
import { CORPUS, corpusProjects, ROOT, sqlFiles } from './cli-corpus';
import { fmt, median } from './stats';

const LEMMY = join(CORPUS, 'LemmyNet+lemmy');
/** main's tree, built with this checkout's node_modules, so both sides run on the same machine in the same run. */
const MAIN = '/tmp/pgdba-bench-main';

function buildMain(): string | undefined {
  rmSync(MAIN, { recursive: true, force: true });
  mkdirSync(MAIN, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git -C ${JSON.stringify(ROOT)} archive main | tar -x -C ${MAIN}`]);
  if (archive.status !== 0) return undefined;
  spawnSync('ln', ['-s', join(ROOT, 'node_modules'), join(MAIN, 'node_modules')]);
  return spawnSync(process.execPath, ['esbuild.mjs'], { cwd: MAIN }).status === 0 ? MAIN : undefined;
}

/** CPU time of the children this process has waited for (user + system, /proc/self/stat fields 16 and 17, in ms). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are indexes 13 and 14; 100 ticks/s.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and CPU time of one `pgdba check` of the corpus. CPU time is what to compare on a loaded shared machine. */
function checkRun(root: string): { ms: number; cpuMs: number; findings: number } {
  const start = performance.now();
  const cpu = childrenCpuMs();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pgdba.js'), 'check', ...corpusProjects(), '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  return { ms: performance.now() - start, cpuMs: childrenCpuMs() - cpu, findings: (JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics.length };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Starts a build's language server on lemmy, pulls diagnostics for every SQL file and returns its peak RSS. */
async function lspPeakMb(root: string): Promise<number> {
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest((method: string, params: unknown) =>
    method === 'workspace/configuration' ? (params as { items: unknown[] }).items.map(() => ({ explain: { hover: false, planDiagnostics: false } })) : null,
  );
  conn.onNotification((_method: string) => undefined);
  conn.listen();
  try {
    const folder = pathToFileURL(LEMMY).toString();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder,
      capabilities: {},
      workspaceFolders: [{ uri: folder, name: 'lemmy' }],
    });
    await conn.sendNotification(InitializedNotification.type, {});
    for (const file of sqlFiles(LEMMY)) {
      const uri = pathToFileURL(file).toString();
      await conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'sql', version: 1, text: readFileSync(file, 'utf8') },
      });
      await conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    }
    return peakRssMb(child.pid!);
  } finally {
    conn.dispose();
    child.kill();
  }
}

export interface ProjectsBench {
  modelMs: number;
  modelCpuMs: number;
  check: { branchMs: number; mainMs: number; branchCpuMs: number; mainCpuMs: number; branchFindings: number; mainFindings: number } | undefined;
  lsp: { branchMb: number; mainMb: number } | undefined;
}

export async function benchProjects(runs = 5): Promise<ProjectsBench | undefined> {
  if (!existsSync(LEMMY)) return undefined;
  await initParser();
  const model: number[] = [];
  const modelCpu: number[] = [];
  for (let i = 0; i < runs * 4; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    // Everything a session does to know the projects: walk with .gitignore, discovery, sqlc, schema and query files.
    nodeProjects(LEMMY, new ConfigFiles());
    const used = process.cpuUsage(cpu);
    model.push(performance.now() - start);
    modelCpu.push((used.user + used.system) / 1000);
  }
  const main = buildMain();
  if (!main) return { modelMs: median(model), modelCpuMs: median(modelCpu), check: undefined, lsp: undefined };
  const runsOf = { branch: [] as ReturnType<typeof checkRun>[], main: [] as ReturnType<typeof checkRun>[] };
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither build always runs with a warmer page cache.
    runsOf.branch.push(checkRun(ROOT));
    runsOf.main.push(checkRun(main));
  }
  const med = (rs: ReturnType<typeof checkRun>[], k: 'ms' | 'cpuMs') => median(rs.map((r) => r[k]));
  const lb: number[] = [];
  const lm: number[] = [];
  for (let i = 0; i < Math.max(1, Math.floor(runs / 2)); i++) {
    lb.push(await lspPeakMb(ROOT));
    lm.push(await lspPeakMb(main));
  }
  return {
    modelMs: median(model),
    modelCpuMs: median(modelCpu),
    check: {
      branchMs: med(runsOf.branch, 'ms'),
      mainMs: med(runsOf.main, 'ms'),
      branchCpuMs: med(runsOf.branch, 'cpuMs'),
      mainCpuMs: med(runsOf.main, 'cpuMs'),
      branchFindings: runsOf.branch[0].findings,
      mainFindings: runsOf.main[0].findings,
    },
    lsp: { branchMb: median(lb), mainMb: median(lm) },
  };
}

export function printProjects(r: ProjectsBench | undefined): void {
  if (!r) {
    console.log('Projects bench: skipped (../shared/corpus/LemmyNet+lemmy not found)\n');
    return;
  }
  console.log('Project model (this build next to main, same run):');
  console.log(`  project model, lemmy         ${fmt(r.modelMs)} wall, ${fmt(r.modelCpuMs)} CPU   (target ≤ 100 ms)`);
  if (r.check) {
    const c = r.check;
    console.log(`  pgdba check corpus, this     ${fmt(c.branchMs)} wall, ${fmt(c.branchCpuMs)} CPU   ${c.branchFindings} findings`);
    console.log(`  pgdba check corpus, main     ${fmt(c.mainMs)} wall, ${fmt(c.mainCpuMs)} CPU   ${c.mainFindings} findings`);
    console.log(`  ratio this/main: wall ${(c.branchMs / c.mainMs).toFixed(2)}×, CPU ${(c.branchCpuMs / c.mainCpuMs).toFixed(2)}× (target ≤ 1.00)`);
  }
  if (r.lsp) {
    const ratio = r.lsp.branchMb / r.lsp.mainMb;
    console.log(`  LSP peak RSS on lemmy, this  ${r.lsp.branchMb.toFixed(0)} MB`);
    console.log(`  LSP peak RSS on lemmy, main  ${r.lsp.mainMb.toFixed(0)} MB   (ratio ${ratio.toFixed(2)}×, target ≤ 1.20)`);
  }
  console.log('');
}

if (require.main === module) {
  void benchProjects(Number(process.argv[2] ?? 5)).then(printProjects, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
