// Runs a migration script on an engine the way a migration tool would: in one transaction when it can be, statement by
// statement when something in it refuses to run inside one (CREATE INDEX CONCURRENTLY…), with errors mapped to their line.
import type { Engine } from '../engine/types';
import { as, unwrap } from '../core/parse/ast';
import { parseSql, type Statement } from '../core/parse/parse';

export interface ScriptFailure {
  message: string;
  /** 1-based line and column in the script's file. */
  line?: number;
  column?: number;
  /** The engine stopped the statement on its timeout (PGlite then restarts empty: the rehearsal cannot go on). */
  timeout?: boolean;
}

export type ScriptResult =
  /** `open`: the script ran inside BEGIN and the transaction is still open (the caller commits or rolls back). */
  { ok: true; open: boolean; statements: number } | { ok: false; failure: ScriptFailure };

/** Statements PostgreSQL refuses inside a transaction block. */
export function needsAutocommit(stmt: Statement): boolean {
  const u = unwrap(stmt.node);
  if (!u) return false;
  const v = u.value;
  switch (u.kind) {
    case 'IndexStmt':
    case 'DropStmt':
      return v.concurrent === true;
    case 'ReindexStmt':
      return JSON.stringify(v.params ?? []).includes('"concurrently"');
    case 'VacuumStmt':
      return v.is_vacuumcmd === true;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return true;
    case 'AlterTableStmt':
      return (
        (v.cmds as unknown[] | undefined)?.some(
          (c) => as<{ def?: { PartitionCmd?: { concurrent?: boolean } } }>(c, 'AlterTableCmd')?.def?.PartitionCmd?.concurrent === true,
        ) ?? false
      );
    default:
      return false;
  }
}

/** The executable statements of a script (its own BEGIN/COMMIT dropped: we decide the transaction), or its syntax error. */
export function scriptStatements(sql: string): { statements: Statement[]; error?: { message: string; offset: number } } {
  const parsed = parseSql(sql);
  if (parsed.errors.length) return { statements: [], error: { message: parsed.errors[0].message, offset: parsed.errors[0].start } };
  return { statements: parsed.statements.filter((s) => s.kind !== 'TransactionStmt') };
}

function lineCol(text: string, offset: number, firstLine: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const nl = before.lastIndexOf('\n');
  return { line: firstLine + (before.match(/\n/g)?.length ?? 0), column: offset - nl };
}

function failure(err: unknown, text: string, stmt: Statement | undefined, offsetInSent: number | undefined, firstLine: number): ScriptFailure {
  const e = err as { message?: string; code?: string; position?: number };
  const base = stmt ? stmt.start + Math.max(0, offsetInSent ?? 0) : 0;
  const at = stmt ? lineCol(text, base, firstLine) : {};
  return { message: e?.message ?? String(err), ...at, timeout: e?.code === 'timeout' };
}

export interface RunOptions {
  /** Line of the script's first line in its file (a dbmate section starts mid-file). */
  firstLine?: number;
  /** Leave the transaction open on success (to fingerprint before deciding); default commit. */
  keepOpen?: boolean;
}

/**
 * Runs `sql`. Inside one transaction (BEGIN … statements) unless a statement cannot run in one; a failure rolls the
 * transaction back. Statement by statement in autocommit otherwise, stopping at the first failure.
 */
export async function runScript(engine: Engine, sql: string, opts: RunOptions = {}): Promise<ScriptResult> {
  const firstLine = opts.firstLine ?? 1;
  const { statements, error } = scriptStatements(sql);
  if (error) return { ok: false, failure: { message: `syntax error: ${error.message}`, ...lineCol(sql, error.offset, firstLine) } };
  if (statements.length === 0) return { ok: true, open: false, statements: 0 };
  if (statements.some(needsAutocommit)) {
    for (const s of statements) {
      try {
        await engine.exec(s.text);
      } catch (err) {
        return { ok: false, failure: failure(err, sql, s, (err as { position?: number }).position, firstLine) };
      }
    }
    return { ok: true, open: false, statements: statements.length };
  }
  // One round trip: BEGIN and the statements as one script; a failing statement is found from the error position.
  const prefix = 'BEGIN;\n';
  let sent = prefix;
  const starts: number[] = [];
  for (const s of statements) {
    starts.push(sent.length);
    sent += `${s.text};\n`;
  }
  try {
    await engine.exec(sent);
  } catch (err) {
    await engine.exec('ROLLBACK').catch(() => undefined);
    const pos = (err as { position?: number }).position;
    let i = pos === undefined ? -1 : starts.findIndex((st, k) => pos >= st && (k === starts.length - 1 || pos < starts[k + 1]));
    if (i < 0 && pos === undefined) i = await locate(engine, statements);
    return { ok: false, failure: failure(err, sql, statements[i], pos !== undefined && i >= 0 ? pos - starts[i] : undefined, firstLine) };
  }
  if (opts.keepOpen) return { ok: true, open: true, statements: statements.length };
  await engine.exec('COMMIT');
  return { ok: true, open: false, statements: statements.length };
}

/** Without an error position, find the failing statement by replaying them one by one in a transaction that is rolled back. */
async function locate(engine: Engine, statements: Statement[]): Promise<number> {
  try {
    await engine.exec('BEGIN');
    for (let i = 0; i < statements.length; i++) {
      try {
        await engine.exec(statements[i].text);
      } catch {
        return i;
      }
    }
    return -1;
  } finally {
    await engine.exec('ROLLBACK').catch(() => undefined);
  }
}

/** Applies what can be applied, one statement at a time in autocommit, so later migrations still have a chance. */
export async function applyBestEffort(engine: Engine, sql: string): Promise<number> {
  let failed = 0;
  for (const s of scriptStatements(sql).statements) {
    try {
      await engine.exec(s.text);
    } catch (err) {
      if ((err as { code?: string }).code === 'timeout') throw err;
      failed++;
    }
  }
  return failed;
}
