// `pgdba explain <file> --line N`: plans the statement on that line, on --db or on PGlite built from the file's workspace.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { findingHelp, findingMessage, planText, statementAt } from '../../core/explain';
import { LineIndex } from '../../core/parse/lines';
import { initParser, parseSql } from '../../core/parse/parse';
import {
  EngineError,
  buildPgliteFromMigrations,
  connectPg,
  defaultPgliteCacheDir,
  explainStatement,
  workspaceMigrations,
  type Engine,
  type PgliteBuild,
} from '../../engine';
import { ConfigFiles } from '../../node/config-files';
import { configuredProjects, projectFiles } from '../../node/projects';
import { workspaceRootOf } from '../../node/workspace-root';

export interface ExplainArgs {
  file: string;
  /** 1-based. */
  line: number;
  /** A libpq URL; without it the plan comes from PGlite built from the workspace's migrations. */
  db?: string;
  analyze?: boolean;
  format: 'text' | 'json';
  cwd?: string;
  /** Where built PGlite engines are cached; defaults to a per-workspace folder under ~/.cache/pgdba. */
  cacheDir?: string;
}

export interface ExplainIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

export function pgliteSummary(b: PgliteBuild): string {
  const from = b.cache === 'full' ? 'from cache' : b.cache === 'prefix' ? `${b.reused} migrations from cache` : 'built';
  const lines = [`PGlite: ${b.applied} migration statements (${from}, ${b.ms} ms); ${b.skipped.length} skipped.`];
  for (const s of b.skipped.slice(0, 5)) lines.push(`  skipped ${s.migration}: ${s.excerpt} — ${s.reason}`);
  if (b.skipped.length > 5) lines.push(`  … ${b.skipped.length - 5} more (use --format json for all)`);
  return lines.join('\n') + '\n';
}

export async function runExplain(args: ExplainArgs, io: ExplainIo): Promise<number> {
  const file = resolve(args.cwd ?? process.cwd(), args.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.stderr(`pgdba explain: cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 2;
  }
  await initParser();
  const lines = new LineIndex(text);
  const parsed = parseSql(text);
  const { start: lineStart, end: lineEnd } = lines.lineSpan(args.line - 1);
  const stmt = args.line <= lines.lineCount ? statementAt(parsed.statements, lineStart, lineEnd) : undefined;
  if (!stmt) {
    const syntax = parsed.errors.find((e) => e.start <= lineEnd && e.end >= lineStart);
    io.stderr(`pgdba explain: ${syntax ? `syntax error on line ${args.line}: ${syntax.message}` : `no statement on line ${args.line} of ${args.file}`}\n`);
    return 2;
  }

  const configs = new ConfigFiles();
  const config = configs.forPath(file).config.database;
  const statementTimeoutMs = config?.statementTimeoutMs;
  let engine: Engine | undefined;
  let build: PgliteBuild | undefined;
  try {
    if (args.db) {
      engine = await connectPg({ url: args.db, allowedHosts: config?.allowedHosts, statementTimeoutMs });
    } else {
      const root = workspaceRootOf(file);
      // The schema of the file's own project: its migrations, then its schema files (never other projects' SQL).
      const forPath = relative(root, file).split(sep).join('/');
      const migrations = workspaceMigrations(projectFiles(root, configs), { forPath, projects: configuredProjects(root, configs) });
      build = await buildPgliteFromMigrations(migrations, { cacheDir: args.cacheDir ?? defaultPgliteCacheDir(root), statementTimeoutMs });
      engine = build.engine;
      if (args.format === 'text') io.stderr(pgliteSummary(build));
    }
    const serverVersion = await engine.serverVersion();
    const source = `${engine.label}, PostgreSQL ${Math.floor(serverVersion / 10000)}`;
    const r = await explainStatement(engine, stmt.text, { analyze: args.analyze });
    if (args.format === 'json') {
      const report = {
        file: relative(args.cwd ?? process.cwd(), file),
        line: lines.position(stmt.start).line + 1,
        statement: stmt.text,
        engine: { kind: engine.kind, label: engine.label, serverVersion },
        analyzed: r.outcome.analyzed,
        ...(r.outcome.afterRollback ? { afterRollback: r.outcome.afterRollback } : {}),
        generic: r.outcome.generic,
        plan: r.outcome.json,
        findings: r.findings.map((f) => ({ ...f, message: findingMessage(f), help: findingHelp(f) })),
        pglite: build && { applied: build.applied, cache: build.cache, ms: build.ms, skipped: build.skipped },
      };
      io.stdout(JSON.stringify(report, null, 2) + '\n');
    } else {
      io.stdout(planText(r.plan, r.findings, { source, generic: r.outcome.generic, afterRollback: r.outcome.afterRollback }));
    }
    return 0;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    let where = '';
    if (err.position !== undefined) {
      const p = lines.position(stmt.start + err.position);
      where = ` (${args.file}:${p.line + 1}:${p.character + 1})`;
    }
    io.stderr(`pgdba explain: ${err.message}${where}${err.hint ? `\n  hint: ${err.hint}` : ''}\n`);
    return 1;
  } finally {
    await engine?.close();
  }
}
