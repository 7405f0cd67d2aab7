// require-concurrent-index-drop: DROP INDEX without CONCURRENTLY locks the index's table ACCESS EXCLUSIVE.
import type { DropStmt } from '@pgsql/types';
import { as, listName } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { blocksText, lockTimeouts } from '../facts/locks';
import { keywordRange, nameRange } from '../facts/relations';
import { outsideTransactionHint, transactions } from '../facts/transactions';
import { defineRule } from './rule';

export default defineRule({
  id: 'require-concurrent-index-drop',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    drop: 'DROP INDEX {index} takes an ACCESS EXCLUSIVE lock on {table}, blocking {blocks} while it waits for running queries to finish.',
  },
  docs: {
    summary: 'DROP INDEX without CONCURRENTLY on an index of an existing table.',
    why: 'A plain DROP INDEX needs an ACCESS EXCLUSIVE lock on the table. It is quick once granted, but it queues behind every running query on the table, and every read and write queues behind it. DROP INDEX CONCURRENTLY waits for those queries without blocking anyone. With a lock_timeout in effect the wait is bounded, so pgdba stays quiet.',
    help: 'Use DROP INDEX CONCURRENTLY (one index per statement, without CASCADE), in a migration that does not run inside a transaction.',
    bad: ['DROP INDEX users_email_idx;', 'DROP INDEX IF EXISTS app.users_email_idx, app.users_name_idx;'],
    good: [
      'DROP INDEX CONCURRENTLY users_email_idx;',
      "SET lock_timeout = '3s';\nDROP INDEX users_email_idx;",
      'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'require-concurrent-index-deletion', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'requireConcurrentIndexDeletion', relation: 'quieter' },
  ],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    const tx = ctx.facts.get(transactions);
    const timeouts = ctx.facts.get(lockTimeouts);
    for (const stmt of ctx.statements) {
      const drop = as<DropStmt>(stmt.node, 'DropStmt');
      if (!drop || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent || timeouts.covered(stmt)) continue;
      const objects = drop.objects ?? [];
      for (const o of objects) {
        const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items ?? []);
        if (!q || created.isTransientIndex(q, stmt)) continue;
        const table = created.indexTable(q, stmt);
        const parts = q.schema ? [q.schema, q.name] : [q.name];
        const range = nameRange(ctx.parsed, stmt.start, stmt.end, parts) ?? { start: stmt.start, end: stmt.end };
        const inTx = tx.inTransaction(stmt);
        const kw = keywordRange(ctx.parsed, stmt, ['index']);
        const fixable = !inTx && kw && objects.length === 1 && drop.behavior !== 'DROP_CASCADE';
        const fix = fixable ? { title: 'Add CONCURRENTLY', edits: [{ start: kw.end, end: kw.end, newText: ' CONCURRENTLY' }] } : undefined;
        const help = inTx
          ? `Use DROP INDEX CONCURRENTLY and ${outsideTransactionHint(ctx.file)}, because CONCURRENTLY cannot run inside a transaction.`
          : undefined;
        const data = { index: parts.join('.'), table: table ?? 'its table', blocks: blocksText('ACCESS EXCLUSIVE') };
        ctx.report({ ...range, messageId: 'drop', data, statement: stmt, fix, help });
      }
    }
  },
});
