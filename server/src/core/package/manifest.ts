// The package manifest (`<base>_package.json`): its zod schema, parsing with key-path errors, and stable serialisation.
import { z } from 'zod';
import { SECTION_KEYS, briefIdProblem, isIsoDate, isSafeRelativePath, type SectionKey } from './naming';

const filePath = z.string().refine(isSafeRelativePath, {
  message: "must be a path relative to the manifest's folder: '/' separators, no leading '/', no '.', '..' or empty segments",
});
const fileList = z.array(filePath);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 digest: 64 lowercase hex characters');

export const manifestSchema = z
  .object({
    briefId: z.string().superRefine((id, ctx) => {
      const problem = briefIdProblem(id);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    date: z.string().refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' }),
    spec: filePath,
    migrations: fileList,
    perf: fileList,
    security: fileList,
    ha_dr: fileList,
    observability: fileList,
    evidence: fileList,
    /** sha256 of each file's bytes, written by `pgdba package seal`. */
    hashes: z.record(filePath, sha256).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    // A file listed twice would be hashed and counted twice; say where the second mention is.
    const seen = new Map<string, string>();
    const check = (p: string, at: (string | number)[]) => {
      const first = seen.get(p);
      if (first) ctx.addIssue({ code: 'custom', path: at, message: `${JSON.stringify(p)} is already listed at ${first}` });
      else seen.set(p, formatKeyPath(at));
    };
    check(m.spec, ['spec']);
    for (const key of SECTION_KEYS) m[key].forEach((p, i) => check(p, [key, i]));
  });

export type Manifest = z.infer<typeof manifestSchema>;

/** A manifest problem at a key path (e.g. ['perf', 1]), so an editor can underline the offending key. */
export interface ManifestProblem {
  path: (string | number)[];
  message: string;
}

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; problems: ManifestProblem[] };

/** `['perf', 1]` → `perf[1]`; `['hashes', 'a/b.sql']` → `hashes["a/b.sql"]`; `[]` → `(manifest)`. */
export function formatKeyPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_]\w*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(manifest)';
}

export function formatProblem(p: ManifestProblem): string {
  return `${formatKeyPath(p.path)}: ${p.message}`;
}

function toProblems(issues: z.core.$ZodIssue[]): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown key (check its spelling)' });
    } else if (issue.code === 'invalid_key') {
      out.push({ path, message: `invalid file path: ${issue.issues.map((i) => i.message).join('; ')}` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** Validates a manifest object; never coerces. */
export function validateManifest(value: unknown): ManifestParse {
  const r = manifestSchema.safeParse(value);
  return r.success ? { ok: true, manifest: r.data } : { ok: false, problems: toProblems(r.error.issues) };
}

/** Parses and validates manifest JSON text. */
export function parseManifest(text: string): ManifestParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: [], message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return validateManifest(value);
}

/** One file the manifest lists, with the key path that lists it. */
export interface ListedFile {
  path: string;
  section: SectionKey | 'spec';
  keyPath: (string | number)[];
}

/** Every file the manifest lists: the spec first, then each section in order. */
export function listedFiles(m: Manifest): ListedFile[] {
  const out: ListedFile[] = [{ path: m.spec, section: 'spec', keyPath: ['spec'] }];
  for (const key of SECTION_KEYS) m[key].forEach((p, i) => out.push({ path: p, section: key, keyPath: [key, i] }));
  return out;
}

/** JSON text in a fixed key order, with `hashes` sorted, so re-sealing an unchanged package rewrites identical bytes. */
export function serializeManifest(m: Manifest): string {
  const ordered: Record<string, unknown> = { briefId: m.briefId, date: m.date, spec: m.spec };
  for (const key of SECTION_KEYS) ordered[key] = m[key];
  if (m.hashes) ordered.hashes = Object.fromEntries(Object.entries(m.hashes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
