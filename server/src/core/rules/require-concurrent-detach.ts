// require-concurrent-detach: DETACH PARTITION without CONCURRENTLY locks the partitioned table ACCESS EXCLUSIVE.
import { alterCommands } from '../facts/alter-commands';
import { as } from '../parse/ast';
import { blocksText } from '../facts/locks';
import { outsideTransactionHint, transactions } from '../facts/transactions';
import { defineRule } from './rule';

export default defineRule({
  id: 'require-concurrent-detach',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  minPg: 14,
  messages: {
    detach: 'DETACH PARTITION takes an ACCESS EXCLUSIVE lock on {table}, blocking {blocks} on every partition while it waits for running queries.',
  },
  docs: {
    summary: 'ALTER TABLE … DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+).',
    why: 'A plain DETACH PARTITION locks the whole partitioned table ACCESS EXCLUSIVE. DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+) takes only SHARE UPDATE EXCLUSIVE on the parent and waits for running queries instead of blocking them.',
    help: 'Use DETACH PARTITION … CONCURRENTLY as the only subcommand, in a migration that does not run inside a transaction.',
    bad: ['ALTER TABLE events DETACH PARTITION events_2020;'],
    good: ['ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'require-concurrent-partition-detach', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'requireConcurrentDetachPartition', relation: 'same' },
  ],
  check(ctx) {
    if (ctx.config.postgres.version < 14) return;
    const tx = ctx.facts.get(transactions);
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.cmd.subtype !== 'AT_DetachPartition' || c.transient) continue;
      if (as<{ concurrent?: boolean }>(c.cmd.def, 'PartitionCmd')?.concurrent) continue;
      const inTx = tx.inTransaction(c.stmt);
      const single = (c.alter.cmds ?? []).length === 1;
      const fix = !inTx && single ? { title: 'Add CONCURRENTLY', edits: [{ start: c.range.end, end: c.range.end, newText: ' CONCURRENTLY' }] } : undefined;
      const help = inTx
        ? `Use DETACH PARTITION … CONCURRENTLY and ${outsideTransactionHint(ctx.file)}, because CONCURRENTLY cannot run inside a transaction.`
        : undefined;
      ctx.report({ ...c.range, messageId: 'detach', data: { table: c.display, blocks: blocksText('ACCESS EXCLUSIVE') }, statement: c.stmt, fix, help });
    }
  },
});
