// `package new --explain <file:line>…`: the plans of chosen statements into perf/ (JSON and text), from PGlite built
// from the statement's workspace, or from `--db`.
import { readFileSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { findingHelp, findingMessage, planText, statementAt } from '../../core/explain';
import { PackageError } from '../../core/package/naming';
import type { FillResult } from '../../core/package/plan';
import { LineIndex } from '../../core/parse/lines';
import { initParser, parseSql } from '../../core/parse/parse';
import {
  EngineError,
  buildPgliteFromMigrations,
  connectPg,
  defaultPgliteCacheDir,
  explainStatement,
  chooseProject,
  projectMigrations,
  type Engine,
} from '../../engine';
import { nodeProjects, projectFiles } from '../../node/projects';
import { ConfigFiles } from '../../node/config-files';
import { workspaceRootOf } from '../../node/workspace-root';
import type { PackageFiller } from '../new-package';

function target(arg: string, cwd: string): { file: string; line: number } {
  const m = /^(.*):(\d+)$/.exec(arg);
  if (!m) throw new PackageError(`--explain ${arg}: expected <file>:<line>`);
  return { file: resolve(cwd, m[1]), line: Number(m[2]) };
}

export const perfFiller: PackageFiller = {
  name: 'perf',
  flags: ['explain', 'db'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const wanted = ctx.flags.explain ?? [];
    if (wanted.length === 0) {
      // Not asked for: the section's DBA gate checklist already says what is missing.
      return result;
    }
    await initParser();
    const engines = new Map<string, Engine>();
    const db = ctx.flags.db?.[0];
    try {
      for (const [i, arg] of wanted.entries()) {
        const { file, line } = target(arg, ctx.cwd);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw new PackageError(`--explain ${arg}: cannot read ${file}`);
        }
        const lines = new LineIndex(text);
        const span = lines.lineSpan(line - 1);
        const stmt = statementAt(parseSql(text).statements, span.start, span.end);
        if (!stmt) throw new PackageError(`--explain ${arg}: no statement on line ${line}`);
        const root = db ? 'db' : workspaceRootOf(file);
        const configs = new ConfigFiles();
        // One engine per project: the file's own migrations and schema files.
        const project = db ? undefined : chooseProject(nodeProjects(root, configs), { forPath: relative(root, file).split(sep).join('/') });
        const key = `${root}\0${project?.name ?? ''}`;
        let engine = engines.get(key);
        if (!engine) {
          engine = db
            ? await connectPg({ url: db })
            : (await buildPgliteFromMigrations(projectMigrations(projectFiles(root, configs), project), { cacheDir: defaultPgliteCacheDir(root) })).engine;
          engines.set(key, engine);
        }
        const name = `${String(i + 1).padStart(2, '0')}_${basename(file).replace(/\.sql$/, '')}_L${line}`;
        try {
          const r = await explainStatement(engine, stmt.text, {});
          const version = await engine.serverVersion();
          const source = `${engine.label}, PostgreSQL ${Math.floor(version / 10000)}`;
          const json = {
            statement: stmt.text,
            source,
            generic: r.outcome.generic,
            plan: r.outcome.json,
            findings: r.findings.map((f) => ({ ...f, message: findingMessage(f), help: findingHelp(f) })),
          };
          result.files.push({ section: 'perf', name: `${name}.json`, content: JSON.stringify(json, null, 2) + '\n' });
          result.files.push({
            section: 'perf',
            name: `${name}.txt`,
            content: `-- ${relative(ctx.cwd, file)}:${line}\n${stmt.text};\n\n${planText(r.plan, r.findings, { source, generic: r.outcome.generic })}`,
          });
          result.inputs.push(`EXPLAIN of \`${relative(ctx.cwd, file)}:${line}\` on ${source} → \`${ctx.layout.folders.perf}/${name}.json\``);
          if (engine.kind === 'pglite')
            result.notes.push({ about: 'perf', text: `${name}: planned on embedded PGlite with empty tables; row estimates are not production volumes` });
        } catch (e) {
          if (!(e instanceof EngineError)) throw e;
          result.notes.push({ about: 'perf', text: `${name}: EXPLAIN failed: ${e.message}` });
        }
      }
    } finally {
      for (const e of engines.values()) await e.close();
    }
    return result;
  },
};
