// One set of zod schemas for pgdba.json and the editor settings; loading reports each bad key with its position.
import { z } from 'zod';
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { blankDeepValues, MAX_CONFIG_DEPTH } from './config-depth';
import { parseConfigJson } from './config-json';

export const severitySchema = z.enum(['error', 'warning', 'info', 'hint']);
export type Severity = z.infer<typeof severitySchema>;
export const ruleLevelSchema = z.enum(['off', 'error', 'warning', 'info', 'hint', 'on']);

const databaseSchema = z
  .object({
    url: z.string().optional().describe('libpq connection URL (postgresql://user@host:port/db?sslmode=…); never put the password here.'),
    host: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().optional(),
    user: z.string().optional(),
    service: z.string().optional().describe('A pg_service.conf service name.'),
    sslmode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
    allowedHosts: z.array(z.string()).default(['localhost', '127.0.0.1', '::1']).describe('Hosts pgdba may connect to; others are refused until added.'),
    statementTimeoutMs: z.number().int().min(100).max(600000).default(5000).describe('statement_timeout for every statement pgdba runs.'),
  })
  .strict();

/** A workspace-relative folder or file path, compared without `./` and trailing slashes. */
export function normalizeProjectPath(p: string): string {
  return p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

const projectSchema = z
  .object({
    name: z.string().min(1).describe("The project's name (shown by `pgdba migrations`)."),
    migrations: z.string().optional().describe("The project's migrations folder, workspace-relative."),
    schema: z.array(z.string().min(1)).default([]).describe('Schema files (a schema dump, structure.sql, sqlc schema), applied after the migrations.'),
    queries: z.array(z.string().min(1)).default([]).describe("Glob patterns of the query files analysed against this project's schema."),
  })
  .strict();

const within = (inner: string, outer: string) => inner === outer || outer === '' || inner.startsWith(`${outer}/`);

/** Two projects must not share a name, a migrations folder (or one inside the other), a schema file or a query glob. */
function checkOverlaps(projects: z.infer<typeof projectSchema>[], ctx: z.RefinementCtx): void {
  const clash = (i: number, key: (string | number)[], message: string) =>
    // `dropParents`: the loader removes the whole project entry, not just the key (a project without its folder means something else).
    ctx.addIssue({ code: 'custom', path: [i, ...key], message, params: { dropParents: key.length } });
  projects.forEach((p, j) => {
    for (let i = 0; i < j; i++) {
      const q = projects[i];
      if (p.name === q.name) clash(j, ['name'], `the name "${p.name}" is already used by projects[${i}]`);
      const pm = p.migrations === undefined ? undefined : normalizeProjectPath(p.migrations);
      const qm = q.migrations === undefined ? undefined : normalizeProjectPath(q.migrations);
      if (pm !== undefined && qm !== undefined && (within(pm, qm) || within(qm, pm))) {
        clash(j, ['migrations'], `"${p.migrations}" overlaps the migrations of project "${q.name}" ("${q.migrations}")`);
      }
      p.schema.forEach((f, k) => {
        const n = normalizeProjectPath(f);
        if (q.schema.some((g) => normalizeProjectPath(g) === n) || (qm !== undefined && within(n, qm)))
          clash(j, ['schema', k], `"${f}" already belongs to project "${q.name}"`);
      });
      p.queries.forEach((g, k) => {
        if (q.queries.includes(g)) clash(j, ['queries', k], `the pattern "${g}" is already project "${q.name}"'s`);
      });
    }
  });
}

export type ProjectConfig = z.infer<typeof projectSchema>;

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    tenant: z
      .object({
        columns: z.array(z.string().min(1)).min(1).default(['tenant_id']).describe('Columns that mark a table as multi-tenant.'),
        checkMigrations: z.boolean().default(false).describe('Also check tenant filters in migration files (backfills often span tenants on purpose).'),
        currentTenant: z
          .array(z.string().min(1))
          .default([])
          .describe(
            "SQL expressions that mean the current tenant, e.g. current_setting('app.tenant_id')::uuid or auth.uid(). Matched by parse tree (casts, quoting, pg_catalog. and the (select …) wrapper aside): an RLS policy must compare the tenant column with one to exempt its table, and a SECURITY DEFINER body that pins the tenant to one applies the policy itself. The quick fixes insert the first one.",
          ),
      })
      .strict()
      .default({ columns: ['tenant_id'], checkMigrations: false, currentTenant: [] }),
    rules: z.record(z.string(), ruleLevelSchema).default({}).describe('Rule id → off | on | error | warning | info | hint.'),
    postgres: z
      .object({ version: z.number().int().min(10).max(19).default(15).describe('Target PostgreSQL major version.') })
      .strict()
      .default({ version: 15 }),
    migrations: z
      .object({
        transaction: z
          .enum(['auto', 'wrapped', 'none'])
          .default('auto')
          .describe('Whether the migration runner wraps each file in a transaction; auto detects it from the layout.'),
        robustness: z.boolean().default(false).describe('Opt in to robustness advice (IF EXISTS / IF NOT EXISTS).'),
      })
      .strict()
      .default({ transaction: 'auto', robustness: false }),
    unbounded: z
      .object({
        timeColumnTypes: z
          .array(z.string())
          .default(['timestamp', 'timestamptz', 'date'])
          .describe('Column types that make a range-partitioned table time-partitioned.'),
        checkMigrationBackfills: z
          .boolean()
          .default(false)
          .describe(
            'Also report UPDATE without WHERE in migration files (whole-table backfills are usually intended there; DELETE without WHERE is always reported).',
          ),
        // On by default: reading a lookup table whole is the normal way to use it, and reporting it is a false positive.
        detectReferenceTables: z
          .boolean()
          .default(true)
          .describe(
            'Treat small reference tables (no tenant column, filled by INSERT … VALUES in the workspace SQL, referenced by foreign keys) as fine to read whole.',
          ),
        referenceTables: z.array(z.string()).default([]).describe('Tables (name or schema.name) that are small by design and fine to read whole.'),
      })
      .strict()
      .default({ timeColumnTypes: ['timestamp', 'timestamptz', 'date'], checkMigrationBackfills: false, detectReferenceTables: true, referenceTables: [] }),
    database: databaseSchema.optional(),
    exclude: z.array(z.string()).default([]).describe('Path prefixes (workspace-relative) to skip.'),
    projects: z
      .array(projectSchema)
      .superRefine(checkOverlaps)
      .default([])
      .describe('The projects of a monorepo, each one migrations folder with its schema and query files (detected when absent).'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

export interface ConfigProblem {
  message: string;
  /** String offsets into the config text. */
  start: number;
  end: number;
  path: (string | number)[];
}

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
}

function locate(tree: JsonNode | undefined, path: (string | number)[]): { start: number; end: number } {
  for (let n = path.length; n >= 0 && tree; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) {
      // Point at the property key when there is one: that is what the user mistyped.
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      const target = n === path.length && key ? key : node;
      return { start: target.offset, end: target.offset + target.length };
    }
  }
  return { start: 0, end: 0 };
}

function laterFirst(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (b[i] as number) - (a[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return b.length - a.length;
}

function deleteAt(obj: unknown, path: (string | number)[]): boolean {
  if (path.length === 0) return false;
  let cur = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return false;
    cur = cur[k] as Record<string | number, unknown>;
  }
  if (!cur || typeof cur !== 'object') return false;
  const last = path[path.length - 1];
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else delete cur[last];
  return true;
}

/** One invalid or unknown key found by `parseKeyByKey`; `path` is where zod found it (an array element keeps its index). */
export interface KeyProblem {
  path: (string | number)[];
  message: string;
  unknownKey: boolean;
}

/** Removes the key at `path`; a bad list element removes the whole list, so that key falls back to its default. */
function removeKey(obj: unknown, issuePath: readonly PropertyKey[]): boolean {
  const firstIndex = issuePath.findIndex((k) => typeof k === 'number');
  const path = firstIndex >= 0 ? issuePath.slice(0, firstIndex) : issuePath;
  if (path.length === 0) return false;
  let cur = obj as Record<PropertyKey, unknown> | undefined;
  for (const k of path.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return false;
    cur = cur[k] as Record<PropertyKey, unknown>;
  }
  if (!cur || typeof cur !== 'object' || !(path[path.length - 1] in cur)) return false;
  return delete cur[path[path.length - 1]];
}

/**
 * Parses `input` with a zod object schema key by key, for pgdba.json and the editor settings alike: each invalid or
 * unknown key is reported and falls back to its default alone (a list with one bad element included); the rest applies.
 * Nothing is coerced.
 */
export function parseKeyByKey<T>(schema: z.ZodType<T>, input: unknown): { value: T; problems: KeyProblem[] } {
  const problems: KeyProblem[] = [];
  const work = input && typeof input === 'object' ? structuredClone(input) : {};
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = schema.safeParse(work);
    if (result.success) return { value: result.data, problems };
    let removed = false;
    for (const issue of result.error.issues) {
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of paths) {
        problems.push({ path: path as (string | number)[], message: issue.message, unknownKey: issue.code === 'unrecognized_keys' });
        removed = removeKey(work, path) || removed;
      }
    }
    if (!removed) break;
  }
  return { value: schema.parse({}), problems };
}

/**
 * Validates a config object. Each invalid key is reported and falls back to its default alone;
 * the rest of the file still applies.
 */
export function validateConfig(input: unknown, text = '', tree?: JsonNode): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const work = structuredClone(input ?? {});
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = configSchema.safeParse(work);
    if (result.success) return { config: result.data, problems };
    const drops: (string | number)[][] = [];
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      // A custom issue may name a larger part to drop than the key it points at (an overlapping project goes as a whole).
      const dropParents = issue.code === 'custom' && typeof issue.params?.dropParents === 'number' ? issue.params.dropParents : 0;
      for (const path of keys) {
        const p = path as (string | number)[];
        const where = tree ? locate(tree, p) : { start: 0, end: Math.min(text.length, 1) };
        const what = issue.code === 'unrecognized_keys' ? `unknown key "${p.join('.')}"` : `${p.join('.') || 'config'}: ${issue.message}`;
        const fallback = dropParents ? 'that entry is left out' : 'the default is used instead';
        problems.push({ message: `pgdba.json: ${what}; ${fallback}.`, path: p, ...where });
        // A bad list element resets the whole list to its default (never a list quietly missing one element);
        // a custom issue may drop just its entry (an overlapping project goes, the others stay).
        const firstIndex = p.findIndex((k) => typeof k === 'number');
        drops.push(dropParents ? p.slice(0, p.length - dropParents) : firstIndex >= 0 ? p.slice(0, firstIndex) : p);
      }
    }
    // Later array elements first, each once: removing one must not shift the index of another still to remove.
    const unique = [...new Map(drops.map((d) => [JSON.stringify(d), d])).values()].sort(laterFirst);
    let removed = false;
    for (const d of unique) removed = deleteAt(work, d) || removed;
    if (!removed) break;
  }
  return { config: defaultConfig(), problems };
}

/** Parses and validates a pgdba.json text (JSON with comments); `knownRules` lets rule ids under "rules" be checked. */
export function loadConfigText(source: string, knownRules?: ReadonlySet<string>): LoadedConfig {
  const { text, deep } = blankDeepValues(source);
  const tooDeep: ConfigProblem[] = deep.map((d) => ({
    message: `pgdba.json: ${d.key ? `"${d.key}"` : 'the file'} is nested too deeply to read (over ${MAX_CONFIG_DEPTH} levels); the default is used instead.`,
    start: d.start,
    end: d.end,
    path: d.key ? [d.key] : [],
  }));
  const { tree, problems } = parseConfigJson(text);
  if (!tree || tree.type !== 'object') {
    if (!problems.length && !tooDeep.length) problems.push({ message: 'pgdba.json: the file must hold one JSON object', start: 0, end: text.length, path: [] });
    return { config: defaultConfig(), problems: [...tooDeep, ...problems] };
  }
  const value = nodeValue(tree) as Record<string, unknown>;
  for (const d of deep) if (d.key) delete value[d.key];
  const loaded = validateConfig(value, text, tree);
  if (knownRules) {
    for (const id of Object.keys(loaded.config.rules)) {
      if (knownRules.has(id)) continue;
      problems.push({ message: `pgdba.json: unknown rule "${id}" (see \`pgdba rules\`).`, path: ['rules', id], ...locate(tree, ['rules', id]) });
      delete loaded.config.rules[id];
    }
  }
  return { config: loaded.config, problems: [...tooDeep, ...problems, ...loaded.problems] };
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        // `__proto__` would set the object's prototype and slip past .strict(); parseConfigJson reports it.
        if (k && v && k.value !== '__proto__') out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

export { defaultEditorSettings, editorSettingsSchema, type EditorSettings } from './editor-settings';

/** The JSON Schema for pgdba.json (package.json jsonValidation points at the generated file). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input' });
}
