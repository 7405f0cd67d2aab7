// What EXPLAIN ANALYZE leaves behind after its ROLLBACK: calls to side-effecting functions (refused before running, also
// when they sit in the bodies of the SQL and PL/pgSQL functions the statement calls) and sequences it advanced (measured).
import { calledFunctions, routineCalls, sideEffectsOf, type SideEffect } from '../core/explain/side-effects';
import { parseSql } from '../core/parse/parse';
import type { Session } from './explain-runner';

/** How deep into function bodies to look, and how many routines at most: enough for real call chains, bounded cost. */
const MAX_DEPTH = 3;
const MAX_ROUTINES = 50;

/**
 * The side-effecting calls `sql` would make: in the statement itself, then in the bodies of the user functions it calls
 * (and the ones those call), read with pg_get_functiondef. Each effect from a body names the function that makes it.
 */
export async function sideEffectsOfStatement(session: Session, sql: string): Promise<SideEffect[]> {
  const stmt = parseSql(sql).statements[0];
  if (!stmt) return [];
  const top = calledFunctions(stmt.node);
  const effects = sideEffectsOf(top);
  const seen = new Set<string>();
  let frontier = [...top.names].map((name) => ({ name, via: [] as string[] }));
  for (let depth = 0; depth < MAX_DEPTH && frontier.length && seen.size < MAX_ROUTINES; depth++) {
    const names = [...new Set(frontier.map((f) => f.name))].filter((n) => !seen.has(n));
    if (!names.length) break;
    for (const n of names) seen.add(n);
    const rows = await session.run(
      `SELECT p.proname AS name, format('%I.%I', n.nspname, p.proname) AS qualified, l.lanname AS language, pg_get_functiondef(p.oid) AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
       WHERE p.proname = ANY($1) AND p.prokind IN ('f', 'p') AND l.lanname IN ('sql', 'plpgsql')
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') LIMIT ${MAX_ROUTINES}`,
      [names],
    );
    const next: typeof frontier = [];
    for (const r of rows) {
      const via = [...(frontier.find((f) => f.name === r.name)?.via ?? []), String(r.qualified)];
      const calls = routineCalls(String(r.def), String(r.language));
      for (const e of sideEffectsOf(calls)) effects.push({ name: e.name, why: `${e.why}; called by ${via.join(' → ')}` });
      for (const name of calls.names) if (!seen.has(name)) next.push({ name, via });
    }
    frontier = next;
  }
  return effects;
}

/** Every sequence's last value (null: never used, or not readable by this role). */
export async function sequenceSnapshot(session: Session): Promise<Map<string, string | null>> {
  const rows = await session.run("SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS last FROM pg_sequences");
  return new Map(rows.map((r) => [String(r.name), r.last === null || r.last === undefined ? null : String(r.last)]));
}

/** "sequence public.orders_id_seq advanced from 10 to 11", for each sequence whose value differs. */
export function sequenceChanges(before: Map<string, string | null>, after: Map<string, string | null>): string[] {
  const out: string[] = [];
  for (const [name, now] of after) {
    const was = before.get(name) ?? null;
    if (now !== was) out.push(`sequence ${name} advanced from ${was ?? 'its start (never used)'} to ${now ?? 'unset'}`);
  }
  return out.sort();
}
