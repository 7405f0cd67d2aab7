// `pgdba top <path> --db URL`: the slowest statements of pg_stat_statements, each mapped to its file:line in the workspace.
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { indexWorkspace, type ParsedFiles } from '../../core/observe/fingerprints';
import { mapQueries, orderRows, type OrderBy } from '../../core/observe/map';
import { statsFindings } from '../../core/observe/findings';
import { findingsJson, findingsText, queryJson, topText, type FindingJson } from '../../core/observe/report';
import type { MappedQuery, Observation } from '../../core/observe/types';
import { initParser } from '../../core/parse/parse';
import { Workspace } from '../../core/workspace/workspace';
import { connectPg, EngineError, fetchObservation, type Engine } from '../../engine';
import { ConfigFiles } from '../../node/config-files';
import { nodeWorkspaceFiles } from '../../node/workspace-files';

export interface TopIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

const USAGE = 'usage: pgdba top <path> --db URL [--order total|mean|calls] [--limit N] [--format text|json]';
const ORDERS: readonly string[] = ['total', 'mean', 'calls'];

/** The SQL files under a folder (or the one file given), parsed: what statements are mapped against. */
export function workspaceFor(path: string): { root: string; files: ParsedFiles } {
  const configs = new ConfigFiles();
  const isDir = statSync(path).isDirectory();
  const root = isDir ? path : dirname(path);
  const workspace = new Workspace({ files: nodeWorkspaceFiles(root), configFor: (rel) => configs.forPath(join(root, rel)).config });
  const only = isDir ? undefined : relative(root, path).split(sep).join('/');
  return {
    root,
    files: { sqlFiles: () => (only ? [only] : workspace.sqlFiles()), parsed: (p) => workspace.parsed(p), fileParts: (p) => workspace.fileParts(p) },
  };
}

export interface TopResult {
  observation: Observation;
  queries: MappedQuery[];
  /** Indexes never scanned, tables read by sequential scans, dead tuples: on the workspace's CREATE statements. */
  findings: FindingJson[];
  /** Turns a workspace-relative path into one relative to the path the user gave (posix separators). */
  rel(file: string): string;
}

/** The workspace at `path` and a connection to `db` (through the host allow-list and pgdba.json's statement_timeout). */
export async function connectTop(path: string, db: string): Promise<{ engine: Engine; files: ParsedFiles; rel(file: string): string }> {
  await initParser();
  const { root, files } = workspaceFor(path);
  const config = new ConfigFiles().forPath(join(root, 'pgdba.json')).config.database;
  const engine = await connectPg({ url: db, allowedHosts: config?.allowedHosts, statementTimeoutMs: config?.statementTimeoutMs });
  const base = statSync(path).isDirectory() ? path : root;
  return { engine, files, rel: (file) => relative(base, join(root, file)).split(sep).join('/') };
}

/** Reads the statistics and maps the top `limit` statements. */
export async function readTop(
  engine: Engine,
  files: ParsedFiles,
  order: OrderBy,
  limit: number,
): Promise<{ observation: Observation; queries: MappedQuery[] }> {
  const serverVersion = await engine.serverVersion();
  const observation = await fetchObservation(engine, `${engine.label} (PostgreSQL ${Math.floor(serverVersion / 10000)})`);
  const top = orderRows(observation.queries, order).slice(0, limit);
  return { observation, queries: mapQueries(top, indexWorkspace(files), observation.totalMs) };
}

/** Connects, reads the statistics and maps the top `limit` statements; closes the connection. */
export async function collectTop(opts: { path: string; db: string; order: OrderBy; limit: number }): Promise<TopResult> {
  const { engine, files, rel } = await connectTop(opts.path, opts.db);
  try {
    const top = await readTop(engine, files, opts.order, opts.limit);
    return { ...top, findings: findingsJson(statsFindings(top.observation, files), files, rel), rel };
  } finally {
    await engine.close();
  }
}

export async function runTop(argv: string[], io: TopIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      order: { type: 'string', default: 'total' },
      limit: { type: 'string', default: '20' },
      format: { type: 'string', default: 'text' },
    },
  });
  const limit = Number(values.limit);
  const problem =
    positionals.length !== 1
      ? 'name one workspace folder or file'
      : !values.db
        ? '--db URL is required (query statistics come from a real database)'
        : !ORDERS.includes(values.order ?? '')
          ? `unknown --order "${values.order}" (use total, mean or calls)`
          : !Number.isInteger(limit) || limit < 1
            ? `--limit must be a positive whole number, not "${values.limit}"`
            : values.format !== 'text' && values.format !== 'json'
              ? `unknown --format "${values.format}" (use text or json)`
              : undefined;
  if (problem) {
    io.stderr(`pgdba top: ${problem}\n${USAGE}\n`);
    return 2;
  }
  const path = resolve(io.cwd, positionals[0]);
  try {
    statSync(path);
  } catch (err) {
    io.stderr(`pgdba top: cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 2;
  }
  try {
    const r = await collectTop({ path, db: values.db as string, order: values.order as OrderBy, limit });
    if (values.format === 'json') {
      const { source, totalMs, notes, tables, indexes } = r.observation;
      io.stdout(
        JSON.stringify(
          { queries: r.queries.map((q) => queryJson(q, r.rel)), source, total_ms: totalMs, notes, findings: r.findings, tables, indexes },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(topText(r.observation, r.queries, r.rel) + findingsText(r.findings));
    }
    return 0;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    io.stderr(`pgdba top: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}\n`);
    return 1;
  }
}
