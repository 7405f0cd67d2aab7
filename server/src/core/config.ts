// One set of zod schemas for pgdba.json and the editor settings; loading reports each bad key with its position.
import { z } from 'zod';
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';

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

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    tenant: z
      .object({
        columns: z.array(z.string().min(1)).min(1).default(['tenant_id']).describe('Columns that mark a table as multi-tenant.'),
        checkMigrations: z.boolean().default(false).describe('Also check tenant filters in migration files (backfills often span tenants on purpose).'),
      })
      .strict()
      .default({ columns: ['tenant_id'], checkMigrations: false }),
    rules: z.record(z.string(), ruleLevelSchema).default({}).describe('Rule id → off | on | error | warning | info | hint.'),
    postgres: z
      .object({ version: z.number().int().min(10).max(19).default(15).describe('Target PostgreSQL major version.') })
      .strict()
      .default({ version: 15 }),
    migrations: z
      .object({
        transaction: z.enum(['auto', 'wrapped', 'none']).default('auto').describe('Whether the migration runner wraps each file in a transaction; auto detects it from the layout.'),
        robustness: z.boolean().default(false).describe('Opt in to robustness advice (IF EXISTS / IF NOT EXISTS).'),
      })
      .strict()
      .default({ transaction: 'auto', robustness: false }),
    unbounded: z
      .object({
        timeColumnTypes: z.array(z.string()).default(['timestamp', 'timestamptz', 'date']).describe('Column types that make a range-partitioned table time-partitioned.'),
        checkMigrationBackfills: z
          .boolean()
          .default(false)
          .describe('Also report UPDATE without WHERE in migration files (whole-table backfills are usually intended there; DELETE without WHERE is always reported).'),
      })
      .strict()
      .default({ timeColumnTypes: ['timestamp', 'timestamptz', 'date'], checkMigrationBackfills: false }),
    database: databaseSchema.optional(),
    exclude: z.array(z.string()).default([]).describe('Path prefixes (workspace-relative) to skip.'),
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
  const { value, problems } = parseKeyByKey(configSchema, input ?? {});
  return {
    config: value,
    problems: problems.map(({ path, message, unknownKey }) => {
      const where = tree ? locate(tree, path) : { start: 0, end: Math.min(text.length, 1) };
      const what = unknownKey ? `unknown key "${path.join('.')}"` : `${path.join('.') || 'config'}: ${message}`;
      return { message: `pgdba.json: ${what}; the default is used instead.`, path, ...where };
    }),
  };
}

/** Parses and validates a pgdba.json text (JSON with comments); `knownRules` lets rule ids under "rules" be checked. */
export function loadConfigText(text: string, knownRules?: ReadonlySet<string>): LoadedConfig {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ConfigProblem[] = errors.map((e) => ({
    message: `pgdba.json: ${printParseErrorCode(e.error)}`,
    start: e.offset,
    end: e.offset + Math.max(1, e.length),
    path: [],
  }));
  if (!tree || tree.type !== 'object') {
    if (!problems.length) problems.push({ message: 'pgdba.json: the file must hold one JSON object', start: 0, end: text.length, path: [] });
    return { config: defaultConfig(), problems };
  }
  const value = nodeValue(tree);
  const loaded = validateConfig(value, text, tree);
  if (knownRules) {
    for (const id of Object.keys(loaded.config.rules)) {
      if (knownRules.has(id)) continue;
      problems.push({ message: `pgdba.json: unknown rule "${id}" (see \`pgdba rules\`).`, path: ['rules', id], ...locate(tree, ['rules', id]) });
      delete loaded.config.rules[id];
    }
  }
  return { config: loaded.config, problems: [...problems, ...loaded.problems] };
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** Editor-only settings (VS Code `pgdba.*`); everything about the analysis itself lives in pgdba.json. */
export const editorSettingsSchema = z
  .object({
    trace: z
      .object({ server: z.enum(['off', 'messages', 'verbose']).default('off').describe('Traces the messages between VS Code and the pgdba language server (in the pgdba output channel).') })
      .strict()
      .default({ server: 'off' }),
    explain: z
      .object({
        // On by default: the plan preview is the extension's headline feature and plain EXPLAIN never changes data.
        hover: z.boolean().default(true).describe('Show a plan preview when hovering a statement (EXPLAIN without ANALYZE, on the dev database or embedded PGlite).'),
        hoverDelayMs: z.number().int().min(0).max(5000).default(300).describe('VS Code itself decides when a hover opens (editor.hover.delay). Then pgdba shows a plan it already has at once; a statement not planned yet is only sent to EXPLAIN after this many more milliseconds, and not at all if the hover closes first.'),
        planDiagnostics: z.boolean().default(false).describe('Report plan findings (sequential scans of large tables, misestimates, spills) as information diagnostics.'),
      })
      .strict()
      .default({ hover: true, hoverDelayMs: 300, planDiagnostics: false }),
    database: z
      .object({
        url: z.string().default('').describe('Dev database as a libpq URL (postgresql://user@localhost:5432/db). Empty: use pgdba.json, else the embedded PGlite engine. The password is never stored here: use "pgdba: Set database password", PGPASSWORD, .pgpass or pg_service.conf.'),
        allowedHosts: z.array(z.string()).default(['localhost', '127.0.0.1', '::1']).describe('Hosts pgdba may connect to; others are refused until you add them. In the editor this list also governs a database named in pgdba.json, whose own allowedHosts cannot widen it.'),
        statementTimeoutMs: z.number().int().min(100).max(600000).default(5000).describe('statement_timeout for every statement pgdba runs on a database.'),
      })
      .strict()
      .default({ url: '', allowedHosts: ['localhost', '127.0.0.1', '::1'], statementTimeoutMs: 5000 }),
  })
  .strict();

export type EditorSettings = z.infer<typeof editorSettingsSchema>;

export function defaultEditorSettings(): EditorSettings {
  return editorSettingsSchema.parse({});
}

/** The JSON Schema for pgdba.json (package.json jsonValidation points at the generated file). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input' });
}
