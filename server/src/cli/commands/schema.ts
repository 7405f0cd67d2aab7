// `pgdba schema <path> [--engine] [--db URL]`: the schema after all migrations as normalised JSON, from the static
// catalog (default), from PGlite built from the same migrations, or read from a live database (drift detection).
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initParser } from '../../core/parse/parse';
import { catalogFromMigrations, catalogSql, schemaFromCatalog, schemaJsonText, type SchemaJson } from '../../core/schema';
import { EngineError, buildPgliteFromMigrations, connectPg, defaultPgliteCacheDir, workspaceMigrations, type Engine } from '../../engine';
import { introspectSchema } from '../../engine/introspect';
import { ConfigFiles } from '../../node/config-files';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import { workspaceRootOf } from '../../node/workspace-root';
import type { CommandIo } from './rollback';

const USAGE = 'usage: pgdba schema <path> [--engine | --db URL] [--format json|sql]';

export interface SchemaArgs {
  path: string;
  source: 'static' | 'engine' | 'db';
  db?: string;
  cacheDir?: string;
}

/** The schema document of a workspace folder from the chosen source. Throws EngineError for database failures. */
/** The given path, its workspace root, and the parser ready. */
async function located(given: string, cwd: string): Promise<{ path: string; root: string }> {
  const path = resolve(cwd, given);
  await initParser();
  return { path, root: statSync(path).isDirectory() ? path : workspaceRootOf(path) };
}

export async function workspaceSchema(args: SchemaArgs, cwd: string, stderr: (s: string) => void = () => undefined): Promise<SchemaJson> {
  const { path, root } = await located(args.path, cwd);
  if (args.source === 'db') {
    const config = new ConfigFiles().forPath(path).config.database;
    const engine = await connectPg({ url: args.db ?? '', allowedHosts: config?.allowedHosts, statementTimeoutMs: config?.statementTimeoutMs });
    return withEngine(engine, introspectSchema);
  }
  const migrations = workspaceMigrations(nodeWorkspaceFiles(root));
  if (args.source === 'static') return schemaFromCatalog(staticCatalog(migrations, stderr));
  const build = await buildPgliteFromMigrations(migrations, { cacheDir: args.cacheDir ?? defaultPgliteCacheDir(root) });
  if (build.skipped.length)
    stderr(
      `pgdba schema: PGlite skipped ${build.skipped.length} statement(s) it could not run (first: ${build.skipped[0].migration}: ${build.skipped[0].reason})\n`,
    );
  return withEngine(build.engine, introspectSchema);
}

function staticCatalog(migrations: Parameters<typeof catalogFromMigrations>[0], stderr: (s: string) => void) {
  const catalog = catalogFromMigrations(migrations);
  const refused = catalog.rejected ?? [];
  if (refused.length)
    stderr(`pgdba schema: left out ${refused.length} statement(s) PostgreSQL would refuse (first: ${refused[0].file}: ${refused[0].reason})\n`);
  return catalog;
}

/** The static catalog's schema as DDL (`--format sql`). */
export async function workspaceSchemaSql(path: string, cwd: string, stderr: (s: string) => void = () => undefined): Promise<string> {
  const { root } = await located(path, cwd);
  return catalogSql(staticCatalog(workspaceMigrations(nodeWorkspaceFiles(root)), stderr));
}

async function withEngine<T>(engine: Engine, f: (e: Engine) => Promise<T>): Promise<T> {
  try {
    return await f(engine);
  } finally {
    await engine.close();
  }
}

export async function runSchema(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { engine: { type: 'boolean', default: false }, db: { type: 'string' }, format: { type: 'string', default: 'json' } },
  });
  if (positionals.length !== 1 || (values.engine && values.db)) {
    io.stderr(`pgdba schema: ${USAGE}\n`);
    return 2;
  }
  if (values.format !== 'json' && values.format !== 'sql') {
    io.stderr(`pgdba schema: unknown --format "${values.format}" (use json or sql)\n`);
    return 2;
  }
  if (values.format === 'sql' && (values.engine || values.db)) {
    // A database already has its exact DDL printer; pgdba's SQL is the static catalog's.
    io.stderr('pgdba schema: --format sql prints the schema the migrations build (the static catalog); for a database use pg_dump --schema-only\n');
    return 2;
  }
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path)) {
    io.stderr(`pgdba schema: no such file or folder: ${positionals[0]}\n`);
    return 2;
  }
  try {
    if (values.format === 'sql') {
      io.stdout(await workspaceSchemaSql(statSync(path).isDirectory() ? path : dirname(path), io.cwd, io.stderr));
      return 0;
    }
    const source = values.db ? 'db' : values.engine ? 'engine' : 'static';
    const schema = await workspaceSchema({ path: statSync(path).isDirectory() ? path : dirname(path), source, db: values.db }, io.cwd, io.stderr);
    io.stdout(schemaJsonText(schema));
    return 0;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    io.stderr(`pgdba schema: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}\n`);
    return 1;
  }
}
