// The observability gate answered from the dev database's settings: query statistics, slow-query capture, plan logging, I/O timing.
import type { Observation } from './types';

export interface ChecklistItem {
  id: string;
  text: string;
  done: boolean;
  /** The setting values that decided it, or what to change. */
  evidence: string;
}

const preloaded = (settings: Record<string, string>, lib: string) =>
  ['shared_preload_libraries', 'session_preload_libraries'].some((k) => (settings[k] ?? '').split(',').some((x) => x.trim().replace(/^"|"$/g, '') === lib));

const shown = (settings: Record<string, string>, name: string) => `${name} = ${settings[name] ?? '(not set)'}`;

/** Off or unset (-1) means nothing is logged. */
const logsSlow = (v: string | undefined) => v !== undefined && v !== '-1';

/**
 * The items, each decided by settings (https://www.postgresql.org/docs/15/runtime-config-logging.html,
 * https://www.postgresql.org/docs/15/auto-explain.html). `observation` is undefined when pg_stat_statements could not be read.
 */
export function observabilityChecklist(settings: Record<string, string>, observation: Observation | undefined): ChecklistItem[] {
  const pss = preloaded(settings, 'pg_stat_statements');
  const queryId = settings.compute_query_id;
  const autoExplain = preloaded(settings, 'auto_explain');
  const items: ChecklistItem[] = [
    {
      id: 'stats',
      text: 'Query statistics exposed: pg_stat_statements loaded and created in the database.',
      done: pss && observation !== undefined,
      evidence: observation
        ? `${shown(settings, 'shared_preload_libraries')}; ${observation.queries.length} statements recorded`
        : `${shown(settings, 'shared_preload_libraries')}; add pg_stat_statements there, restart, then CREATE EXTENSION pg_stat_statements;`,
    },
    {
      id: 'query-id',
      text: 'Query identifiers computed (compute_query_id on or auto), so statistics and logs name the same statement.',
      // Before PG 14 there is no such setting: pg_stat_statements computes its own queryid.
      done: queryId === undefined ? pss : queryId === 'on' || (queryId === 'auto' && pss),
      evidence: queryId === undefined ? 'compute_query_id does not exist before PostgreSQL 14' : shown(settings, 'compute_query_id'),
    },
    {
      id: 'slow-log',
      text: 'Slow-query capture enabled: log_min_duration_statement set.',
      done: logsSlow(settings.log_min_duration_statement),
      evidence: logsSlow(settings.log_min_duration_statement)
        ? shown(settings, 'log_min_duration_statement')
        : `${shown(settings, 'log_min_duration_statement')}; set it (e.g. 500ms) to log slow statements`,
    },
    {
      id: 'auto-explain',
      text: 'Plans of slow queries logged: auto_explain loaded with auto_explain.log_min_duration set.',
      done: autoExplain && logsSlow(settings['auto_explain.log_min_duration']),
      evidence: autoExplain
        ? `${shown(settings, 'auto_explain.log_min_duration')}; ${shown(settings, 'auto_explain.log_analyze')}`
        : 'auto_explain is not in shared_preload_libraries or session_preload_libraries',
    },
    {
      id: 'io-timing',
      text: 'I/O timing tracked (track_io_timing on), so statistics separate reading from computing.',
      done: settings.track_io_timing === 'on',
      evidence: shown(settings, 'track_io_timing'),
    },
    {
      id: 'baseline',
      text: 'pg_stat_statements baseline of the key queries taken (top-N snapshot in this folder).',
      done: observation !== undefined,
      evidence: observation
        ? `${observation.queries.length} statements, snapshot in top-queries.json and top-queries.md`
        : 'no snapshot: pg_stat_statements could not be read',
    },
  ];
  return items;
}

export function checklistMarkdown(items: readonly ChecklistItem[], source: string): string {
  const lines = ['# Observability gate', '', `Answered from the settings of ${source}.`, ''];
  for (const i of items) lines.push(`- [${i.done ? 'x' : ' '}] ${i.text} — ${i.evidence}`);
  return lines.join('\n') + '\n';
}
