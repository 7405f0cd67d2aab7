// Rehearses every corpus project that has down files, with its own downs and with pgdba's generated ones, on PGlite
// (long: minutes per project; not part of `npm test`). Usage: npx tsx bench/rehearse-corpus.ts [project-substring…] [--json FILE]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkspaceFiles } from '../server/src/node/workspace-files';
import { initParser } from '../server/src/core/parse/parse';
import { rehearsalRoots } from '../server/src/rehearse/migrations';
import { rehearse, type RehearsalReport } from '../server/src/rehearse/rehearse';
import { pgliteFactory } from '../server/src/rehearse/scratch';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpus');
const PROJECTS = ['LemmyNet+lemmy', 'ory+kratos', 'ory+keto', 'openmeterio+openmeter', 'concourse+concourse', 'chirpstack+chirpstack'];

function rate(r: RehearsalReport): string {
  const tried = r.summary.total - r.summary.skipped;
  return `${r.summary.ok}/${tried} ok (${tried ? ((100 * r.summary.ok) / tried).toFixed(1) : '0'}%)`;
}

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.log('skipped: ../shared/corpus not found');
    return;
  }
  await initParser();
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const only = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
  const all: Record<string, unknown> = {};
  for (const project of PROJECTS.filter((p) => !only.length || only.some((o) => p.includes(o)))) {
    for (const root of rehearsalRoots(nodeWorkspaceFiles(join(CORPUS, project)))) {
      if (!root.migrations.some((m) => m.down !== undefined)) continue;
      for (const down of ['files', 'generated'] as const) {
        const report = await rehearse(root.migrations, pgliteFactory(root.migrations), { down, keepGenerated: true });
        const s = report.summary;
        console.log(
          `${project}/${root.root} [${down}] ${rate(report)}  up-failed ${s['up-failed']}  down-failed ${s['down-failed']}  mismatch ${s['schema-mismatch']}  no-down ${s['no-down']}  skipped ${s.skipped}  (${(s.ms / 1000).toFixed(0)} s)`,
        );
        all[`${project}/${root.root}/${down}`] = report;
      }
    }
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(all, null, 1));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
