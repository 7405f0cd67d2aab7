// concurrently-in-transaction: statements PostgreSQL refuses to run inside a transaction block make the migration fail.
import type { AlterTableCmd, AlterTableStmt, DropStmt, IndexStmt, ReindexStmt } from '@pgsql/types';
import { as, optionOn } from '../parse/ast';
import { keywordRange, leadingKeywords } from '../facts/relations';
import { outsideTransactionHint, transactions, type TransactionBlock } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import { defineRule } from './rule';

/** What the statement is, when PostgreSQL calls PreventInTransactionBlock for it. */
function nonTransactional(stmt: Statement): { what: string; keyword?: string[] } | undefined {
  const idx = as<IndexStmt>(stmt.node, 'IndexStmt');
  if (idx?.concurrent) return { what: 'CREATE INDEX CONCURRENTLY', keyword: ['concurrently'] };
  const drop = as<DropStmt>(stmt.node, 'DropStmt');
  if (drop?.concurrent) return { what: 'DROP INDEX CONCURRENTLY', keyword: ['concurrently'] };
  const re = as<ReindexStmt>(stmt.node, 'ReindexStmt');
  if (re && optionOn(re.params, 'concurrently')) return { what: 'REINDEX CONCURRENTLY', keyword: ['concurrently'] };
  if (re && re.kind !== 'REINDEX_OBJECT_INDEX' && re.kind !== 'REINDEX_OBJECT_TABLE') return { what: 'REINDEX SCHEMA / DATABASE / SYSTEM' };
  const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  for (const c of alter?.cmds ?? []) {
    const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_DetachPartition' && as<{ concurrent?: boolean }>(cmd.def, 'PartitionCmd')?.concurrent)
      return { what: 'DETACH PARTITION CONCURRENTLY', keyword: ['concurrently'] };
  }
  if (stmt.kind === 'VacuumStmt' && as<{ is_vacuumcmd?: boolean }>(stmt.node, 'VacuumStmt')?.is_vacuumcmd) return { what: 'VACUUM' };
  if (stmt.kind === 'CreatedbStmt') return { what: 'CREATE DATABASE' };
  if (stmt.kind === 'DropdbStmt') return { what: 'DROP DATABASE' };
  if (stmt.kind === 'AlterSystemStmt') return { what: 'ALTER SYSTEM' };
  if (stmt.kind === 'CreateTableSpaceStmt' || stmt.kind === 'DropTableSpaceStmt') return { what: 'CREATE / DROP TABLESPACE' };
  return undefined;
}

function why(block: TransactionBlock): string {
  if (block.kind === 'runner') return 'the migration runner wraps this file in a transaction';
  if (block.kind === 'implicit') return 'the runner sends the file as one multi-statement query, which PostgreSQL runs as one implicit transaction';
  return 'the BEGIN earlier in the file opened one';
}

export default defineRule({
  id: 'concurrently-in-transaction',
  category: 'migration-lock',
  severity: 'error',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    inTransaction: '{what} cannot run inside a transaction block, and {why}: the migration fails here.',
  },
  docs: {
    summary: 'CONCURRENTLY (or VACUUM, CREATE DATABASE, …) inside a transaction block.',
    why: 'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY, VACUUM and a few others refuse to run in a transaction block ("cannot run inside a transaction block"). pgdba knows which migration tools wrap each file in a transaction (and their per-file opt-outs), follows the file\'s own BEGIN/COMMIT, and honours `migrations.transaction` in pgdba.json.',
    help: "Run the statement outside a transaction: move it to its own migration and turn off the runner's transaction for it.",
    bad: ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);'],
    good: ['CREATE INDEX users_email_idx ON users (email);'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'ban-concurrent-index-creation-in-transaction', relation: 'stricter' },
    { tool: 'postgres-language-server', rule: 'banConcurrentIndexCreationInTransaction', relation: 'stricter' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    for (const stmt of ctx.statements) {
      const block = tx.blockOf(stmt);
      if (!block) continue;
      const found = nonTransactional(stmt);
      if (!found) continue;
      const range = (found.keyword && keywordRange(ctx.parsed, stmt, found.keyword)) || leadingKeywords(ctx.parsed, stmt, 2);
      const help = `Move ${found.what} to its own migration and ${outsideTransactionHint(ctx.file)}.`;
      ctx.report({ ...range, messageId: 'inTransaction', data: { what: found.what, why: why(block) }, statement: stmt, help });
    }
  },
});
