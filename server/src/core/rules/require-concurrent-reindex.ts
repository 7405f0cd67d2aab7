// require-concurrent-reindex: REINDEX without CONCURRENTLY blocks writes to the table and reads through the index.
import type { ReindexStmt } from '@pgsql/types';
import { as, optionOn } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { keywordRange, leadingKeywords, rangeVarRange, relationText } from '../facts/relations';
import { outsideTransactionHint, transactions } from '../facts/transactions';
import { defineRule } from './rule';

const KEYWORD: Record<string, string> = {
  REINDEX_OBJECT_INDEX: 'index',
  REINDEX_OBJECT_TABLE: 'table',
  REINDEX_OBJECT_SCHEMA: 'schema',
  REINDEX_OBJECT_DATABASE: 'database',
};

export default defineRule({
  id: 'require-concurrent-reindex',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  minPg: 12,
  messages: {
    index:
      'REINDEX INDEX {name} locks its index ACCESS EXCLUSIVE and its table SHARE: queries that use the index and all writes to the table wait for the rebuild.',
    table: 'REINDEX TABLE {name} takes a SHARE lock on it and ACCESS EXCLUSIVE on each of its indexes: writes and index scans wait for the whole rebuild.',
    many: 'REINDEX {what} {name} rebuilds every index in it, locking each table SHARE (blocking writes) while its indexes are rebuilt.',
  },
  docs: {
    summary: 'REINDEX without CONCURRENTLY (PostgreSQL 12+).',
    why: 'A plain REINDEX blocks writes to the table and every query planned to use the index for the whole rebuild. Since PostgreSQL 12, REINDEX CONCURRENTLY builds a replacement index without blocking and swaps it in.',
    help: 'Use REINDEX … CONCURRENTLY, in a migration that does not run inside a transaction.',
    bad: ['REINDEX INDEX users_email_idx;', 'REINDEX TABLE users;'],
    good: ['REINDEX INDEX CONCURRENTLY users_email_idx;', 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nREINDEX INDEX t_a;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'require-concurrent-reindex', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'requireConcurrentReindex', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.config.postgres.version < 12) return;
    const created = ctx.facts.get(createdInFile);
    const tx = ctx.facts.get(transactions);
    for (const stmt of ctx.statements) {
      const r = as<ReindexStmt>(stmt.node, 'ReindexStmt');
      // REINDEX SYSTEM cannot run concurrently at all: nothing to suggest.
      if (!r || optionOn(r.params, 'concurrently') || r.kind === 'REINDEX_OBJECT_SYSTEM') continue;
      const kw = KEYWORD[r.kind ?? ''];
      if (!kw) continue;
      let messageId = 'many';
      let name = r.name ?? '';
      let range = leadingKeywords(ctx.parsed, stmt, 2);
      if (r.relation) {
        const q = { schema: r.relation.schemaname || undefined, name: r.relation.relname ?? '' };
        const isNew = r.kind === 'REINDEX_OBJECT_INDEX' ? created.isTransientIndex(q, stmt) : created.isTransient(r.relation, stmt);
        if (isNew) continue;
        messageId = r.kind === 'REINDEX_OBJECT_INDEX' ? 'index' : 'table';
        name = relationText(r.relation);
        range = rangeVarRange(ctx.parsed, r.relation, stmt);
      }
      const inTx = tx.inTransaction(stmt);
      const at = keywordRange(ctx.parsed, stmt, [kw]);
      const fix = !inTx && at ? { title: 'Add CONCURRENTLY', edits: [{ start: at.end, end: at.end, newText: ' CONCURRENTLY' }] } : undefined;
      const help = inTx
        ? `Use REINDEX … CONCURRENTLY and ${outsideTransactionHint(ctx.file)}, because CONCURRENTLY cannot run inside a transaction.`
        : undefined;
      ctx.report({ ...range, messageId, data: { name, what: kw.toUpperCase() }, statement: stmt, fix, help });
    }
  },
});
