// `pgdba rehearse <migrations-dir>`: up → down → up for every migration on PGlite (or a scratch database), with a report.
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineError } from '../../engine';
import { ConfigFiles } from '../../node/config-files';
import { RehearsalRefused, rehearseFolder } from '../../rehearse/folder';
import type { RehearsalResult, RehearsalStatus } from '../../rehearse/rehearse';
import { clusterStatementsText, line, serverNotes, summaryText } from '../../rehearse/report-text';
import type { CommandIo } from './rollback';

const USAGE = 'usage: pgdba rehearse <migrations-dir> [--down files|generated] [--db URL [--allow-cluster-changes]] [--format text|json]';
/** Statuses that fail the run (exit 1). */
const FAILING: readonly RehearsalStatus[] = ['up-failed', 'down-failed', 'schema-mismatch', 'no-down'];

export async function runRehearse(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      down: { type: 'string', default: 'files' },
      db: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'allow-cluster-changes': { type: 'boolean', default: false },
    },
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
  const fromCwd = (r: RehearsalResult): RehearsalResult => ({
    ...r,
    ...(r.file ? { file: shown(r.file) } : {}),
    ...(r.files ? { files: r.files.map(shown) } : {}),
  });
  const text = values.format === 'text';
  const config = new ConfigFiles().forPath(dir).config.database;
  let result;
  try {
    result = await rehearseFolder({
      dir,
      down: values.down,
      db: values.db ? { url: values.db, allowedHosts: config?.allowedHosts } : undefined,
      allowClusterChanges: values['allow-cluster-changes'],
      onRoot: text ? (root, count) => void (count > 1 && io.stdout(`${root.root || '.'} (${root.layout}):\n`)) : undefined,
      onResult: text ? (r) => io.stdout(line(fromCwd(r))) : undefined,
    });
  } catch (err) {
    if (err instanceof RehearsalRefused) {
      io.stderr(`pgdba rehearse: ${positionals[0]}: ${err.message}\n${clusterStatementsText(err.statements, shown)}`);
      return 2;
    }
    if (!(err instanceof EngineError)) throw err;
    io.stderr(`pgdba rehearse: ${err.message}\n`);
    return 2;
  }
  io.stderr(serverNotes(result));
  const { migrations, summary } = result;
  if (text) io.stdout(summaryText(summary));
  else {
    const cluster = values.db
      ? {
          clusterStatements: result.clusterStatements.map((s) => ({ ...s, file: shown(s.file) })),
          clusterUndo: result.clusterUndo ?? null,
          staleDropped: result.staleDropped,
        }
      : {};
    io.stdout(
      JSON.stringify(
        {
          migrations: migrations
            .map(fromCwd)
            .map(({ name, status, detail, file, line, column, files }) => ({ name, status, detail, file, line, column, files })),
          summary,
          ...cluster,
        },
        null,
        2,
      ) + '\n',
    );
  }
  return migrations.some((m) => FAILING.includes(m.status)) ? 1 : 0;
}
