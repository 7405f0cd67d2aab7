// `pgdba trace <migration-file>`: runs the migration in a rolled-back transaction on PGlite (earlier migrations applied)
// or on --db, and reports per statement the locks taken and the relations rewritten.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { discoverLayout, migrationForPath, resolveSection } from '../../core/migrations';
import { LineIndex } from '../../core/parse/lines';
import { initParser, parseSql } from '../../core/parse/parse';
import { EngineError, buildPgliteFromMigrations, connectPg, defaultPgliteCacheDir, workspaceMigrations, type Engine } from '../../engine';
import { lockModeName, traceStatements, type TracedStatement } from '../../engine/trace';
import { traceInputs } from '../../engine/trace-inputs';
import { ConfigFiles } from '../../node/config-files';
import { configuredProjects, projectFiles } from '../../node/projects';
import { workspaceRootOf } from '../../node/workspace-root';
import { pgliteSummary } from './explain';

export interface TraceArgs {
  file: string;
  db?: string;
  format: 'text' | 'json';
  cwd: string;
  cacheDir?: string;
}

interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
}

function textReport(file: string, text: string, traced: TracedStatement[]): string {
  const lines = new LineIndex(text);
  const out: string[] = [];
  for (const t of traced) {
    const line = lines.position(t.start).line + 1;
    const head = text.slice(t.start, t.end).split('\n')[0].slice(0, 80);
    out.push(`${file}:${line}  ${head}`);
    if (t.status === 'skipped') out.push(`    skipped: ${t.note}`);
    if (t.status === 'error') out.push(`    failed: ${t.error?.message}`);
    for (const l of t.locks) out.push(`    ${lockModeName(l.mode).padEnd(24)} on ${l.relation} — blocks ${l.blocks}`);
    for (const r of t.rewritten) out.push(`    REWRITE of ${r}: the whole relation is copied while the lock is held`);
    if (t.status === 'ok' && t.locks.length === 0 && t.rewritten.length === 0) out.push('    no new relation locks');
  }
  return out.join('\n') + '\n';
}

export async function runTrace(args: TraceArgs, io: Io): Promise<number> {
  const file = resolve(args.cwd, args.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.stderr(`pgdba trace: cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 2;
  }
  await initParser();
  const root = workspaceRootOf(file);
  const configs = new ConfigFiles();
  const files = projectFiles(root, configs);
  const rel = relative(root, file).split(sep).join('/');
  const layout = discoverLayout(files);
  const hit = migrationForPath(layout, rel);
  const parsed = parseSql(text);
  if (parsed.errors.length) {
    const p = new LineIndex(text).position(parsed.errors[0].start);
    io.stderr(`pgdba trace: ${args.file}:${p.line + 1}:${p.character + 1}: ${parsed.errors[0].message}\n`);
    return 2;
  }
  const section = hit ? resolveSection(hit.migration.up, text) : { start: 0, end: text.length };
  const statements = parsed.statements.filter((s) => s.start >= section.start && s.start < section.end);
  const config = configs.forPath(file).config.database;
  let engine: Engine | undefined;
  try {
    if (args.db) {
      engine = await connectPg({ url: args.db, allowedHosts: config?.allowedHosts, statementTimeoutMs: config?.statementTimeoutMs });
    } else {
      // The migrations applied before this one; a file outside any layout is traced on an empty database.
      const all = workspaceMigrations(files, { forPath: rel, projects: configuredProjects(root, configs) });
      const upTo = hit ? all.findIndex((m) => m.id === hit.migration.id) : -1;
      const earlier = upTo >= 0 ? all.slice(0, upTo) : hit ? all : [];
      const build = await buildPgliteFromMigrations(earlier, {
        cacheDir: args.cacheDir ?? defaultPgliteCacheDir(root),
        statementTimeoutMs: config?.statementTimeoutMs,
      });
      engine = build.engine;
      if (args.format === 'text') io.stderr(pgliteSummary(build));
    }
    const traced = await traceStatements(engine, traceInputs(statements));
    const shown = relative(args.cwd, file) || args.file;
    if (args.format === 'json') {
      const lines = new LineIndex(text);
      io.stdout(
        JSON.stringify({ file: shown, engine: engine.label, statements: traced.map((t) => ({ ...t, line: lines.position(t.start).line + 1 })) }, null, 2) +
          '\n',
      );
    } else {
      io.stdout(`Lock trace of ${shown} on ${engine.label} (in one transaction, rolled back):\n` + textReport(shown, text, traced));
    }
    return traced.some((t) => t.status === 'error') ? 1 : 0;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    io.stderr(`pgdba trace: ${err.message}\n`);
    return 1;
  } finally {
    await engine?.close();
  }
}
