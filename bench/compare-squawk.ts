// Runs pgdba's migration rules and squawk over ../shared/corpus and lines up their findings per rule and per line.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { nodeWorkspaceFiles } from '../server/src/node/workspace-files';
import type { Finding } from '../server/src/core/analyze';
import { defaultConfig } from '../server/src/core/config';
import { initParser } from '../server/src/core/parse/parse';
import { rules } from '../server/src/core/rules';
import type { Category } from '../server/src/core/rules/rule';
import { Workspace } from '../server/src/core/workspace/workspace';
import { CORPUS, corpusProjects, sqlFiles } from './cli-corpus';
import { peerBin } from './peers';

/** The rule categories that squawk's rules correspond to. */
export const MIGRATION_CATEGORIES: ReadonlySet<Category> = new Set(['migration-lock', 'migration-compat', 'schema-design', 'robustness']);

/** One finding reduced to what both tools report: corpus-relative file, 0-based line, rule. */
export interface LineFinding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

export interface Comparison {
  files: number;
  pgdba: { total: number; byRule: Record<string, number>; findings: LineFinding[] };
  squawk: { total: number; byRule: Record<string, number>; findings: LineFinding[] };
}

interface SquawkJson {
  file: string;
  line: number;
  rule_name: string;
  message: string;
}

function count(findings: LineFinding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.rule] = (out[f.rule] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** pgdba's findings from the migration-safety rule categories, over every SQL file of every corpus project. */
export function runPgdba(corpus = CORPUS): LineFinding[] {
  const ids = new Set(rules.filter((r) => MIGRATION_CATEGORIES.has(r.category)).map((r) => r.id));
  const out: LineFinding[] = [];
  for (const project of corpusProjects()) {
    const config = defaultConfig();
    const workspace = new Workspace({ files: nodeWorkspaceFiles(project), configFor: () => config });
    for (const path of workspace.sqlFiles()) {
      const text = workspace.text(path) ?? '';
      const findings: Finding[] = workspace.analyze(path).filter((f) => ids.has(f.rule));
      const file = relative(corpus, join(project, path));
      for (const f of findings) out.push({ file, line: lineOf(text, f.start), rule: f.rule, message: f.message });
    }
  }
  return out;
}

/** squawk's JSON findings over the same files (run in batches; it prints one JSON array per run). */
export function runSquawk(corpus = CORPUS): LineFinding[] {
  const bin = peerBin('squawk');
  const files = corpusProjects()
    .flatMap((p) => sqlFiles(p))
    .map((f) => relative(corpus, f));
  const out: LineFinding[] = [];
  for (let i = 0; i < files.length; i += 400) {
    const r = spawnSync(bin, ['--reporter', 'json', ...files.slice(i, i + 400)], { cwd: corpus, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      for (const f of JSON.parse(line) as SquawkJson[]) out.push({ file: f.file, line: f.line, rule: f.rule_name, message: f.message });
    }
  }
  return out;
}

/** Both tools on the corpus, counted per rule. Returns undefined when the corpus is absent. */
export async function compareWithSquawk(corpus = CORPUS): Promise<Comparison | undefined> {
  const projects = corpusProjects();
  if (!projects.length) return undefined;
  await initParser();
  const p = runPgdba(corpus);
  const s = runSquawk(corpus);
  return {
    files: projects.flatMap((d) => sqlFiles(d)).length,
    pgdba: { total: p.length, byRule: count(p), findings: p },
    squawk: { total: s.length, byRule: count(s), findings: s },
  };
}

/** squawk findings on lines where pgdba reports nothing (the sample to classify by hand). */
export function silentOn(c: Comparison): LineFinding[] {
  const seen = new Set(c.pgdba.findings.map((f) => `${f.file}:${f.line}`));
  return c.squawk.findings.filter((f) => !seen.has(`${f.file}:${f.line}`));
}

if (require.main === module) {
  void compareWithSquawk().then((c) => {
    if (!c) return console.log('../shared/corpus not found: skipped');
    console.log(`${c.files} files: pgdba ${c.pgdba.total} findings, squawk ${c.squawk.total} (${((100 * c.pgdba.total) / c.squawk.total).toFixed(1)}%)\n`);
    console.log('pgdba per rule:');
    for (const [r, n] of Object.entries(c.pgdba.byRule)) console.log(`  ${String(n).padStart(6)}  ${r}`);
    console.log('\nsquawk per rule:');
    for (const [r, n] of Object.entries(c.squawk.byRule)) console.log(`  ${String(n).padStart(6)}  ${r}`);
  });
}
