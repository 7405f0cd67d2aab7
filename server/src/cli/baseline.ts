// `--baseline FILE`: findings accepted earlier, keyed by rule, file and the flagged text (robust to line shifts), so CI
// fails only on new ones; `pgdba baseline write FILE` records the current findings.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { ReportedFinding } from './reporters/types';

const BaselineEntry = z.strictObject({
  rule: z.string().min(1),
  file: z.string().min(1),
  /** sha256 of the flagged lines, whitespace collapsed. */
  hash: z.string().regex(/^[0-9a-f]{16,64}$/),
  count: z.number().int().positive().default(1),
  /** For the reader only. */
  message: z.string().optional(),
});
const BaselineFile = z.strictObject({
  pgdba: z.literal('baseline'),
  version: z.literal(1),
  findings: z.array(BaselineEntry),
});
export type Baseline = z.infer<typeof BaselineFile>;

/** Reads the files the findings are in (once each) from the working directory. */
function textReader(cwd: string): (file: string) => string[] {
  const cache = new Map<string, string[]>();
  return (file) => {
    let lines = cache.get(file);
    if (!lines) {
      let text = '';
      try {
        text = readFileSync(resolve(cwd, file), 'utf8');
      } catch {
        // A finding on a file that is gone is keyed by its rule and message alone.
      }
      lines = text.split('\n');
      cache.set(file, lines);
    }
    return lines;
  };
}

/** A finding's identity: its rule, its file relative to the baseline's folder, and the flagged lines' text. */
function keyer(cwd: string, baselineFile: string): (f: ReportedFinding) => { rule: string; file: string; hash: string } {
  const lines = textReader(cwd);
  const base = dirname(resolve(cwd, baselineFile));
  return (f) => {
    const flagged = lines(f.file)
      .slice(f.line - 1, f.endLine)
      .join('\n')
      .replace(/\s+/g, ' ')
      .trim();
    const file = relative(base, resolve(cwd, f.file)).split(sep).join('/');
    return { rule: f.rule, file, hash: createHash('sha256').update(`${f.message}\u0000${flagged}`).digest('hex').slice(0, 32) };
  };
}

export function buildBaseline(findings: ReportedFinding[], cwd: string, baselineFile: string): Baseline {
  const key = keyer(cwd, baselineFile);
  const byKey = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) {
    const k = key(f);
    const id = `${k.rule}\u0000${k.file}\u0000${k.hash}`;
    const hit = byKey.get(id);
    if (hit) hit.count++;
    else byKey.set(id, { ...k, count: 1, message: f.message });
  }
  const sorted = [...byKey.values()].sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.hash.localeCompare(b.hash));
  return { pgdba: 'baseline', version: 1, findings: sorted };
}

/** Parses a baseline file; a message naming the problem when it is not one. */
export function loadBaseline(file: string): { ok: true; baseline: Baseline } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code ? `cannot read ${file}: ${code}` : `${file} is not JSON: ${(error as Error).message}` };
  }
  const parsed = BaselineFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `${file}: not a pgdba baseline: ${issue.path.join('.') || '(top level)'}: ${issue.message} (write one with \`pgdba baseline write ${file} <paths…>\`)`,
    };
  }
  return { ok: true, baseline: parsed.data };
}

export interface BaselineSplit {
  /** Findings the baseline does not accept. */
  fresh: ReportedFinding[];
  accepted: number;
  /** Baseline entries no finding matched any more (fixed, or the flagged text changed). */
  stale: { rule: string; file: string; message?: string; count: number }[];
}

export function applyBaseline(findings: ReportedFinding[], baseline: Baseline, cwd: string, baselineFile: string): BaselineSplit {
  const key = keyer(cwd, baselineFile);
  const left = new Map<string, { entry: Baseline['findings'][number]; count: number }>();
  for (const e of baseline.findings) left.set(`${e.rule}\u0000${e.file}\u0000${e.hash}`, { entry: e, count: e.count });
  const fresh: ReportedFinding[] = [];
  let accepted = 0;
  for (const f of findings) {
    const k = key(f);
    const slot = left.get(`${k.rule}\u0000${k.file}\u0000${k.hash}`);
    if (slot && slot.count > 0) {
      slot.count--;
      accepted++;
    } else fresh.push(f);
  }
  const stale = [...left.values()]
    .filter((s) => s.count > 0)
    .map((s) => ({ rule: s.entry.rule, file: s.entry.file, message: s.entry.message, count: s.count }));
  return { fresh, accepted, stale };
}
