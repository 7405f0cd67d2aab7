// Tries the unknown-* rules on real migrations: every DML statement of ../shared/corpus is checked against the catalog as it
// stood just before that statement (PostgreSQL accepted each one when the project ran it), so every finding is a false "unknown".
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyStatement, newApplyState } from '../server/src/core/catalog/build';
import { emptyCatalog } from '../server/src/core/catalog/types';
import { configSchema } from '../server/src/core/config';
import { FileFacts } from '../server/src/core/facts/file-facts';
import { bodyUnknownNamesOf, unknownNamesOf, type UnknownName } from '../server/src/core/facts/unknown-names';
import { initParser } from '../server/src/core/parse/parse';
import { orderedUps } from '../server/src/core/rollback/catalog-before';
import { Workspace } from '../server/src/core/workspace/workspace';
import { nodeWorkspaceFiles } from '../server/src/node/workspace-files';

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export function unknownOnCorpus(
  corpus: string,
): { project: string; dml: number; bodies: number; findings: (UnknownName & { file: string; text: string })[] }[] {
  const config = configSchema.parse({});
  const out = [];
  for (const project of readdirSync(corpus).filter((p) => !p.endsWith('.md'))) {
    const ws = new Workspace({ files: nodeWorkspaceFiles(join(corpus, project)), configFor: () => config });
    const catalog = emptyCatalog();
    let dml = 0;
    const findings: (UnknownName & { file: string; text: string })[] = [];
    for (const up of orderedUps(ws)) {
      const state = newApplyState(up.path);
      const statements = up.parsed.statements.filter((s) => !up.section || (s.start >= up.section.start && s.start < up.section.end));
      for (const stmt of statements) {
        if (DML.has(stmt.kind)) {
          // Facts are per analysis: this one sees the catalog as it is now, before the statement.
          const facts = new FileFacts({ file: { path: up.path, role: 'plain', transaction: 'none' }, parsed: up.parsed, statements, catalog, config });
          dml++;
          for (const u of unknownNamesOf(facts, stmt)) findings.push({ ...u, file: up.path, text: up.parsed.text.slice(u.start, u.end) });
        }
        applyStatement(catalog, stmt, state);
      }
    }
    // Function bodies: each function's current body, against the schema after every migration (what it runs against).
    let bodies = 0;
    for (const up of orderedUps(ws)) {
      const statements = up.parsed.statements.filter((s) => !up.section || (s.start >= up.section.start && s.start < up.section.end));
      const facts = new FileFacts({ file: { path: up.path, role: 'migration-up', transaction: 'none' }, parsed: up.parsed, statements, catalog, config });
      for (const stmt of statements) {
        if (stmt.kind !== 'CreateFunctionStmt') continue;
        bodies++;
        for (const u of bodyUnknownNamesOf(facts, stmt)) findings.push({ ...u, file: up.path, text: up.parsed.text.slice(u.start, u.end) });
      }
    }
    out.push({ project, dml, bodies, findings });
  }
  return out;
}

if (require.main === module) {
  void (async () => {
    await initParser();
    const corpus = join(__dirname, '..', '..', 'shared', 'corpus');
    if (!existsSync(corpus)) throw new Error(`${corpus} not found`);
    for (const r of unknownOnCorpus(corpus)) {
      console.log(`${r.project}: ${r.dml} DML statements, ${r.bodies} function definitions, ${r.findings.length} unknown-* findings`);
      for (const f of r.findings.slice(0, 40))
        console.log(`  ${f.kind} ${f.name} (${f.relation ?? ''}${f.arity ? ` arity ${f.arity.given} vs ${f.arity.expected}` : ''}) ${f.file}`);
    }
  })();
}
