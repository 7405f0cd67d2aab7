// `pgdba package new|seal|verify`: the file-system side of DBA change packages (the logic lives in core/package).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { discoverLayout, hasDbmateMarker, migrationForPath, sectionOf, type WorkspaceLayout } from '../../core/migrations';
import { resolveSection } from '../../core/migrations/types';
import { formatProblem, parseManifest, serializeManifest, type Manifest } from '../../core/package/manifest';
import { downFileCandidates, packagedNames } from '../../core/package/migration-pairs';
import { PackageError, SECTION_KEYS, assertBriefId, compactDate, isoFromCompact, packageLayout, type PackageLayout } from '../../core/package/naming';
import { planPackage, type FillResult, type FilledFile } from '../../core/package/plan';
import { sealPackage, verifyPackage, type PackageReader } from '../../core/package/verify';
import { initParser, parseSql } from '../../core/parse/parse';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import { workspaceRootOf } from '../../node/workspace-root';
import { perfFiller } from './fillers/perf';
import { securityFiller } from './fillers/security';
import { validationFiller } from './fillers/validation';
import { rehearsalFiller } from './fillers/rehearsal';
import { observabilityFiller } from './fillers/observability';

export interface PackageIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export interface FillContext {
  briefId: string;
  /** YYYY-MM-DD */
  date: string;
  layout: PackageLayout;
  cwd: string;
  /** Values of the flags this filler declared, e.g. `{ from: ['db/001.up.sql'] }`; absent flags are missing. */
  flags: Readonly<Record<string, string[]>>;
}

/**
 * Puts workspace evidence into a new package. A filler declares the flags it reads (each takes one or more values)
 * and reports files, inputs and notes; it must never invent content — a gap is a note.
 */
export interface PackageFiller {
  name: string;
  flags: readonly string[];
  fill(ctx: FillContext): Promise<FillResult>;
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

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

interface FoundDown {
  /** Where it came from, as Markdown for the spec. */
  source: string;
  content: string | Uint8Array;
  text: string;
}

type DownLookup = { down: FoundDown } | { missing: string };

/** The down part of an up migration: from layout discovery when it knows the file, else by file-name convention or dbmate markers. */
function findDown(abs: string, arg: string, cwd: string, layouts: Map<string, WorkspaceLayout>): DownLookup {
  const root = workspaceRootOf(abs);
  let layout = layouts.get(root);
  if (!layout) layouts.set(root, (layout = discoverLayout(nodeWorkspaceFiles(root))));
  const hit = migrationForPath(layout, posix(relative(root, abs)));
  if (hit && hit.part !== 'up') throw new PackageError(`--from ${arg} is the ${hit.part} part of migration ${hit.migration.id}: pass its up file`);
  if (hit?.migration.down) {
    const downAbs = join(root, hit.migration.down.path);
    const bytes = readFileSync(downAbs);
    const text = bytes.toString('utf8');
    const { start, end } = resolveSection(hit.migration.down, text);
    const whole = start === 0 && end === text.length;
    const source = `\`${shown(cwd, downAbs)}\`${whole ? '' : ' (its -- migrate:down section)'}`;
    return { down: { source, content: whole ? bytes : text.slice(start, end), text: text.slice(start, end) } };
  }
  if (hit && !hit.migration.downExpected) return { missing: `${arg}: ${hit.migration.layout} migrations have no down part; write a rollback by hand` };
  if (hit) return { missing: `no down migration found for ${arg}` };

  if (/(^|[._-])down\.sql$/i.test(basename(abs))) throw new PackageError(`--from ${arg} looks like a down migration: pass its up file`);
  const text = readFileSync(abs, 'utf8');
  if (hasDbmateMarker(text)) {
    const section = sectionOf(abs, text).down;
    if (!section) return { missing: `${arg} has no -- migrate:down section` };
    const body = text.slice(section.start, section.end);
    return { down: { source: `\`${shown(cwd, abs)}\` (its -- migrate:down section)`, content: body, text: body } };
  }
  for (const candidate of downFileCandidates(posix(abs))) {
    if (!isFile(candidate)) continue;
    const bytes = readFileSync(candidate);
    return { down: { source: `\`${shown(cwd, candidate)}\``, content: bytes, text: bytes.toString('utf8') } };
  }
  return { missing: `no down migration found for ${arg}` };
}

/** Facts worth a note about a migration's SQL: it does not parse, or it has no statement at all. */
function sqlNote(label: string, text: string): string | undefined {
  const parsed = parseSql(text);
  if (parsed.errors.length) return `${label} does not parse: ${parsed.errors[0].message}`;
  if (parsed.statements.length === 0) return `${label} is empty: it changes nothing`;
  return undefined;
}

/** `--from`: copies the chosen up migrations into `_migrations/` and their down parts into `_migrations/rollback/`. */
export const migrationsFiller: PackageFiller = {
  name: 'migrations',
  flags: ['from'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const from = ctx.flags.from ?? [];
    if (from.length === 0) return result;
    await initParser();
    const layouts = new Map<string, WorkspaceLayout>();
    for (const arg of from) {
      const abs = resolve(ctx.cwd, arg);
      if (!isFile(abs)) throw new PackageError(`--from ${arg}: no such file`);
      const up = readFileSync(abs);
      const names = packagedNames(posix(abs));
      const down = findDown(abs, arg, ctx.cwd, layouts);
      result.files.push({ section: 'migrations', name: names.up, content: up });
      result.inputs.push(`\`${shown(ctx.cwd, abs)}\` → \`${ctx.layout.folders.migrations}/${names.up}\``);
      const upNote = sqlNote(arg, up.toString('utf8'));
      if (upNote) result.notes.push({ about: 'migrations', text: upNote });
      if ('missing' in down) {
        result.notes.push({ about: 'rollback', text: down.missing });
        continue;
      }
      const file: FilledFile = { section: 'migrations', name: `rollback/${names.down}`, content: down.down.content };
      result.files.push(file);
      result.inputs.push(`${down.down.source} → \`${ctx.layout.rollback}/${names.down}\``);
      const downNote = sqlNote(`the rollback of ${arg}`, down.down.text);
      if (downNote) result.notes.push({ about: 'rollback', text: downNote });
    }
    return result;
  },
};

/** The fillers `package new` runs, each reading its own flags (see the fillers/ folder). */
export const defaultFillers: readonly PackageFiller[] = [migrationsFiller, perfFiller, securityFiller, validationFiller, rehearsalFiller, observabilityFiller];

/** PackageReader over the folder that holds the manifest. */
export function nodePackageReader(rootDir: string): PackageReader {
  const root = resolve(rootDir);
  const inside = (p: string) => {
    const full = resolve(root, p);
    return full === root || full.startsWith(root + sep) ? full : undefined;
  };
  return {
    async list(dir, { recursive }) {
      const out: string[] = [];
      const walk = (rel: string) => {
        const full = inside(rel);
        if (!full) return;
        let entries;
        try {
          entries = readdirSync(full, { withFileTypes: true });
        } catch {
          return; // Absent folder: nothing in it.
        }
        for (const e of entries) {
          const child = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) {
            if (recursive) walk(child);
          } else out.push(child);
        }
      };
      walk(dir);
      return out.sort();
    },
    async hash(path) {
      const full = inside(path);
      if (!full) return undefined;
      try {
        return createHash('sha256').update(readFileSync(full)).digest('hex');
      } catch {
        return undefined; // Missing, a folder, or unreadable: verify reports it as missing.
      }
    },
  };
}

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
  const args = parseFlags(argv, ['date', 'dir'], fillers.flatMap((f) => f.flags));
  if (args.positionals.length !== 1) throw new UsageError('package new takes exactly one <BriefID>');
  const briefId = args.positionals[0];
  const compact = args.flags.date?.[0] ?? compactDate((options.now ?? (() => new Date()))());
  // Validate before any filler reads the workspace.
  assertBriefId(briefId);
  const date = isoFromCompact(compact);
  const layout = packageLayout(briefId, compact);
  const target = resolve(io.cwd, args.flags.dir?.[0] ?? '.');
  const fills: FillResult[] = [];
  for (const filler of fillers) {
    const flags = Object.fromEntries(filler.flags.filter((f) => args.flags[f]).map((f) => [f, args.flags[f]]));
    fills.push(await filler.fill({ briefId, date, layout, cwd: io.cwd, flags }));
  }
  const plan = planPackage(briefId, compact, fills);

  // Never write over anything: check every top-level name first, then create with exclusive flags so a race fails too.
  const tops = [layout.spec, layout.manifest, ...SECTION_KEYS.map((k) => layout.folders[k])];
  const existing = tops.filter((p) => {
    try {
      lstatSync(join(target, p));
      return true;
    } catch {
      return false;
    }
  });
  if (existing.length) {
    throw new PackageError(`package ${layout.base} already exists in ${shown(io.cwd, target)} (${existing.join(', ')}); nothing was written`);
  }
  mkdirSync(target, { recursive: true });
  for (const d of plan.dirs) mkdirSync(join(target, d));
  for (const f of plan.files) writeFileSync(join(target, f.path), f.content, { flag: 'wx' });
  const manifestPath = join(target, layout.manifest);
  writeFileSync(manifestPath, serializeManifest(plan.manifest), { flag: 'wx' });

  const lines = [`created ${layout.base} in ${shown(io.cwd, target)}`];
  for (const key of SECTION_KEYS) lines.push(`  ${layout.folders[key]}/  ${plan.manifest[key].length || 'no'} file${plan.manifest[key].length === 1 ? '' : 's'}`);
  const notes = fills.flatMap((f) => f.notes);
  if (notes.length) lines.push('notes:', ...notes.map((n) => `  - ${n.text}`));
  lines.push(`next: complete ${layout.spec} and the empty folders, then run: pgdba package seal ${shown(io.cwd, manifestPath)}`);
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
    io.stderr(`${arg}: not sealed, listed files are missing:\n${result.missing.map((p) => `  missing  ${p}\n`).join('')}`);
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
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      io.stderr(`pgdba package: ${(e as Error).message}: refusing to overwrite\n`);
      return 1;
    }
    throw e;
  }
}
