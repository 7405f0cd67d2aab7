// The editor's own settings (VS Code `pgdba.*`), validated with zod like pgdba.json (core/config.ts re-exports them).
import { z } from 'zod';

/** Editor-only settings (VS Code `pgdba.*`); everything about the analysis itself lives in pgdba.json. */
export const editorSettingsSchema = z
  .object({
    trace: z
      .object({
        server: z
          .enum(['off', 'messages', 'verbose'])
          .default('off')
          .describe('Traces the messages between VS Code and the pgdba language server (in the pgdba output channel).'),
      })
      .strict()
      .default({ server: 'off' }),
    explain: z
      .object({
        // On by default: the plan preview is the extension's headline feature and plain EXPLAIN never changes data.
        hover: z
          .boolean()
          .default(true)
          .describe('Show a plan preview when hovering a statement (EXPLAIN without ANALYZE, on the dev database or embedded PGlite).'),
        hoverDelayMs: z
          .number()
          .int()
          .min(0)
          .max(5000)
          .default(300)
          .describe(
            'VS Code itself decides when a hover opens (editor.hover.delay). Then pgdba shows a plan it already has at once; a statement not planned yet is only sent to EXPLAIN after this many more milliseconds, and not at all if the hover closes first.',
          ),
        planDiagnostics: z
          .boolean()
          .default(false)
          .describe('Report plan findings (sequential scans of large tables, misestimates, spills) as information diagnostics.'),
      })
      .strict()
      .default({ hover: true, hoverDelayMs: 300, planDiagnostics: false }),
    diagnostics: z
      .object({
        scope: z
          .enum(['openFiles', 'workspace'])
          .default('workspace')
          .describe(
            'Which files the Problems panel shows pgdba findings for: every SQL file of the workspace (checked in the background, open files first), or only the open ones.',
          ),
      })
      .strict()
      .default({ scope: 'workspace' }),
    database: z
      .object({
        url: z
          .string()
          .default('')
          .describe(
            'Dev database as a libpq URL (postgresql://user@localhost:5432/db). Empty: use pgdba.json, else the embedded PGlite engine. The password is never stored here: use "pgdba: Set database password", PGPASSWORD, .pgpass or pg_service.conf.',
          ),
        allowedHosts: z
          .array(z.string())
          .default(['localhost', '127.0.0.1', '::1'])
          .describe(
            'Hosts pgdba may connect to; others are refused until you add them. In the editor this list also governs a database named in pgdba.json, whose own allowedHosts cannot widen it.',
          ),
        statementTimeoutMs: z.number().int().min(100).max(600000).default(5000).describe('statement_timeout for every statement pgdba runs on a database.'),
      })
      .strict()
      .default({ url: '', allowedHosts: ['localhost', '127.0.0.1', '::1'], statementTimeoutMs: 5000 }),
    queryStats: z
      .object({
        // On by default, like the plan hover: lenses appear only with a dev database that has pg_stat_statements, and reading it changes nothing.
        codeLens: z
          .boolean()
          .default(true)
          .describe(
            'Show pg_stat_statements figures (calls, mean time, share of DB time) in a code lens above each statement the dev database has run. Needs a dev database (pgdba.database.url or pgdba.json) with pg_stat_statements.',
          ),
        refreshIntervalSeconds: z
          .number()
          .int()
          .min(0)
          .max(86400)
          .default(300)
          .describe('Read pg_stat_statements again this often (seconds) while VS Code is open; 0 refreshes only on "pgdba: Refresh query statistics".'),
        limit: z.number().int().min(1).max(1000).default(50).describe('How many statements the "pgdba: Top queries" view lists (by total execution time).'),
      })
      .strict()
      .default({ codeLens: true, refreshIntervalSeconds: 300, limit: 50 }),
  })
  .strict();

export type EditorSettings = z.infer<typeof editorSettingsSchema>;

export function defaultEditorSettings(): EditorSettings {
  return editorSettingsSchema.parse({});
}
