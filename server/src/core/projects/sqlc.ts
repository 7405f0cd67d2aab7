// sqlc configuration files (sqlc.yaml / sqlc.yml / sqlc.json, versions 1 and 2): which schema and query files belong together.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resolvePath } from './paths';

export const SQLC_FILES = ['sqlc.yaml', 'sqlc.yml', 'sqlc.json'];

// sqlc accepts one path or a list for `schema` and `queries` (internal/config: type Paths []string with a custom unmarshal).
const paths = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
// Only the keys we read are declared; sqlc's other keys (gen, codegen, rules, …) pass through unchecked.
const entry = z.object({ name: z.string().optional(), engine: z.string().optional(), schema: paths, queries: paths });
const sqlcSchema = z.union([z.object({ version: z.literal('2'), sql: z.array(entry) }), z.object({ version: z.literal('1'), packages: z.array(entry) })]);

export interface SqlcEntry {
  /** Folder of the sqlc file. */
  dir: string;
  file: string;
  name?: string;
  /** Workspace-relative paths (files or folders), as written, resolved against `dir`. */
  schema: string[];
  queries: string[];
}

export interface SqlcRead {
  entries: SqlcEntry[];
  /** Schema and query paths of entries for other engines (mysql, sqlite): never PostgreSQL's. */
  foreign: { engine: string; paths: string[] }[];
  problems: string[];
}

/** The PostgreSQL entries of one sqlc file; other engines (mysql, sqlite) are not ours. Never throws. */
export function readSqlc(file: string, text: string): SqlcRead {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  let raw: unknown;
  try {
    // YAML is a superset of JSON: sqlc.json parses the same way.
    raw = parseYaml(text);
  } catch (err) {
    return { entries: [], foreign: [], problems: [`${file}: not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`] };
  }
  const parsed = sqlcSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { entries: [], foreign: [], problems: [`${file}: ${issue.path.join('.') || 'file'}: ${issue.message}`] };
  }
  const list = 'sql' in parsed.data ? parsed.data.sql : parsed.data.packages;
  const problems: string[] = [];
  const resolveAll = (ps: string[]) =>
    ps.flatMap((p) => {
      const r = resolvePath(dir, p);
      if (r === undefined) problems.push(`${file}: "${p}" is outside the workspace`);
      return r === undefined ? [] : [r];
    });
  const entries = list
    // sqlc v1 defaults the engine to postgresql.
    .filter((e) => (e.engine ?? 'postgresql') === 'postgresql')
    .map((e) => ({ dir, file, name: e.name, schema: resolveAll(e.schema), queries: resolveAll(e.queries) }));
  const foreign = list
    .filter((e) => (e.engine ?? 'postgresql') !== 'postgresql')
    .map((e) => ({ engine: e.engine ?? '', paths: resolveAll([...e.schema, ...e.queries]) }));
  return { entries, foreign, problems };
}
