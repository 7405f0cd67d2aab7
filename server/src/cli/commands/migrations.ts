// `pgdba migrations <path>`: what pgdba detected there (projects, layouts, migrations in apply order, schema and query files).
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LineIndex } from '../../core/parse/lines';
import type { Project, ProjectModel } from '../../core/projects';
import { ConfigFiles } from '../../node/config-files';
import { nodeProjects } from '../../node/projects';
import type { CommandIo } from './rollback';

const USAGE = 'usage: pgdba migrations <path> [--format text|json]';

export interface ProjectListing {
  name: string;
  root: string;
  layout: string;
  migrations: { version: string; name: string; up: string; down: string | null }[];
  schema: string[];
  queries: number;
  notes: string[];
}

/** The model as `pgdba migrations --format json` prints it: paths relative to `base` (the folder given). */
export function projectListing(
  model: ProjectModel,
  rel: (path: string) => string,
): { projects: ProjectListing[]; problems: { path: string; message: string }[] } {
  const one = (p: Project): ProjectListing => ({
    name: p.name,
    root: rel(p.root),
    layout: p.layout,
    migrations: p.migrations.map((m) => ({ version: m.version, name: m.name, up: rel(m.up.path), down: m.down ? rel(m.down.path) : null })),
    schema: p.schema.map(rel),
    queries: p.queries.length,
    notes: p.notes,
  });
  return { projects: model.projects.map(one), problems: model.problems.map((p) => ({ path: rel(p.path), message: p.message })) };
}

function text(listing: ReturnType<typeof projectListing>): string {
  const out: string[] = [];
  for (const p of listing.projects) {
    out.push(
      `${p.name} (${p.layout}${p.root ? `, ${p.root}` : ''}): ${p.migrations.length} migrations, ${p.schema.length} schema files, ${p.queries} query files`,
    );
    for (const n of p.notes) out.push(`  note: ${n}`);
    for (const m of p.migrations) out.push(`  ${m.version || '-'}  ${m.up}${m.down ? `  ↔ ${m.down}` : ''}`);
    for (const s of p.schema) out.push(`  schema  ${s}`);
  }
  for (const p of listing.problems) out.push(`problem: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  if (listing.projects.length === 0) out.push('no SQL files found');
  return out.join('\n') + '\n';
}

export async function runMigrations(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  if (positionals.length !== 1 || (values.format !== 'text' && values.format !== 'json')) {
    io.stderr(`pgdba migrations: ${USAGE}\n`);
    return 2;
  }
  const dir = resolve(io.cwd, positionals[0]);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) {
    io.stderr(`pgdba migrations: ${positionals[0]} is not a folder\n`);
    return 2;
  }
  const configs = new ConfigFiles();
  const model = nodeProjects(dir, configs);
  const listing = projectListing(model, (p) => p);
  io.stdout(values.format === 'json' ? JSON.stringify(listing, null, 2) + '\n' : text(listing));
  // A bad pgdba.json (an overlapping project, say) is reported at its key, as `pgdba check` does.
  const resolved = configs.forPath(join(dir, 'pgdba.json'));
  if (resolved.path && resolved.problems.length) {
    let config = '';
    try {
      config = readFileSync(resolved.path, 'utf8');
    } catch {
      // the problem says it could not be read
    }
    const lines = new LineIndex(config);
    for (const pr of resolved.problems) {
      const at = lines.position(pr.start);
      io.stderr(`${relative(io.cwd, resolved.path)}:${at.line + 1}:${at.character + 1}: ${pr.message}\n`);
    }
    return 2;
  }
  return 0;
}
