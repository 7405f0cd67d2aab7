// Plans a new package in memory: folders, spec, filled files and manifest, so the CLI only has to write them (and nothing exists yet).
import type { Manifest } from './manifest';
import { SECTION_KEYS, PackageError, assertBriefId, isSafeRelativePath, isoFromCompact, packageLayout, type PackageLayout, type SectionKey } from './naming';
import { specMarkdown, type EvidenceKey } from './spec-template';

/** A file a filler puts into a section folder; `name` is relative to that folder and may contain '/'. */
export interface FilledFile {
  section: SectionKey;
  name: string;
  content: string | Uint8Array;
}

/** What one filler found in the workspace. Fillers report facts only: a gap is a note, never made-up content. */
export interface FillResult {
  files: FilledFile[];
  /** Markdown lines for the spec's "Inputs Used", e.g. "`db/001.up.sql` → `DBA_…_migrations/001.up.sql`". */
  inputs: string[];
  notes: { about: EvidenceKey; text: string }[];
}

export interface PlannedFile {
  /** Relative to the package's directory. */
  path: string;
  content: string | Uint8Array;
}

export interface PackagePlan {
  layout: PackageLayout;
  /** Folders to create, parents first. */
  dirs: string[];
  /** Every file to create: the spec, the filled files, then the manifest. */
  files: PlannedFile[];
  manifest: Manifest;
}

/** Builds the package for a brief id and a YYYYMMDD date from the fillers' results. Throws PackageError on a bad id, date or file name. */
export function planPackage(briefId: string, compact: string, fills: readonly FillResult[]): PackagePlan {
  assertBriefId(briefId);
  const date = isoFromCompact(compact);
  const layout = packageLayout(briefId, compact);
  const dirs = new Set<string>([...SECTION_KEYS.map((k) => layout.folders[k]), layout.rollback]);
  const files: PlannedFile[] = [];
  const bySection = Object.fromEntries(SECTION_KEYS.map((k) => [k, [] as string[]])) as Record<SectionKey, string[]>;
  const taken = new Set<string>();
  for (const fill of fills) {
    for (const f of fill.files) {
      if (!isSafeRelativePath(f.name)) throw new PackageError(`a filler produced an unsafe file name ${JSON.stringify(f.name)} for ${f.section}`);
      const path = `${layout.folders[f.section]}/${f.name}`;
      if (taken.has(path)) throw new PackageError(`two inputs would both be written to ${path}: choose one of them`);
      taken.add(path);
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
      files.push({ path, content: f.content });
      bySection[f.section].push(path);
    }
  }
  const spec = specMarkdown({
    briefId,
    date,
    layout,
    inputs: fills.flatMap((f) => f.inputs),
    files: bySection,
    notes: fills.flatMap((f) => f.notes),
  });
  const manifest: Manifest = { briefId, date, spec: layout.spec, ...bySection };
  const sortedDirs = [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  return { layout, dirs: sortedDirs, files: [{ path: layout.spec, content: spec }, ...files], manifest };
}
