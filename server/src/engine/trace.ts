// Lock tracing: runs a migration's statements in one transaction (always rolled back), reading pg_locks and
// relfilenodes after each statement to report which locks it took and which tables or indexes it rewrote.
import { EngineError } from './errors';
import type { Engine } from './types';

export interface TracedLock {
  relation: string;
  mode: string;
  /** What the mode blocks, in words (reads, writes, DDL). */
  blocks: string;
}

export interface TracedStatement {
  index: number;
  /** String offsets of the statement in its file. */
  start: number;
  end: number;
  status: 'ok' | 'error' | 'skipped';
  /** Locks this statement took that the transaction did not already hold (or held in a weaker mode). */
  locks: TracedLock[];
  /** Relations whose storage (relfilenode) changed: a table or index rewrite. */
  rewritten: string[];
  note?: string;
  error?: { message: string; code: string };
  ms: number;
}

export interface TraceInput {
  index: number;
  start: number;
  end: number;
  text: string;
  kind: string;
  /** CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY… cannot run inside a transaction block. */
  concurrent?: boolean;
}

// PostgreSQL 15 docs, "Explicit Locking" (13.3.1): conflict table, weakest to strongest.
const MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];
const BLOCKS: Record<string, string> = {
  AccessShareLock: 'only ACCESS EXCLUSIVE (DDL that rewrites or drops)',
  RowShareLock: 'EXCLUSIVE and ACCESS EXCLUSIVE',
  RowExclusiveLock: 'SHARE locks and stronger (CREATE INDEX, most DDL)',
  ShareUpdateExclusiveLock: 'VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY and DDL; not reads or writes',
  ShareLock: 'writes (INSERT, UPDATE, DELETE) and DDL; reads go on',
  ShareRowExclusiveLock: 'writes and DDL; reads go on',
  ExclusiveLock: 'writes and DDL; only plain reads go on',
  AccessExclusiveLock: 'everything: reads, writes and DDL',
};

export function lockModeName(mode: string): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

export function lockBlocks(mode: string): string {
  return BLOCKS[mode] ?? 'other lock modes';
}

const rank = (mode: string) => MODES.indexOf(mode);

const USER_RELATIONS = `
  SELECT c.oid::regclass::text AS name, c.relfilenode::text AS node
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'i', 'm', 'p', 'I') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

// The locks of this backend on user relations (the tracing queries' own catalog locks are filtered out).
const OWN_LOCKS = `
  SELECT c.oid::regclass::text AS relation, l.mode
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;

async function relfilenodes(engine: Engine): Promise<Map<string, string>> {
  const r = await engine.query<{ name: string; node: string }>(USER_RELATIONS);
  return new Map(r.rows.map((row) => [row.name, row.node]));
}

async function heldLocks(engine: Engine): Promise<Map<string, string>> {
  const r = await engine.query<{ relation: string; mode: string }>(OWN_LOCKS);
  const out = new Map<string, string>();
  for (const { relation, mode } of r.rows) {
    const prev = out.get(relation);
    if (!prev || rank(mode) > rank(prev)) out.set(relation, mode);
  }
  return out;
}

function errorOf(e: unknown): { message: string; code: string } {
  if (e instanceof EngineError) return { message: e.message, code: e.code };
  return { message: e instanceof Error ? e.message : String(e), code: 'other' };
}

/**
 * Traces statements inside one transaction that is always rolled back. A failing statement is rolled back to a
 * savepoint so the ones after it are still traced; transaction control and CONCURRENTLY statements are skipped.
 */
export async function traceStatements(engine: Engine, statements: TraceInput[]): Promise<TracedStatement[]> {
  const out: TracedStatement[] = [];
  await engine.exec('BEGIN');
  try {
    let held = await heldLocks(engine);
    for (const s of statements) {
      const base = { index: s.index, start: s.start, end: s.end, locks: [] as TracedLock[], rewritten: [] as string[], ms: 0 };
      if (s.kind === 'TransactionStmt') {
        out.push({ ...base, status: 'skipped', note: 'transaction control: the trace runs the whole migration in one transaction and rolls it back' });
        continue;
      }
      if (s.concurrent) {
        out.push({
          ...base,
          status: 'skipped',
          note: 'CONCURRENTLY cannot run inside a transaction block; it takes SHARE UPDATE EXCLUSIVE and does not block reads or writes',
        });
        continue;
      }
      const before = await relfilenodes(engine);
      await engine.exec('SAVEPOINT pgdba_trace');
      const t0 = performance.now();
      try {
        await engine.exec(s.text);
      } catch (e) {
        await engine.exec('ROLLBACK TO SAVEPOINT pgdba_trace');
        out.push({ ...base, status: 'error', error: errorOf(e), ms: performance.now() - t0 });
        continue;
      }
      const ms = performance.now() - t0;
      await engine.exec('RELEASE SAVEPOINT pgdba_trace');
      const now = await heldLocks(engine);
      const locks: TracedLock[] = [];
      for (const [relation, mode] of now) {
        const prev = held.get(relation);
        if (!prev || rank(mode) > rank(prev)) locks.push({ relation, mode, blocks: lockBlocks(mode) });
      }
      held = now;
      const after = await relfilenodes(engine);
      const rewritten = [...before].filter(([name, node]) => after.has(name) && after.get(name) !== node).map(([name]) => name);
      locks.sort((a, b) => rank(b.mode) - rank(a.mode) || a.relation.localeCompare(b.relation));
      out.push({ ...base, status: 'ok', locks, rewritten: rewritten.sort(), ms });
    }
  } finally {
    await engine.exec('ROLLBACK').catch(() => undefined);
  }
  return out;
}
