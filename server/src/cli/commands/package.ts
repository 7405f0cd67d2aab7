// `pgdba package new|seal|verify`: the file-system side of DBA change packages (the logic lives in core/package).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { formatProblem, parseManifest, serializeManifest, type Manifest } from '../../core/package/manifest';
import { PackageError, SECTION_KEYS } from '../../core/package/naming';
import { sealPackage, verifyPackage } from '../../core/package/verify';
import { EngineError } from '../../engine';
import { nodePackageReader } from '../../node/package-reader';
import { createPackage, type PackageFiller } from '../../package/new-package';
import { migrationsFiller } from '../../package/fillers/migrations';
import { perfFiller } from '../../package/fillers/perf';
import { securityFiller } from '../../package/fillers/security';
import { validationFiller } from './fillers/validation';
import { rehearsalFiller } from '../../package/fillers/rehearsal';
import { observabilityFiller } from './fillers/observability';

export type { FillContext, PackageFiller } from '../../package/new-package';

export interface PackageIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export interface PackageOptions {
  /** Defaults to `defaultFillers`. */
  fillers?: readonly PackageFiller[];
  /** Clock for the default date (tests pin it). */
  now?: () => Date;
}

const USAGE = `usage:
  pgdba package new <BriefID> [--date YYYYMMDD] [--dir DIR] [--from <up migration files…>] [--explain <file:line>…] [--security <dir>] [--check <paths…>] [--rehearse <migrations dir>] [--observability [PATH] --db URL]
  pgdba package seal <manifest>
  pgdba package verify <manifest>
`;

const posix = (p: string) => p.split(sep).join('/');
const shown = (cwd: string, p: string) => posix(relative(cwd, p)) || '.';

/** The fillers `package new` runs, each reading its own flags (see the fillers/ folder). */
export const defaultFillers: readonly PackageFiller[] = [migrationsFiller, perfFiller, securityFiller, validationFiller, rehearsalFiller, observabilityFiller];

interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string[]>;
}

/** `--name value`, `--name=value`; a multi-value flag takes every following argument up to the next `--flag`. */
function parseFlags(argv: readonly string[], single: readonly string[], multi: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!single.includes(name) && !multi.includes(name)) throw new UsageError(`unknown option --${name}`);
    const values = eq >= 0 ? [a.slice(eq + 1)] : [];
    if (eq < 0) {
      if (single.includes(name)) {
        if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
      } else {
        while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
      }
    }
    // --observability may stand alone (it then maps against the current folder).
    if (values.length === 0 && OPTIONAL_VALUE.has(name)) values.push('true');
    if (values.length === 0 || values.some((v) => v === '')) throw new UsageError(`--${name} needs a value`);
    if (single.includes(name) && (out.flags[name] || values.length > 1)) throw new UsageError(`--${name} takes one value`);
    (out.flags[name] ??= []).push(...values);
  }
  return out;
}

class UsageError extends Error {}

/** Flags that may be given without a value (they read as 'true'). */
const OPTIONAL_VALUE: ReadonlySet<string> = new Set(['observability']);

async function runNew(argv: string[], io: PackageIo, options: PackageOptions): Promise<number> {
  const fillers = options.fillers ?? defaultFillers;
  const args = parseFlags(
    argv,
    ['date', 'dir'],
    fillers.flatMap((f) => f.flags),
  );
  if (args.positionals.length !== 1) throw new UsageError('package new takes exactly one <BriefID>');
  const made = await createPackage({
    briefId: args.positionals[0],
    date: args.flags.date?.[0],
    dir: args.flags.dir?.[0] ?? '.',
    cwd: io.cwd,
    fillers,
    flags: args.flags,
    now: options.now,
  });
  const lines = [`created ${made.layout.base} in ${shown(io.cwd, made.target)}`];
  for (const key of SECTION_KEYS) lines.push(`  ${made.layout.folders[key]}/  ${made.counts[key] || 'no'} file${made.counts[key] === 1 ? '' : 's'}`);
  if (made.notes.length) lines.push('notes:', ...made.notes.map((n) => `  - ${n}`));
  lines.push(`next: complete ${made.layout.spec} and the empty folders, then run: pgdba package seal ${shown(io.cwd, made.manifestPath)}`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

function readManifest(arg: string, io: PackageIo): { path: string; manifest: Manifest } | undefined {
  const path = resolve(io.cwd, arg);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PackageError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const parsed = parseManifest(text);
  if (parsed.ok) return { path, manifest: parsed.manifest };
  io.stderr(`${arg}: invalid manifest\n${parsed.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
  return undefined;
}

function manifestArg(argv: string[], command: string): string {
  const args = parseFlags(argv, [], []);
  if (args.positionals.length !== 1) throw new UsageError(`package ${command} takes exactly one <manifest>`);
  return args.positionals[0];
}

async function runSeal(argv: string[], io: PackageIo): Promise<number> {
  const arg = manifestArg(argv, 'seal');
  const read = readManifest(arg, io);
  if (!read) return 1;
  const result = await sealPackage(read.manifest, basename(read.path), nodePackageReader(dirname(read.path)));
  if (!result.manifest) {
    const lines = [...result.refused.map((r) => `  refused  ${r.reason}\n`), ...result.missing.map((p) => `  missing  ${p}\n`)];
    const why = result.refused.length ? 'the package holds files pgdba will not seal' : 'listed files are missing';
    io.stderr(`${arg}: not sealed, ${why}:\n${lines.join('')}`);
    return 1;
  }
  writeFileSync(read.path, serializeManifest(result.manifest));
  for (const p of result.extra) io.stderr(`warning: ${p} is in the package but not listed in the manifest; verify will fail until it is listed or removed\n`);
  io.stdout(`sealed ${Object.keys(result.manifest.hashes ?? {}).length} files in ${arg}\n`);
  return 0;
}

async function runVerify(argv: string[], io: PackageIo): Promise<number> {
  const arg = manifestArg(argv, 'verify');
  const read = readManifest(arg, io);
  if (!read) return 1;
  const result = await verifyPackage(read.manifest, basename(read.path), nodePackageReader(dirname(read.path)));
  if (result.ok) {
    io.stdout(`${arg}: verified, ${result.matched} files match their sealed hashes\n`);
    return 0;
  }
  const lines = result.findings.map((f) => `  ${f.kind.padEnd(8)} ${f.path}: ${f.message}\n`);
  io.stderr(`${arg}: ${result.findings.length} problem${result.findings.length === 1 ? '' : 's'}\n${lines.join('')}`);
  return 1;
}

/** Runs `package new|seal|verify` (a leading `package` is accepted too). 0 ok, 1 package error or mismatch, 2 usage. */
export async function runPackage(argv: string[], io: PackageIo, options: PackageOptions = {}): Promise<number> {
  const args = argv[0] === 'package' ? argv.slice(1) : argv;
  const [command, ...rest] = args;
  try {
    if (command === 'new') return await runNew(rest, io, options);
    if (command === 'seal') return await runSeal(rest, io);
    if (command === 'verify') return await runVerify(rest, io);
    if (command === undefined || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown package command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`pgdba package: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof PackageError) {
      io.stderr(`pgdba package: ${e.message}\n`);
      return 1;
    }
    if (e instanceof EngineError) {
      // A refused host or a failed login is the user's setup, not a package problem: usage-level, no stack trace.
      io.stderr(`pgdba package: ${e.message}\n`);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      io.stderr(`pgdba package: ${(e as Error).message}: refusing to overwrite\n`);
      return 1;
    }
    throw e;
  }
}
