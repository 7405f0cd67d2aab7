// The result cache of `pgdba check --cache`: one entry per checked path, replayed whole when nothing it read changed,
// else per file when the file's inputs (the schema, the file, its partners, its config) are unchanged; and the last
// report of each invocation (format, paths, working directory), printed as it was when every path replays with the
// same findings. Light on purpose: a replay must not load the parser.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Finding } from '../core/analyze';
import type { WorkspaceFiles } from '../core/migrations';
import type { ReportedFinding, RuleInfo } from './reporters/types';
import { nodeWorkspaceFiles } from '../node/workspace-files';
import { DerivedCache } from './derived-cache';
import { pack, unpack, type StoredFindings } from './stored-findings';

const KIND = 'pgdba-check-cache';
const SCHEMA = 6;

export const hash = (s: string): string => createHash('sha1').update(s).digest('hex');

/** The nearest pgdba.json at or above a folder (what a file there is configured by), or '' when there is none. */
export function nearestConfig(dir: string, memo = new Map<string, string>()): string {
  const d = resolve(dir);
  const known = memo.get(d);
  if (known !== undefined) return known;
  const found = existsSync(join(d, 'pgdba.json')) ? join(d, 'pgdba.json') : dirname(d) === d ? '' : nearestConfig(dirname(d), memo);
  memo.set(d, found);
  return found;
}

type StoredFinding = Pick<Finding, 'start' | 'end' | 'rule' | 'severity' | 'message' | 'help'>;

interface Entry {
  kind: typeof KIND;
  schema: typeof SCHEMA;
  version: string;
  unit: string;
  /** --config, when given. */
  config: string;
  /** Hash of the workspace's file list. */
  list: string;
  /** Workspace-relative path → hash of the text the check read (of '' when it could not), size and mtime (-1: compare
   * the text, as when the file changed too close to the run for its mtime to tell). */
  reads: Record<string, [string, number, number]>;
  /** Folder of an analysed file → the pgdba.json that applied; config file → hash of its text. */
  configDirs: Record<string, string>;
  configs: Record<string, string>;
  /** Hash of the findings part (a third file, read only when the findings are reported afresh). */
  findings: string;
}

/** A rule a unit's findings come from, with its place in pgdba's list (reports list rules in that order). */
export type KeptRule = RuleInfo & { order: number };

/** The findings part of an entry: findings with absolute file paths, and the rules they come from (for SARIF). */
interface FindingsPart {
  id: string;
  findings: StoredFindings;
  rules: KeptRule[];
}

/** Per file: its key and its findings (a second file: a replay does not read it). */
type FileEntries = Record<string, { key: string; findings: StoredFinding[] }>;

function isEntry(x: unknown, version: string): x is Entry {
  const e = x as Partial<Entry> | null;
  return (
    !!e &&
    e.kind === KIND &&
    e.schema === SCHEMA &&
    e.version === version &&
    typeof e.list === 'string' &&
    [e.reads, e.configDirs, e.configs].every((m) => !!m && typeof m === 'object' && !Array.isArray(m)) &&
    typeof e.findings === 'string'
  );
}

function isFindingsPart(x: unknown, id: string): x is FindingsPart {
  const p = x as Partial<FindingsPart> | null;
  return (
    !!p &&
    p.id === id &&
    !!p.findings &&
    [p.findings.files, p.findings.helps, p.findings.rows].every(Array.isArray) &&
    Array.isArray(p.rules) &&
    p.rules.every((r) => typeof r?.order === 'number')
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export interface CheckCacheOptions {
  /** The cache folder (created on first write). */
  dir: string;
  /** pgdba's version: a cache written by another version is not used. */
  version: string;
  cwd: string;
  /** --config, absolute. */
  config?: string;
  /** Use entries but write none (a run that reports part of the findings, e.g. --changed-since). */
  readOnly?: boolean;
}

/** A unit whose inputs are unchanged: its findings are read when asked for (undefined when that part is unreadable). */
export interface Replay {
  /** Hash of the unit's findings and rules. */
  id: string;
  load(): { findings: ReportedFinding[]; rules: KeptRule[] } | undefined;
}

/** Where an invocation's report is kept, and the key its findings give it. */
export interface ReportSlot {
  file: string;
  key: string;
}

interface Unit {
  path: string;
  root: string;
}

/** What one unit's check read and found, gathered while it runs. */
interface Recording {
  listed?: string[];
  reads: Map<string, [string, number, number]>;
  files: FileEntries;
  dirs: Set<string>;
  previous?: Entry;
  previousFiles?: FileEntries;
  derived?: DerivedCache;
}

/** Size and mtime of a file, or -1s when it cannot be stat'ed or changed within the last seconds (its mtime cannot be trusted). */
function stamp(file: string, now: number): [number, number] {
  try {
    const st = statSync(file);
    return st.mtimeMs > now - 2000 ? [-1, -1] : [st.size, st.mtimeMs];
  } catch {
    return [-1, -1];
  }
}

export class CheckCache {
  private readonly recordings = new Map<string, Recording>();
  /** Per-file results reused and computed, for tests and `--cache` statistics. */
  readonly stats = { units: 0, replayed: 0, filesReused: 0, filesAnalysed: 0, reports: 0, signaturesReused: 0, catalogsReused: 0, rollbacksReused: 0 };
  private readonly started = Date.now();
  /** Unit path → the id of its findings, once replayed or written. */
  private readonly ids = new Map<string, string>();

  constructor(private readonly opts: CheckCacheOptions) {}

  private entryPath(unit: Unit): string {
    return join(this.opts.dir, hash(`${unit.path}\u0000${this.opts.config ?? ''}`));
  }

  private load(unit: Unit): Entry | undefined {
    try {
      const parsed: unknown = JSON.parse(readFileSync(`${this.entryPath(unit)}.json`, 'utf8'));
      return isEntry(parsed, this.opts.version) && parsed.unit === unit.path && parsed.config === (this.opts.config ?? '') ? parsed : undefined;
    } catch {
      return undefined; // Missing or corrupt: analysed, then written again.
    }
  }

  private configsMatch(e: Entry): boolean {
    const memo = new Map<string, string>();
    for (const [dir, config] of Object.entries(e.configDirs)) if ((this.opts.config ?? nearestConfig(dir, memo)) !== config) return false;
    for (const [file, h] of Object.entries(e.configs)) if (hash(readText(file)) !== h) return false;
    return true;
  }

  /** The unit's findings (paths shown from the working directory), to be read, when nothing it read has changed. */
  replay(unit: Unit): Replay | undefined {
    this.stats.units++;
    const previous = this.load(unit);
    const files = nodeWorkspaceFiles(unit.root);
    const listed = files.list();
    this.recordings.set(unit.path, { listed, reads: new Map(), files: {}, dirs: new Set(), previous });
    if (!previous || previous.list !== hash(listed.join('\u0000')) || !this.configsMatch(previous)) return undefined;
    for (const [rel, [h, size, mtime]] of Object.entries(previous.reads)) {
      // Same size and mtime as when recorded: unchanged, without reading it (as git's index and ESLint's cache trust).
      if (size >= 0) {
        const [s, m] = stamp(join(unit.root, rel), Infinity);
        if (s === size && m === mtime) continue;
      }
      if (hash(files.read(rel) ?? '') !== h) return undefined;
    }
    this.stats.replayed++;
    this.ids.set(unit.path, previous.findings);
    return {
      id: previous.findings,
      load: () => {
        let part: unknown;
        try {
          part = JSON.parse(readFileSync(`${this.entryPath(unit)}.findings.json`, 'utf8'));
        } catch {
          part = undefined;
        }
        if (!isFindingsPart(part, previous.findings)) {
          // Unreadable: the unit is analysed after all (and written again).
          this.stats.replayed--;
          this.ids.delete(unit.path);
          return undefined;
        }
        // Replayed: nothing will be recorded for the unit.
        this.recordings.delete(unit.path);
        return { findings: unpack(part.findings, (file) => relative(this.opts.cwd, file)), rules: part.rules };
      },
    };
  }

  /**
   * Where the report of `pgdba check <units> --format <format>` run here is kept, and the key it must carry: undefined
   * unless every unit has findings on record (replayed, or analysed and written without config problems).
   */
  reportSlot(units: readonly string[], format: string): ReportSlot | undefined {
    const ids = units.map((u) => this.ids.get(u));
    if (this.opts.readOnly || ids.some((id) => id === undefined)) return undefined;
    const invocation = [this.opts.cwd, this.opts.config ?? '', format, ...units].join('\u0000');
    return { file: join(this.opts.dir, `${hash(invocation)}.report`), key: hash([KIND, SCHEMA, this.opts.version, invocation, ...ids].join('\u0000')) };
  }

  /** The kept report and exit code when it was written for the slot's key (the output bytes as printed). */
  readReport(slot: ReportSlot): { output: Buffer; exitCode: number } | undefined {
    try {
      const data = readFileSync(slot.file);
      const eol = data.indexOf(10);
      const header = JSON.parse(data.subarray(0, eol).toString('utf8')) as { key?: unknown; exitCode?: unknown };
      if (header.key !== slot.key || (header.exitCode !== 0 && header.exitCode !== 1)) return undefined;
      this.stats.reports++;
      return { output: data.subarray(eol + 1), exitCode: header.exitCode };
    } catch {
      return undefined; // Missing or corrupt: the report is rendered, then written again.
    }
  }

  writeReport(slot: ReportSlot, output: Uint8Array, exitCode: number): void {
    try {
      mkdirSync(this.opts.dir, { recursive: true });
      writeAtomically(slot.file, Buffer.concat([Buffer.from(`${JSON.stringify({ key: slot.key, exitCode })}\n`), output]));
    } catch {
      // A report that cannot be kept only costs time on the next run.
    }
  }

  /** Records every text the unit's workspace reads (the inputs the next run compares). */
  files(unit: Unit, inner: WorkspaceFiles): WorkspaceFiles {
    const rec = this.recordings.get(unit.path);
    if (!rec) return inner;
    return {
      list: () => {
        const out = inner.list();
        rec.listed = out;
        return out;
      },
      read: (path) => {
        const text = inner.read(path);
        rec.reads.set(path, [hash(text ?? ''), ...stamp(join(unit.root, path), this.started)]);
        return text;
      },
    };
  }

  /** What the unit's workspace derived in earlier runs (signatures, catalogs, partial-rollback reports). */
  derived(unit: Unit): DerivedCache | undefined {
    const rec = this.recordings.get(unit.path);
    if (!rec) return undefined;
    return (rec.derived ??= new DerivedCache(`${this.entryPath(unit)}.derived.bin`, this.opts.version, hash, this.stats));
  }

  /** A file's findings from the previous entry when its key is the same, else computed (and kept for the next run). */
  analyze(unit: Unit, rel: string, key: () => string, compute: () => Finding[]): Finding[] {
    const rec = this.recordings.get(unit.path);
    if (!rec) return compute();
    rec.dirs.add(dirname(join(unit.root, rel)));
    const k = key();
    rec.previousFiles ??= this.loadFiles(unit, rec.previous);
    const hit = rec.previousFiles[rel];
    if (hit && hit.key === k) {
      this.stats.filesReused++;
      rec.files[rel] = hit;
      return hit.findings.map((f) => ({ ...f, file: rel }));
    }
    this.stats.filesAnalysed++;
    const findings = compute();
    rec.files[rel] = {
      key: k,
      findings: findings.map(({ start, end, rule, severity, message, help }) => ({ start, end, rule, severity, message, ...(help ? { help } : {}) })),
    };
    return findings;
  }

  private loadFiles(unit: Unit, previous: Entry | undefined): FileEntries {
    if (!previous) return {};
    try {
      const parsed = JSON.parse(readFileSync(`${this.entryPath(unit)}.files.json`, 'utf8')) as { list?: string; files?: FileEntries };
      // Written with the entry: a files part from another write is not used.
      return parsed.list === previous.list && parsed.files && typeof parsed.files === 'object' ? parsed.files : {};
    } catch {
      return {};
    }
  }

  /** Writes the unit's entry (not when a config it used has problems: those are always reported afresh). */
  done(unit: Unit, findings: ReportedFinding[], configProblems: boolean, rules: RuleInfo[]): void {
    const rec = this.recordings.get(unit.path);
    if (!rec || this.opts.readOnly) return;
    const derived = rec.derived?.output();
    if (derived) {
      try {
        mkdirSync(this.opts.dir, { recursive: true });
        writeAtomically(`${this.entryPath(unit)}.derived.bin`, derived);
      } catch {
        // Derived again next time.
      }
    }
    if (configProblems) return;
    const used = new Set(findings.map((f) => f.rule));
    const configDirs: Record<string, string> = {};
    const configs: Record<string, string> = {};
    const memo = new Map<string, string>();
    for (const dir of rec.dirs) {
      const config = this.opts.config ?? nearestConfig(dir, memo);
      configDirs[dir] = config;
      if (config) configs[config] = hash(readText(config));
    }
    const part = JSON.stringify({
      findings: pack(findings, (f) => resolve(this.opts.cwd, f.file)),
      rules: rules.flatMap((r, order) => (used.has(r.id) ? [{ ...r, order }] : [])),
    });
    const id = hash(part);
    const entry: Entry = {
      kind: KIND,
      schema: SCHEMA,
      version: this.opts.version,
      unit: unit.path,
      config: this.opts.config ?? '',
      list: hash((rec.listed ?? []).join('\u0000')),
      reads: Object.fromEntries(rec.reads),
      configDirs,
      configs,
      findings: id,
    };
    try {
      mkdirSync(this.opts.dir, { recursive: true });
      writeAtomically(`${this.entryPath(unit)}.files.json`, JSON.stringify({ list: entry.list, files: rec.files }));
      writeAtomically(`${this.entryPath(unit)}.findings.json`, `{"id":${JSON.stringify(id)},${part.slice(1)}`);
      writeAtomically(`${this.entryPath(unit)}.json`, JSON.stringify(entry));
      this.ids.set(unit.path, id);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}

/** Writes a file whole or not at all (a reader never sees half of it). */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
