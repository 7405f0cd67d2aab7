// Seals and verifies a package: recomputes file hashes through an injected reader and lists missing, changed and extra files.
import { listedFiles, type Manifest } from './manifest';
import { SECTION_KEYS, packageLayout } from './naming';

/** File access for seal and verify; paths are '/'-separated and relative to the manifest's folder. */
export interface PackageReader {
  /** Files under `dir`, as paths relative to the manifest's folder; `recursive: false` lists only `dir` itself. [] when `dir` is absent. `dir` '' is the manifest's folder. */
  list(dir: string, options: { recursive: boolean }): Promise<string[]>;
  /**
   * Lowercase hex sha256 of the file's bytes, undefined when it does not exist, or a refusal when it is something a
   * package must not hold (a link, a device, a FIFO, a path leading outside the package, a file over the size cap).
   */
  hash(path: string): Promise<string | undefined | ReadRefusal>;
}

/** Why a reader would not read a path; the reason names the path. */
export interface ReadRefusal {
  refused: string;
}

export const isRefusal = (h: string | undefined | ReadRefusal): h is ReadRefusal => typeof h === 'object';

export type FindingKind = 'missing' | 'changed' | 'extra' | 'unsealed' | 'stale' | 'refused';

export interface VerifyFinding {
  kind: FindingKind;
  path: string;
  message: string;
  /** Manifest key path the finding belongs to (e.g. ['perf', 0] or ['hashes', 'x']); [] for a file the manifest does not mention. */
  keyPath: (string | number)[];
}

export interface VerifyResult {
  ok: boolean;
  /** Number of listed files whose hash matched. */
  matched: number;
  findings: VerifyFinding[];
}

/**
 * Files that belong to the package by name but that the manifest does not list: anything under the section folders,
 * and files in the manifest's folder named `<base>_…` other than the manifest itself.
 */
export async function unlistedFiles(m: Manifest, manifestName: string, reader: PackageReader): Promise<string[]> {
  const layout = packageLayout(m.briefId, m.date.replaceAll('-', ''));
  const listed = new Set(listedFiles(m).map((f) => f.path));
  const present = new Set<string>();
  for (const key of SECTION_KEYS) for (const p of await reader.list(layout.folders[key], { recursive: true })) present.add(p);
  for (const p of await reader.list('', { recursive: false })) {
    if (p.startsWith(`${layout.base}_`) && p !== manifestName) present.add(p);
  }
  return [...present].filter((p) => !listed.has(p)).sort();
}

/** Recomputes every listed file's hash and compares it with the sealed one; `ok` only when nothing is missing, changed, extra, unsealed or stale. */
export async function verifyPackage(m: Manifest, manifestName: string, reader: PackageReader): Promise<VerifyResult> {
  const findings: VerifyFinding[] = [];
  const sealed = m.hashes ?? {};
  const listed = listedFiles(m);
  let matched = 0;
  for (const f of listed) {
    const actual = await reader.hash(f.path);
    const expected = sealed[f.path];
    if (isRefusal(actual)) {
      findings.push({ kind: 'refused', path: f.path, keyPath: f.keyPath, message: actual.refused });
    } else if (actual === undefined) {
      findings.push({ kind: 'missing', path: f.path, keyPath: f.keyPath, message: `listed in ${f.section} but the file does not exist` });
    } else if (expected === undefined) {
      findings.push({ kind: 'unsealed', path: f.path, keyPath: f.keyPath, message: 'has no sealed hash: run `pgdba package seal`' });
    } else if (actual !== expected) {
      findings.push({
        kind: 'changed',
        path: f.path,
        keyPath: ['hashes', f.path],
        message: `changed since the package was sealed (sha256 ${actual.slice(0, 12)}…, sealed ${expected.slice(0, 12)}…)`,
      });
    } else {
      matched++;
    }
  }
  const listedSet = new Set(listed.map((f) => f.path));
  for (const p of Object.keys(sealed).sort()) {
    if (!listedSet.has(p)) findings.push({ kind: 'stale', path: p, keyPath: ['hashes', p], message: 'has a sealed hash but no section lists it' });
  }
  for (const p of await unlistedFiles(m, manifestName, reader)) {
    const h = await reader.hash(p);
    if (isRefusal(h)) findings.push({ kind: 'refused', path: p, keyPath: [], message: h.refused });
    else findings.push({ kind: 'extra', path: p, keyPath: [], message: 'is in the package but not listed in the manifest' });
  }
  return { ok: findings.length === 0, matched, findings };
}

export interface SealResult {
  /** The manifest with `hashes` recomputed for exactly the listed files; undefined when a listed file is missing. */
  manifest?: Manifest;
  missing: string[];
  /** Files in the package the manifest does not list; they are not sealed and verify will report them. */
  extra: string[];
  /** Links, devices, FIFOs, paths leading outside the package and oversized files, listed or not: any of them refuses the seal. */
  refused: { path: string; reason: string }[];
}

/**
 * Recomputes `hashes` for every listed file. Refuses (no manifest) when a listed file is missing, since a hash of
 * nothing seals nothing, and when anything in the package is refused by the reader, since a seal over a link vouches for
 * whatever it points to later.
 */
export async function sealPackage(m: Manifest, manifestName: string, reader: PackageReader): Promise<SealResult> {
  const hashes: Record<string, string> = {};
  const missing: string[] = [];
  const refused: SealResult['refused'] = [];
  for (const f of listedFiles(m)) {
    const h = await reader.hash(f.path);
    if (isRefusal(h)) refused.push({ path: f.path, reason: h.refused });
    else if (h === undefined) missing.push(f.path);
    else hashes[f.path] = h;
  }
  const extra: string[] = [];
  for (const p of await unlistedFiles(m, manifestName, reader)) {
    const h = await reader.hash(p);
    if (isRefusal(h)) refused.push({ path: p, reason: h.refused });
    else extra.push(p);
  }
  return { manifest: missing.length || refused.length ? undefined : { ...m, hashes }, missing, extra, refused };
}
