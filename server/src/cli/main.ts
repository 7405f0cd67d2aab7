// The pgdba command line: argument parsing and dispatch to the commands, all on the same core as the language server.
import { parseArgs } from 'node:util';
import { runCheck, type Io } from './check';
import { runRules } from './rules-command';
import { runExplain } from './commands/explain';
import { runPackage } from './commands/package';
import { runTrace } from './commands/trace';
import { runRollback } from './commands/rollback';
import { runRehearse } from './commands/rehearse';
import { runTop } from './commands/top';

const USAGE = `pgdba — a PostgreSQL DBA for your SQL and migrations

Usage:
  pgdba check <paths…> [--format text|json|sarif|github] [--config FILE]
      Analyse files and folders (a folder is one workspace). Exit 0 clean, 1 on an error finding, 2 on usage or config errors.
  pgdba rules [--format text|json]
      List the rules with their metadata.
  pgdba explain <file> --line N [--db URL] [--analyze] [--format text|json]
      Print the plan of the statement at that line (embedded PGlite built from the workspace when no --db).
  pgdba trace <migration-file> [--db URL] [--format text|json]
      Run a migration in a rolled-back transaction (PGlite with the earlier migrations, or --db) and report its locks and rewrites.
  pgdba rollback <up-file> [--write]
      Generate the down migration (stdout, or --write into the layout's down file; never over an existing one).
  pgdba rehearse <migrations-dir> [--down files|generated] [--db URL] [--format text|json]
      Apply each migration up, down and up again on PGlite (or a scratch database) and compare schema fingerprints.
  pgdba top <path> --db URL [--order total|mean|calls] [--limit N] [--format text|json]
      The slowest statements of pg_stat_statements, each with its file:line in the workspace (or "not in this workspace").
  pgdba package new <BriefID> [--date YYYYMMDD] [--dir DIR] [--from FILES…] [--observability --db URL] | seal <manifest> | verify <manifest>
      Scaffold, seal and verify DBA change packages.
  pgdba --version | --help
`;

type Command = (argv: string[], io: Io, cwd: string) => Promise<number>;

async function check(argv: string[], io: Io, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, config: { type: 'string' } },
  });
  return runCheck({ paths: positionals, format: values.format ?? 'text', config: values.config, cwd }, io);
}

async function explain(argv: string[], io: Io, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { line: { type: 'string' }, db: { type: 'string' }, analyze: { type: 'boolean', default: false }, format: { type: 'string', default: 'text' } },
  });
  const line = Number(values.line);
  if (positionals.length !== 1 || !Number.isInteger(line) || line < 1) {
    io.stderr('pgdba explain: usage: pgdba explain <file> --line N [--db URL] [--analyze] [--format text|json]\n');
    return 2;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    io.stderr(`pgdba explain: unknown --format "${values.format}" (use text or json)\n`);
    return 2;
  }
  return runExplain({ file: positionals[0], line, db: values.db, analyze: values.analyze, format: values.format, cwd }, io);
}

async function trace(argv: string[], io: Io, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' }, format: { type: 'string', default: 'text' } } });
  if (positionals.length !== 1 || (values.format !== 'text' && values.format !== 'json')) {
    io.stderr('pgdba trace: usage: pgdba trace <migration-file> [--db URL] [--format text|json]\n');
    return 2;
  }
  return runTrace({ file: positionals[0], db: values.db, format: values.format, cwd }, io);
}

async function pkg(argv: string[], io: Io, cwd: string): Promise<number> {
  return runPackage(argv, { ...io, cwd });
}

const COMMANDS: Record<string, Command> = {
  check,
  rules: (argv, io) => runRules(argv, io),
  explain,
  package: pkg,
  trace,
  rollback: (argv, io, cwd) => runRollback(argv, { ...io, cwd }),
  rehearse: (argv, io, cwd) => runRehearse(argv, { ...io, cwd }),
  top: (argv, io, cwd) => runTop(argv, { ...io, cwd }),
};

export async function main(argv: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.stdout(`${typeof PGDBA_VERSION === "undefined" ? "dev" : PGDBA_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.stderr(`pgdba: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io, cwd);
  } catch (error) {
    // parseArgs throws on unknown options: that is a usage error, not a crash.
    const code = (error as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`pgdba ${cmd}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

declare const PGDBA_VERSION: string;

/** Runs the CLI on this process's arguments and sets the exit code. */
export function run(): void {
  // `pgdba … | head`: the reader went away; stop quietly, as other command-line tools do, instead of a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pgdba: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run();
