// The pgdba command line: argument parsing and dispatch to the commands, all on the same core as the language server.
import { parseArgs } from 'node:util';
import type { Io } from './check';

// Each command loads its modules when it runs, from a second bundle (esbuild.mjs): `pgdba check --cache` replaying
// unchanged findings never loads the parser, and the CLI starts without compiling what a command does not use.
type Commands = typeof import('./commands-bundle');
const load = (): Promise<Commands> => import('./commands-bundle.js');
// `check` has a bundle of its own, without the other commands' modules (the pg client, PGlite's engine).
const runCheck: typeof import('./check-bundle').runCheck = async (...a) => (await import('./check-bundle.js')).runCheck(...a);
const runCheckWithOptions: typeof import('./check-run').runCheckWithOptions = async (...a) => (await import('./check-run.js')).runCheckWithOptions(...a);
const runBaseline: Commands['runBaseline'] = async (...a) => (await load()).runBaseline(...a);
const runRules: Commands['runRules'] = async (...a) => (await load()).runRules(...a);
const runExplain: Commands['runExplain'] = async (...a) => (await load()).runExplain(...a);
const runPackage: Commands['runPackage'] = async (...a) => (await load()).runPackage(...a);
const runTrace: Commands['runTrace'] = async (...a) => (await load()).runTrace(...a);
const runRollback: Commands['runRollback'] = async (...a) => (await load()).runRollback(...a);
const runRehearse: Commands['runRehearse'] = async (...a) => (await load()).runRehearse(...a);
const runTop: Commands['runTop'] = async (...a) => (await load()).runTop(...a);
const runMigrations: Commands['runMigrations'] = async (...a) => (await load()).runMigrations(...a);
const runSchema: Commands['runSchema'] = async (...a) => (await load()).runSchema(...a);

const USAGE = `pgdba — a PostgreSQL DBA for your SQL and migrations

Usage:
  pgdba check <paths…> [--format text|json|sarif|github|gitlab] [--config FILE]
              [--cache [--cache-location DIR]] [--changed-since GIT-REF] [--baseline FILE]
      Analyse files and folders (a folder is one workspace). Exit 0 clean, 1 on an error finding, 2 on usage or config errors.
      --cache replays findings of unchanged paths, and the last report of the same command line when none changed
      (kept in node_modules/.cache/pgdba, or in .pgdba-cache where there is no node_modules); --changed-since reports only files changed against the ref (and untracked ones); --baseline
      fails only on findings the baseline lacks.
  pgdba baseline write FILE <paths…> [--config FILE]
      Record the current findings as accepted, for --baseline FILE.
  pgdba rules [--format text|json]
      List the rules with their metadata.
  pgdba explain <file> --line N [--db URL] [--analyze] [--format text|json]
      Print the plan of the statement at that line (embedded PGlite built from the workspace when no --db). --analyze
      runs it in a rolled-back transaction; it refuses calls ROLLBACK cannot undo and reports sequences it advanced.
  pgdba trace <migration-file> [--db URL] [--format text|json]
      Run a migration in a rolled-back transaction (PGlite with the earlier migrations, or --db) and report its locks and rewrites.
  pgdba rollback <up-file> [--write]
      Generate the down migration (stdout, or --write into the layout's down file; never over an existing one).
  pgdba rehearse <migrations-dir> [--down files|generated] [--db URL [--allow-cluster-changes]] [--format text|json]
      Apply each migration up, down and up again on PGlite (or a scratch database) and compare schema fingerprints.
      On --db, statements that change the whole server (roles, tablespaces, ALTER SYSTEM…) are refused unless
      --allow-cluster-changes, which runs them and undoes them afterwards.
  pgdba top <path> --db URL [--order total|mean|calls] [--limit N] [--format text|json]
      The slowest statements of pg_stat_statements, each with its file:line in the workspace (or "not in this workspace").
  pgdba migrations <path> [--format text|json]
      List the projects pgdba detects under a folder: layout, migrations in apply order, schema and query files.
  pgdba schema <path> [--engine | --db URL] [--format json]
      Print the schema after all migrations as normalised JSON: from the static catalog, PGlite (--engine) or a database (--db).
  pgdba package new <BriefID> [--date YYYYMMDD] [--dir DIR] [--from FILES…] [--observability --db URL] | seal <manifest> | verify <manifest>
      Scaffold, seal and verify DBA change packages (links, devices, FIFOs and files over 256 MiB are refused).
  pgdba --version | --help
`;

type Command = (argv: string[], io: Io, cwd: string) => Promise<number>;

async function check(argv: string[], io: Io, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
      cache: { type: 'boolean', default: false },
      'cache-location': { type: 'string' },
      'changed-since': { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const base = { paths: positionals, format: values.format ?? 'text', config: values.config, cwd };
  const cacheLocation = values['cache-location'];
  if (!values.cache && !cacheLocation && values['changed-since'] === undefined && values.baseline === undefined) return runCheck(base, io);
  return runCheckWithOptions(
    { ...base, cache: values.cache || !!cacheLocation, cacheLocation, changedSince: values['changed-since'], baseline: values.baseline, version: VERSION },
    io,
  );
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
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
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
  baseline: (argv, io, cwd) => runBaseline(argv, io, cwd),
  migrations: (argv, io, cwd) => runMigrations(argv, { ...io, cwd }),
  schema: (argv, io, cwd) => runSchema(argv, { ...io, cwd }),
};

export async function main(argv: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.stdout(`${VERSION}\n`);
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
/** Set by the bundler from package.json; `dev` when the sources run directly. */
const VERSION = typeof PGDBA_VERSION === 'undefined' ? 'dev' : PGDBA_VERSION;

/** Runs the CLI on this process's arguments and sets the exit code. */
export function run(): void {
  // `pgdba … | head`: the reader went away; stop quietly, as other command-line tools do, instead of a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdoutBytes: (b) => process.stdout.write(b),
  }).then(
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
