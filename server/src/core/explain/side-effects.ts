// Functions whose effects survive ROLLBACK, so EXPLAIN ANALYZE (which runs the statement, then rolls back) must not run
// a statement calling them: the documented list, and the calls found through the AST of a statement or a routine body.
// Sequences are not on the list: nextval() is measured instead (the sequence snapshot before and after ANALYZE).
import { as, str, walk } from '../parse/ast';
import { parseSql } from '../parse/parse';
import { plpgsqlStatements } from '../parse/plpgsql-queries';

/** Why a function's effect is not undone by ROLLBACK; looked up by exact name, then by prefix. */
export const SIDE_EFFECTING_FUNCTIONS: Readonly<Record<string, string>> = {
  pg_terminate_backend: 'terminates another session',
  pg_cancel_backend: "cancels another session's query",
  pg_signal_backend: 'signals another session',
  pg_reload_conf: 'reloads the server configuration',
  pg_rotate_logfile: 'rotates the server log',
  pg_rotate_logfile_old: 'rotates the server log',
  pg_log_backend_memory_contexts: "writes another session's memory contexts to the server log",
  pg_notify: 'sends a notification',
  setval: 'sets a sequence (sequences are not rolled back)',
  pg_file_write: 'writes a file on the server',
  pg_file_rename: 'renames a file on the server',
  pg_file_unlink: 'deletes a file on the server',
  pg_file_sync: 'syncs a file on the server',
  pg_switch_wal: 'switches the WAL file',
  pg_create_restore_point: 'writes a WAL restore point',
  pg_backup_start: 'starts a backup',
  pg_backup_stop: 'stops a backup',
  pg_start_backup: 'starts a backup',
  pg_stop_backup: 'stops a backup',
  pg_promote: 'promotes a standby',
  pg_wal_replay_pause: 'pauses WAL replay',
  pg_wal_replay_resume: 'resumes WAL replay',
  pg_create_physical_replication_slot: 'creates a replication slot',
  pg_create_logical_replication_slot: 'creates a replication slot',
  pg_drop_replication_slot: 'drops a replication slot',
  pg_copy_physical_replication_slot: 'creates a replication slot',
  pg_copy_logical_replication_slot: 'creates a replication slot',
  pg_replication_slot_advance: 'advances a replication slot',
  pg_logical_emit_message: 'writes a message to the WAL',
  pg_stat_statements_reset: 'resets statistics',
  pg_background_launch: 'runs SQL in a background worker that commits on its own',
  http: 'sends an HTTP request',
};

/** Families, by name prefix (dblink_exec, lo_export, pg_advisory_lock_shared, pg_stat_reset_shared, http_post…). */
export const SIDE_EFFECTING_PREFIXES: Readonly<Record<string, string>> = {
  dblink: 'runs SQL in another session, which commits on its own',
  lo_: 'works on large objects (lo_import/lo_export read and write server files)',
  pg_advisory: 'takes an advisory lock (session-level locks outlive the rollback)',
  pg_try_advisory: 'takes an advisory lock (session-level locks outlive the rollback)',
  pg_stat_reset: 'resets statistics',
  pg_replication_origin_: 'changes replication origins',
  http_: 'sends an HTTP request',
};

export interface SideEffect {
  /** The function called (or `COPY … PROGRAM`). */
  name: string;
  why: string;
}

/** Why a call to `name` is not undone by ROLLBACK, or undefined when it is. */
export function sideEffectOf(name: string): string | undefined {
  const n = name.toLowerCase();
  if (SIDE_EFFECTING_FUNCTIONS[n]) return SIDE_EFFECTING_FUNCTIONS[n];
  for (const [prefix, why] of Object.entries(SIDE_EFFECTING_PREFIXES)) if (n.startsWith(prefix)) return why;
  return undefined;
}

/** Every function called in an AST (unqualified names, lowercased as PostgreSQL folds them), and COPY … PROGRAM. */
export function calledFunctions(node: unknown): { names: Set<string>; copyProgram: boolean } {
  const names = new Set<string>();
  let copyProgram = false;
  walk(node, (kind, value) => {
    if (kind === 'FuncCall') {
      const parts = ((value.funcname as unknown[]) ?? []).map((p) => str(p) ?? '');
      const name = parts[parts.length - 1];
      if (name) names.add(name.toLowerCase());
    }
    if (kind === 'CopyStmt' && value.is_program) copyProgram = true;
    return undefined;
  });
  return { names, copyProgram };
}

/** The side-effecting calls among `calls`, in name order. */
export function sideEffectsOf(calls: { names: Set<string>; copyProgram: boolean }): SideEffect[] {
  const out: SideEffect[] = [];
  if (calls.copyProgram) out.push({ name: 'COPY … PROGRAM', why: 'runs a program on the server' });
  for (const name of [...calls.names].sort()) {
    const why = sideEffectOf(name);
    if (why) out.push({ name, why });
  }
  return out;
}

/**
 * The functions a routine's body calls, from its full definition (pg_get_functiondef): SQL bodies through the SQL
 * parser (a string body parsed in turn), PL/pgSQL through libpg-query's PL/pgSQL parser. Other languages: nothing known.
 */
export function routineCalls(definition: string, language: string): { names: Set<string>; copyProgram: boolean } {
  const merged = { names: new Set<string>(), copyProgram: false };
  const add = (node: unknown) => {
    const c = calledFunctions(node);
    for (const n of c.names) merged.names.add(n);
    merged.copyProgram ||= c.copyProgram;
  };
  const parsed = parseSql(definition);
  for (const s of parsed.statements) {
    const fn = as<{ sql_body?: unknown; options?: unknown[] }>(s.node, 'CreateFunctionStmt');
    if (!fn) continue;
    if (fn.sql_body) add(fn.sql_body);
    if (language !== 'sql') continue;
    for (const o of fn.options ?? []) {
      const d = as<{ defname?: string; arg?: unknown }>(o, 'DefElem');
      if (d?.defname !== 'as') continue;
      const body = (as<{ items?: unknown[] }>(d.arg, 'List')?.items ?? []).map((i) => str(i) ?? '')[0];
      if (body) for (const b of parseSql(body).statements) add(b.node);
    }
  }
  // A body that does not compile here has unknown calls (the sequence snapshot still reports what changed).
  if (language === 'plpgsql') for (const s of plpgsqlStatements(definition) ?? []) add(s.node);
  return merged;
}
