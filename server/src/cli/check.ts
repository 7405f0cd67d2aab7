// `pgdba check <paths…>`: analyse folders (each one workspace) and files, and report the findings.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Finding } from '../core/analyze';
import { LineIndex } from '../core/parse/lines';
import { initParser } from '../core/parse/parse';
import { rules } from '../core/rules';
import { Workspace } from '../core/workspace/workspace';
import { ConfigFiles } from '../node/config-files';
import { FORMAT_NAMES, REPORTERS } from './reporters';
import type { ReportedFinding, RuleInfo } from './reporters/types';
import { nodeWorkspaceFiles } from '../node/workspace-files';
import { workspaceRootOf } from '../node/workspace-root';
import type { CheckHooks } from './check-hooks';
import { configuredProjects } from '../node/projects';

export interface CheckOptions {
  paths: string[];
  format: string;
  config?: string;
  cwd: string;
  hooks?: CheckHooks;
}

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Output that is already UTF-8 bytes (a kept report), when the caller can print it without decoding. */
  stdoutBytes?(b: Uint8Array): void;
}

function toReported(f: Finding, text: string, file: string, lines = new LineIndex(text)): ReportedFinding {
  const s = lines.position(f.start);
  const e = lines.position(Math.max(f.end, f.start));
  return {
    file,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    help: f.help,
  };
}

export function ruleInfos(docsRoot?: string): RuleInfo[] {
  return rules.map((r) => ({ id: r.id, summary: r.docs.summary, help: r.docs.help, docsPath: docsRoot ? join(docsRoot, `${r.id}.md`) : undefined }));
}

/** A file's findings; running out of stack (nesting past the parse-time limit) is a finding on the file, not a crash. */
function analyzeOrTooDeep(workspace: Workspace, rel: string): Finding[] {
  try {
    return workspace.analyze(rel);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [
      {
        file: rel,
        start: 0,
        end: 0,
        rule: 'too-deeply-nested',
        severity: 'warning',
        message: 'pgdba could not analyse this file: it is nested too deeply for analysis.',
      },
    ];
  }
}

/** Runs the check; returns the exit code (0 clean, 1 an error-severity finding, 2 usage or config error). */
export async function runCheck(opts: CheckOptions, io: Io): Promise<number> {
  const reporter = REPORTERS[opts.format];
  if (!reporter) {
    io.stderr(`pgdba: unknown --format "${opts.format}" (use ${FORMAT_NAMES})\n`);
    return 2;
  }
  if (opts.paths.length === 0) {
    io.stderr('pgdba check: give at least one file or folder\n');
    return 2;
  }
  if (opts.config && !existsSync(resolve(opts.cwd, opts.config))) {
    io.stderr(`pgdba: --config ${opts.config}: no such file\n`);
    return 2;
  }
  const hooks = opts.hooks ?? {};
  let parser: Promise<void> | undefined;
  const configs = new ConfigFiles(opts.config ? resolve(opts.cwd, opts.config) : undefined);
  const reported: ReportedFinding[] = [];
  const configErrors = new Map<string, ReportedFinding[]>();
  let usageError = false;

  for (const p of opts.paths) {
    const abs = resolve(opts.cwd, p);
    if (!existsSync(abs)) {
      io.stderr(`pgdba: ${p}: no such file or folder\n`);
      usageError = true;
      continue;
    }
    const isDir = statSync(abs).isDirectory();
    const root = isDir ? abs : workspaceRootOf(abs);
    const unit = { path: abs, root };
    const replayed = hooks.replay?.(unit);
    if (replayed) {
      reported.push(...replayed);
      continue;
    }
    if (!parser) {
      // The parser's WebAssembly compiles on V8's background threads: one turn of the event loop starts it, and the
      // workspace lists its files meanwhile (awaiting it at once left the main thread idle for the compile).
      parser = initParser();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const mark = reported.length;
    let configProblems = false;
    const files = nodeWorkspaceFiles(root);
    const workspace = new Workspace({
      files: hooks.files?.(unit, files) ?? files,
      configFor: (rel) => configs.forPath(join(root, rel)).config,
      projects: () => configuredProjects(root, configs),
      // Every file analysed once, in order (with --changed-since only the changed ones are: each checks one migration).
      singlePass: !hooks.include,
      store: hooks.store?.(unit),
    });
    const targets = isDir ? workspace.sqlFiles() : [relative(root, abs).split(sep).join('/')];
    await parser;
    for (const rel of targets) {
      const absFile = join(root, rel);
      const resolved = configs.forPath(absFile);
      configProblems ||= resolved.problems.length > 0;
      if (resolved.path && resolved.problems.length && !configErrors.has(resolved.path)) {
        let text = '';
        try {
          text = readFileSync(resolved.path, 'utf8');
        } catch {
          // Unreadable config: the problem already says so.
        }
        configErrors.set(
          resolved.path,
          resolved.problems.map((pr) =>
            toReported(
              { file: resolved.path!, start: pr.start, end: pr.end, rule: 'config-error', severity: 'error', message: pr.message },
              text,
              relative(opts.cwd, resolved.path!),
            ),
          ),
        );
      }
      if (resolved.config.exclude.some((prefix) => rel.startsWith(prefix))) continue;
      if (hooks.include && !hooks.include(absFile)) continue;
      const text = workspace.text(rel);
      if (text === undefined) continue;
      const shown = relative(opts.cwd, absFile) || rel;
      const lines = new LineIndex(text);
      const findings = hooks.analyze
        ? hooks.analyze(unit, rel, workspace, resolved.config, () => analyzeOrTooDeep(workspace, rel))
        : analyzeOrTooDeep(workspace, rel);
      for (const f of findings) reported.push(toReported(f, text, shown, lines));
    }
    hooks.done?.(unit, reported.slice(mark), configProblems);
  }
  const all = [...[...configErrors.values()].flat(), ...reported];
  const exitCode = usageError || configErrors.size > 0 ? 2 : all.some((f) => f.severity === 'error') ? 1 : 0;
  if (hooks.finish) return hooks.finish(all, exitCode);
  io.stdout(reporter(all, ruleInfos()));
  return exitCode;
}
