// require-concurrent-index: CREATE INDEX without CONCURRENTLY holds a SHARE lock that blocks writes for the whole build.
import type { IndexStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { blocksText } from '../facts/locks';
import { keywordRange, rangeVarRange, relationText } from '../facts/relations';
import { outsideTransactionHint, transactions } from '../facts/transactions';
import { defineRule } from './rule';

export default defineRule({
  id: 'require-concurrent-index',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    create: 'CREATE INDEX on {table} takes a SHARE lock that blocks {blocks} until the whole index is built.',
    partitioned:
      'CREATE INDEX on the partitioned table {table} takes a SHARE lock on every partition, blocking {blocks} until all of them are built (CONCURRENTLY is not supported on a partitioned parent).',
  },
  docs: {
    summary: 'CREATE INDEX without CONCURRENTLY on an existing table.',
    why: 'A plain CREATE INDEX takes a SHARE lock: reads continue but every INSERT, UPDATE and DELETE waits until the index is built, which takes minutes on a large table. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which lets writes through. Tables created earlier in the same migration are empty and nobody else uses them, so they are not flagged.',
    help: 'Use CREATE INDEX CONCURRENTLY, in a migration that does not run inside a transaction.',
    bad: ['CREATE INDEX users_email_idx ON users (email);'],
    good: [
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'require-concurrent-index-creation', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'requireConcurrentIndexCreation', relation: 'quieter' },
  ],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    const tx = ctx.facts.get(transactions);
    for (const stmt of ctx.statements) {
      const idx = as<IndexStmt>(stmt.node, 'IndexStmt');
      if (!idx || idx.concurrent || !idx.relation || created.isTransient(idx.relation, stmt)) continue;
      const table = ctx.catalog.tables.get(created.resolve(idx.relation, stmt));
      const partitioned = table?.partition !== undefined;
      // CREATE INDEX ON ONLY parent builds nothing: it makes an invalid parent index to attach partition indexes to.
      if (partitioned && idx.relation.inh !== true) continue;
      const range = rangeVarRange(ctx.parsed, idx.relation, stmt);
      const data = { table: relationText(idx.relation), blocks: blocksText('SHARE') };
      if (partitioned) {
        ctx.report({
          ...range,
          messageId: 'partitioned',
          data,
          statement: stmt,
          help: "Create the index ON ONLY the parent, build each partition's index CONCURRENTLY, then ALTER INDEX … ATTACH PARTITION each one.",
        });
        continue;
      }
      const inTx = tx.inTransaction(stmt);
      const kw = keywordRange(ctx.parsed, stmt, ['index']);
      const fix = !inTx && kw ? { title: 'Add CONCURRENTLY', edits: [{ start: kw.end, end: kw.end, newText: ' CONCURRENTLY' }] } : undefined;
      const help = inTx
        ? `Use CREATE INDEX CONCURRENTLY and ${outsideTransactionHint(ctx.file)}, because CONCURRENTLY cannot run inside a transaction.`
        : undefined;
      ctx.report({ ...range, messageId: 'create', data, statement: stmt, fix, help });
    }
  },
});
