// The EXPLAIN procedure both engines share: read-only transaction, statement_timeout, rolled-back ANALYZE, and plans for $n statements.
import { sqlcToPositional } from '../core/explain/sqlc';
import { isExplainable, paramCount } from '../core/explain/statement';
import { initParser, parseSql } from '../core/parse/parse';
import { sequenceChanges, sequenceSnapshot, sideEffectsOfStatement } from './analyze-guard';
import { EngineError, toEngineError, type ErrorContext } from './errors';
import type { EngineKind, ExplainOptions, ExplainOutcome } from './types';

/** One database session; requests on it run in order, so a transaction can span several of them. */
export interface Session {
  /** One statement over the extended protocol (so a second statement hidden in the text is refused by the server). */
  run(sql: string, params?: unknown[], timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /**
   * One statement over the simple protocol, for text with $n placeholders that are not bind parameters (GENERIC_PLAN,
   * PREPARE): the extended protocol would count them as parameters of the EXPLAIN itself.
   */
  simple(sql: string, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** Ends the open transaction, if the session still has one. */
  rollback(): Promise<void>;
}

export interface RunnerContext {
  kind: EngineKind;
  serverVersion: number;
  statementTimeoutMs: number;
  errors: ErrorContext;
}

let preparedCounter = 0;

/** Checks the statement with the parser; a text the parser rejects is sent anyway so the server reports the error and its position. */
async function inspect(sql: string): Promise<number> {
  await initParser();
  const parsed = parseSql(sql);
  if (parsed.errors.length > 0) return 0;
  if (parsed.statements.length === 0) throw new EngineError('other', 'There is no statement to explain.');
  if (parsed.statements.length > 1) {
    throw new EngineError('other', `EXPLAIN plans one statement at a time; this text has ${parsed.statements.length}.`);
  }
  const stmt = parsed.statements[0];
  if (!isExplainable(stmt.kind)) {
    throw new EngineError(
      'other',
      `EXPLAIN cannot plan a ${stmt.kind.replace(/Stmt$/, '')} statement; it plans SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, EXECUTE and CREATE TABLE AS.`,
    );
  }
  return paramCount(stmt.node);
}

function planJson(rows: Record<string, unknown>[]): unknown {
  const cell = rows[0]?.['QUERY PLAN'];
  if (cell === undefined) throw new EngineError('other', 'EXPLAIN returned no plan.');
  return typeof cell === 'string' ? JSON.parse(cell) : cell;
}

async function inTransaction<T>(session: Session, begin: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  await session.run(begin);
  try {
    await session.run(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
    return await body();
  } finally {
    await session.rollback().catch(() => undefined);
  }
}

export async function explainOnSession(session: Session, written: string, opts: ExplainOptions, ctx: RunnerContext): Promise<ExplainOutcome> {
  const started = Date.now();
  // sqlc's named parameters (sqlc.arg(x), @x) are $n to PostgreSQL.
  const sql = sqlcToPositional(written).sql;
  const timeoutMs = opts.timeoutMs ?? ctx.statementTimeoutMs;
  const params = opts.params ?? [];
  const wanted = await inspect(sql);
  const fail = (err: unknown, prefix: string) => toEngineError(err, { ...ctx.errors, prefixLength: prefix.length, sqlLength: sql.length, timeoutMs });
  const explainWith = async (prefix: string, values?: unknown[]) => {
    try {
      // Only reached with placeholders and no values once the parser has confirmed a single statement.
      const rows = values ? await session.run(prefix + sql, values, timeoutMs) : await session.simple(prefix + sql, timeoutMs);
      return planJson(rows);
    } catch (err) {
      throw fail(err, prefix);
    }
  };
  const done = (json: unknown, generic: ExplainOutcome['generic']): ExplainOutcome => ({
    json,
    analyzed: !!opts.analyze,
    generic,
    engine: ctx.kind,
    serverVersion: ctx.serverVersion,
    elapsedMs: Date.now() - started,
  });

  if (opts.analyze) {
    if (wanted > params.length) {
      throw new EngineError('other', `EXPLAIN ANALYZE needs values for $1…$${wanted}; without them only a generic plan can be shown.`);
    }
    // Every ANALYZE runs inside BEGIN … ROLLBACK, whatever the statement: the caller may not know it writes (triggers, CTEs, functions).
    return inTransaction(session, 'BEGIN', timeoutMs, async () => {
      const effects = await sideEffectsOfStatement(session, sql);
      if (effects.length) {
        const list = effects.map((e) => `${e.name}() ${e.why}`).join('; ');
        throw new EngineError('side-effects', `EXPLAIN ANALYZE refused: the statement would run ${list}, which ROLLBACK does not undo.`, {
          hint: 'plain EXPLAIN (without ANALYZE) shows its plan without running it',
        });
      }
      // Sequences advance outside the transaction (nextval in an INSERT's default, in a function): measure them.
      const before = await sequenceSnapshot(session).catch(() => undefined);
      const json = await explainWith('EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ', params);
      const after = before && (await sequenceSnapshot(session).catch(() => undefined));
      const afterRollback = before && after ? { verified: true, changes: sequenceChanges(before, after) } : { verified: false, changes: [] };
      return { ...done(json, 'none'), afterRollback };
    });
  }
  if (wanted === 0 || params.length >= wanted) {
    return inTransaction(session, 'BEGIN READ ONLY', timeoutMs, async () => done(await explainWith('EXPLAIN (FORMAT JSON) ', params), 'none'));
  }
  if (ctx.serverVersion >= 160000) {
    // PG 16+: EXPLAIN (GENERIC_PLAN) plans a statement with $n placeholders without values.
    return inTransaction(session, 'BEGIN READ ONLY', timeoutMs, async () => done(await explainWith('EXPLAIN (GENERIC_PLAN, FORMAT JSON) '), 'generic-plan'));
  }
  // Older servers: PREPARE with unknown parameter types, then EXPLAIN EXECUTE with NULLs under force_generic_plan, so the
  // NULLs are never folded into the plan (PG 12+ has plan_cache_mode).
  const name = `pgdba_explain_${++preparedCounter}`;
  const prefix = `PREPARE ${name} AS `;
  try {
    return await inTransaction(session, 'BEGIN READ ONLY', timeoutMs, async () => {
      if (ctx.serverVersion >= 120000) await session.run('SET LOCAL plan_cache_mode = force_generic_plan');
      try {
        await session.simple(prefix + sql, timeoutMs);
      } catch (err) {
        const e = fail(err, prefix);
        if (e.sqlstate === '42P18') {
          throw new EngineError('other', `${e.message}. Add a cast such as $1::bigint so PostgreSQL can plan the statement.`, {
            position: e.position,
            sqlstate: e.sqlstate,
            cause: e,
          });
        }
        throw e;
      }
      const nulls = Array.from({ length: wanted }, () => 'NULL').join(', ');
      const rows = await session.run(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${nulls})`, [], timeoutMs).catch((err) => {
        throw toEngineError(err, { ...ctx.errors, timeoutMs, dropPosition: true });
      });
      return done(planJson(rows), 'prepared');
    });
  } finally {
    // Prepared statements are not transactional: ROLLBACK keeps them, so drop ours explicitly.
    await session.run(`DEALLOCATE ${name}`).catch(() => undefined);
  }
}
