// Creating a DBA change package on disk: runs the fillers, plans the files and writes them without overwriting anything.
// A typed function returning what it made, so the CLI prints it and the language server answers with it.
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { serializeManifest } from '../core/package/manifest';
import {
  PackageError,
  SECTION_KEYS,
  assertBriefId,
  compactDate,
  isoFromCompact,
  packageLayout,
  type PackageLayout,
  type SectionKey,
} from '../core/package/naming';
import { planPackage, type FillResult } from '../core/package/plan';

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

export interface NewPackageRequest {
  briefId: string;
  /** YYYYMMDD; defaults to today by `now`. */
  date?: string;
  /** Folder to create the package in (absolute, or relative to `cwd`). */
  dir: string;
  cwd: string;
  fillers: readonly PackageFiller[];
  /** Values of the fillers' flags. */
  flags?: Readonly<Record<string, string[]>>;
  now?: () => Date;
}

export interface NewPackage {
  layout: PackageLayout;
  /** Absolute folder the package was written in. */
  target: string;
  specPath: string;
  manifestPath: string;
  /** Number of files listed per section. */
  counts: Record<SectionKey, number>;
  notes: string[];
}

/** Creates the package; throws PackageError (nothing written) when it is invalid or any part of it already exists. */
export async function createPackage(req: NewPackageRequest): Promise<NewPackage> {
  const compact = req.date ?? compactDate((req.now ?? (() => new Date()))());
  // Validate before any filler reads the workspace.
  assertBriefId(req.briefId);
  const date = isoFromCompact(compact);
  const layout = packageLayout(req.briefId, compact);
  const target = resolve(req.cwd, req.dir);
  const given = req.flags ?? {};
  const fills: FillResult[] = [];
  for (const filler of req.fillers) {
    const flags = Object.fromEntries(filler.flags.filter((f) => given[f]).map((f) => [f, given[f]]));
    fills.push(await filler.fill({ briefId: req.briefId, date, layout, cwd: req.cwd, flags }));
  }
  const plan = planPackage(req.briefId, compact, fills);

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
  if (existing.length)
    throw new PackageError(
      `package ${layout.base} already exists in ${relative(req.cwd, target).split(sep).join('/') || '.'} (${existing.join(', ')}); nothing was written`,
    );
  mkdirSync(target, { recursive: true });
  for (const d of plan.dirs) mkdirSync(join(target, d));
  for (const f of plan.files) writeFileSync(join(target, f.path), f.content, { flag: 'wx' });
  const manifestPath = join(target, layout.manifest);
  writeFileSync(manifestPath, serializeManifest(plan.manifest), { flag: 'wx' });
  const counts = Object.fromEntries(SECTION_KEYS.map((k) => [k, plan.manifest[k].length])) as Record<SectionKey, number>;
  return { layout, target, specPath: join(target, layout.spec), manifestPath, counts, notes: fills.flatMap((f) => f.notes.map((n) => n.text)) };
}
