// `pgdba rehearse <migrations-dir>`: up → down → up for every migration on PGlite (or a scratch database), with a report.
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initParser } from '../../core/parse/parse';
import { EngineError } from '../../engine';
import { rehearsalRoots } from '../../rehearse/migrations';
import { rehearse, STATUSES, type RehearsalReport, type RehearsalResult, type RehearsalStatus } from '../../rehearse/rehearse';
import { pgliteFactory, scratchDatabase } from '../../rehearse/scratch';
import { ConfigFiles } from '../../node/config-files';
import { configuredProjects, projectFiles } from '../../node/projects';
import type { CommandIo } from './rollback';

const USAGE = 'usage: pgdba rehearse <migrations-dir> [--down files|generated] [--db URL] [--format text|json]';
/** Statuses that fail the run (exit 1). */
const FAILING: readonly RehearsalStatus[] = ['up-failed', 'down-failed', 'schema-mismatch', 'no-down'];

/** One result as a report line (also used by the editor's output channel). */
export function line(r: RehearsalResult): string {
  // file:line:column, as compilers print it, so terminals and CI logs link to the place to fix.
  const at = r.file && r.status !== 'ok' ? `\n                at ${r.file}:${r.line ?? 1}${r.column !== undefined ? `:${r.column}` : ''}` : '';
  return `${r.status.padEnd(15)} ${r.name}${r.detail ? `\n                ${r.detail}` : ''}${at}\n`;
}

export function summaryText(s: RehearsalReport['summary']): string {
  const parts = STATUSES.filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`);
  return `\n${s.total} migrations rehearsed on ${s.engine} with ${s.down === 'files' ? 'their own down files' : 'generated rollbacks'} in ${(s.ms / 1000).toFixed(1)} s: ${parts.join(', ') || 'none'}\n`;
}

export async function runRehearse(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { down: { type: 'string', default: 'files' }, db: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (positionals.length !== 1) {
    io.stderr(`pgdba rehearse: ${USAGE}\n`);
    return 2;
  }
  if (values.down !== 'files' && values.down !== 'generated') {
    io.stderr(`pgdba rehearse: unknown --down "${values.down}" (use files or generated)\n`);
    return 2;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    io.stderr(`pgdba rehearse: unknown --format "${values.format}" (use text or json)\n`);
    return 2;
  }
  const dir = resolve(io.cwd, positionals[0]);
  // Results name files relative to the folder rehearsed; reports name them from where pgdba was run.
  const shown = (f: string) => relative(io.cwd, join(dir, f)).split('\\').join('/');
  const fromCwd = (r: RehearsalResult): RehearsalResult => ({ ...r, ...(r.file ? { file: shown(r.file) } : {}), ...(r.files ? { files: r.files.map(shown) } : {}) });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr(`pgdba rehearse: ${positionals[0]} is not a folder\n`);
    return 2;
  }
  await initParser();
  const configs = new ConfigFiles();
  const roots = rehearsalRoots(projectFiles(dir, configs), configuredProjects(dir, configs)).filter((r) => r.migrations.length > 0);
  if (!roots.length) {
    io.stderr(`pgdba rehearse: no migrations found in ${positionals[0]}\n`);
    return 2;
  }
  const down = values.down;
  const text = values.format === 'text';
  const config = configs.forPath(dir).config.database;
  const reports: RehearsalReport[] = [];
  try {
    for (const root of roots) {
      if (text && roots.length > 1) io.stdout(`${root.root || '.'} (${root.layout}):\n`);
      const onResult = text ? (r: RehearsalResult) => io.stdout(line(fromCwd(r))) : undefined;
      if (values.db) {
        // A scratch database on the dev server, dropped afterwards whatever happens.
        const scratch = await scratchDatabase({ url: values.db, allowedHosts: config?.allowedHosts });
        try {
          reports.push(await rehearse(root.migrations, scratch.factory, { down, onResult }));
        } finally {
          await scratch.drop();
        }
      } else {
        reports.push(await rehearse(root.migrations, pgliteFactory(root.migrations), { down, onResult }));
      }
    }
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    io.stderr(`pgdba rehearse: ${err.message}\n`);
    return 2;
  }
  const migrations = reports.flatMap((r) => r.migrations);
  const summary = { ...reports[0].summary, total: migrations.length, ms: reports.reduce((n, r) => n + r.summary.ms, 0) };
  for (const s of STATUSES) summary[s] = migrations.filter((m) => m.status === s).length;
  if (text) io.stdout(summaryText(summary));
  else io.stdout(JSON.stringify({ migrations: migrations.map(fromCwd).map(({ name, status, detail, file, line, column, files }) => ({ name, status, detail, file, line, column, files })), summary }, null, 2) + '\n');
  return migrations.some((m) => FAILING.includes(m.status)) ? 1 : 0;
}
