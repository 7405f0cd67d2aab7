// The transaction model of a file: which statements run inside which transaction block, and nesting mistakes.
import type { TransactionStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import type { Statement } from '../parse/parse';
import { defineFact, type FactContext } from './file-facts';

/**
 * How the runner sends the file:
 * - `wrapped`: inside BEGIN … COMMIT it issues itself (diesel, sqlx, Flyway, pop, dbmate by default);
 * - `implicit`: as one multi-statement simple query, which PostgreSQL runs as one implicit transaction
 *   (golang-migrate; https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT);
 * - `none`: statement by statement in autocommit (psql-like runners, `transaction:false` opt-outs).
 */
export type TransactionMode = 'wrapped' | 'implicit' | 'none';

export interface TransactionBlock {
  id: number;
  /** Who opened it: the runner, the file's own BEGIN, or PostgreSQL's implicit multi-statement block. */
  kind: 'runner' | 'explicit' | 'implicit';
  /** The file's BEGIN / START TRANSACTION, when it opened the block. */
  begin?: Statement;
  /** The COMMIT / ROLLBACK / END that closed it; undefined when it runs to the end of the file. */
  end?: Statement;
  /** The statements inside the block (transaction-control statements excluded). */
  statements: Statement[];
}

export type TransactionProblem =
  /** BEGIN while a transaction block is already open: PostgreSQL warns and ignores it. */
  | { kind: 'nested-begin'; statement: Statement; outer: TransactionBlock }
  /** COMMIT / ROLLBACK in a file the runner wraps: it ends the runner's transaction early. */
  | { kind: 'commit-in-wrapped'; statement: Statement }
  /** BEGIN with no COMMIT before the end of a file that runs in autocommit. */
  | { kind: 'unterminated'; statement: Statement; block: TransactionBlock }
  /** COMMIT / ROLLBACK with no transaction open: PostgreSQL warns and does nothing. */
  | { kind: 'stray-end'; statement: Statement };

export interface TransactionModel {
  mode: TransactionMode;
  blocks: TransactionBlock[];
  problems: TransactionProblem[];
  /** The block a statement runs in, or undefined when it runs in autocommit. */
  blockOf(stmt: Statement): TransactionBlock | undefined;
  inTransaction(stmt: Statement): boolean;
  sameTransaction(a: Statement, b: Statement): boolean;
}

/** The runner's transaction mode after the `migrations.transaction` override. */
export function transactionMode(ctx: Pick<FactContext, 'file' | 'config' | 'statements'>): TransactionMode {
  if (ctx.file.role === 'plain') return 'none';
  const override = ctx.config.migrations.transaction;
  if (override === 'wrapped' || override === 'none') return override;
  if (ctx.file.transaction === 'wrapped') return 'wrapped';
  // A single statement sent alone is not a transaction block, so CONCURRENTLY works in a one-statement file.
  const code = ctx.statements.filter((s) => s.kind !== 'TransactionStmt').length;
  if (ctx.file.migration?.layout === 'golang-migrate' && ctx.statements.length > 1 && code > 0) return 'implicit';
  return 'none';
}

const BEGINS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const ENDS = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

export function buildTransactionModel(statements: Statement[], mode: TransactionMode): TransactionModel {
  const blocks: TransactionBlock[] = [];
  const problems: TransactionProblem[] = [];
  const byIndex = new Map<number, TransactionBlock>();
  const open = (kind: TransactionBlock['kind'], begin?: Statement): TransactionBlock => {
    const b: TransactionBlock = { id: blocks.length, kind, begin, statements: [] };
    blocks.push(b);
    return b;
  };
  let current: TransactionBlock | undefined = mode === 'wrapped' ? open('runner') : undefined;

  for (const stmt of statements) {
    // Kind first: reading `node` would force the lazy location shift of every statement after an edit.
    const tx = stmt.kind === 'TransactionStmt' ? as<TransactionStmt>(stmt.node, 'TransactionStmt') : undefined;
    const kind = tx?.kind ?? '';
    if (tx && BEGINS.has(kind)) {
      if (current && current.kind !== 'implicit') {
        problems.push({ kind: 'nested-begin', statement: stmt, outer: current });
      } else if (current?.kind === 'implicit') {
        // BEGIN inside an implicit block turns it into a regular block that the statements before it share.
        current.kind = 'explicit';
        current.begin = stmt;
      } else {
        current = open('explicit', stmt);
      }
      byIndex.set(stmt.index, current);
      continue;
    }
    if (tx && ENDS.has(kind)) {
      if (!current) {
        problems.push({ kind: 'stray-end', statement: stmt });
        continue;
      }
      if (current.kind === 'runner') problems.push({ kind: 'commit-in-wrapped', statement: stmt });
      current.end = stmt;
      byIndex.set(stmt.index, current);
      // After a COMMIT the rest of an implicit query opens a new implicit block at its next statement (below).
      current = tx.chain ? open(current.kind === 'runner' ? 'explicit' : current.kind, stmt) : undefined;
      continue;
    }
    if (!current && mode === 'implicit') current = open('implicit');
    if (current) {
      current.statements.push(stmt);
      byIndex.set(stmt.index, current);
    }
  }
  if (current && current.kind === 'explicit' && mode !== 'wrapped' && current.begin) {
    problems.push({ kind: 'unterminated', statement: current.begin, block: current });
  }
  return {
    mode,
    blocks,
    problems,
    blockOf: (s) => byIndex.get(s.index),
    inTransaction: (s) => byIndex.has(s.index),
    sameTransaction: (a, b) => {
      const x = byIndex.get(a.index);
      return x !== undefined && x === byIndex.get(b.index);
    },
  };
}

/** The transaction model of the statements being analysed (the up or down part of a migration, or a plain file). */
export const transactions = defineFact('transactions', (ctx): TransactionModel => buildTransactionModel(ctx.statements, transactionMode(ctx)));

/** How to run this file outside a transaction with its migration tool, as an imperative clause. */
export function outsideTransactionHint(file: FactContext['file']): string {
  switch (file.migration?.layout) {
    case 'diesel':
      return "set `run_in_transaction = false` in the migration's metadata.toml";
    case 'sqlx':
      return 'start the file with `-- no-transaction`';
    case 'dbmate':
      return 'mark the section `-- migrate:up transaction:false`';
    case 'flyway':
      return "add `executeInTransaction=false` to the script's .sql.conf";
    case 'pop':
      return 'move it to a migration whose file name ends in `.autocommit.up.sql`';
    case 'golang-migrate':
    case 'supabase':
      return 'put the statement alone in its own migration file';
    default:
      return 'run it in a migration that is not wrapped in a transaction';
  }
}
