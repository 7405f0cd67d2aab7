// combine-alter-table: consecutive ALTER TABLE statements on one table each queue for its ACCESS EXCLUSIVE lock again.
import type { AlterTableCmd } from '@pgsql/types';
import { alterCommands, type AlterCommand } from '../facts/alter-commands';
import { alterCommandLock } from '../facts/locks';
import { codeTokens, plainGapHoldsCode } from '../facts/relations';
import { tokensCovering } from '../parse/parse';
import { transactions } from '../facts/transactions';
import { defineRule } from './rule';

/** Subcommands PostgreSQL refuses to combine with others in one ALTER TABLE. */
const ALONE = new Set(['AT_AttachPartition', 'AT_DetachPartition', 'AT_DetachPartitionFinalize', 'AT_SetTableSpace']);

export default defineRule({
  id: 'combine-alter-table',
  category: 'migration-lock',
  severity: 'info',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    again:
      'Another ALTER TABLE on {table} right after the previous one, outside a transaction: it queues for the ACCESS EXCLUSIVE lock (blocking reads, writes and DDL) a second time; one ALTER TABLE with both subcommands takes it once.',
    rewriteTwice:
      'Another column type change on {table} right after the previous one: each ALTER TABLE rewrites the whole table under its ACCESS EXCLUSIVE lock; one ALTER TABLE with both subcommands rewrites it once.',
  },
  docs: {
    summary: 'Consecutive ALTER TABLE statements on the same existing table that could be one.',
    why: 'Outside a transaction each ALTER TABLE waits for its lock again behind running queries. Inside one the lock is kept, but each statement that changes a column type still rewrites the whole table on its own. One statement with several comma-separated subcommands takes the lock once and rewrites at most once.',
    help: 'Merge the subcommands into one ALTER TABLE, separated by commas.',
    bad: ['ALTER TABLE users ALTER COLUMN a TYPE bigint;\nALTER TABLE users ALTER COLUMN b TYPE bigint;'],
    good: ['ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int;', 'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;'],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'postgres-language-server', rule: 'multipleAlterTable', relation: 'quieter' }],
  check(ctx) {
    const byStmt = new Map<number, AlterCommand[]>();
    for (const c of ctx.facts.get(alterCommands)) byStmt.set(c.stmt.index, [...(byStmt.get(c.stmt.index) ?? []), c]);
    const tx = ctx.facts.get(transactions);
    const strong = (cmds: AlterCommand[]) => cmds.some((c) => alterCommandLock(c.cmd) === 'ACCESS EXCLUSIVE');
    const rewrites = (cmds: AlterCommand[]) => cmds.some((c) => c.cmd.subtype === 'AT_AlterColumnType');
    for (let i = 1; i < ctx.statements.length; i++) {
      const a = byStmt.get(ctx.statements[i - 1].index);
      const b = byStmt.get(ctx.statements[i].index);
      if (!a?.length || !b?.length) continue;
      const [x, y] = [a[0], b[0]];
      if (x.table !== y.table || y.transient || !strong(a) || !strong(b)) continue;
      // In one transaction the lock is already held: only a second rewrite costs anything.
      const sameTx = tx.sameTransaction(x.stmt, y.stmt);
      if (sameTx && !(rewrites(a) && rewrites(b))) continue;
      if (x.alter.missing_ok !== y.alter.missing_ok || x.alter.relation?.inh !== y.alter.relation?.inh) continue;
      if ([...a, ...b].some((c) => ALONE.has((c.cmd as AlterTableCmd).subtype ?? ''))) continue;
      // Merge by replacing `;\nALTER TABLE t ` with `,\n  `, unless a comment sits in between (it would be lost).
      const plain = plainGapHoldsCode(ctx.parsed.text, x.stmt.end, y.range.start);
      const between =
        plain === undefined &&
        tokensCovering(ctx.parsed, x.stmt.end, y.range.start).some(
          (t) => (t.name === 'SQL_COMMENT' || t.name === 'C_COMMENT') && t.start >= x.stmt.end && t.end <= y.range.start,
        );
      const split = plain ?? codeTokens(ctx.parsed, x.stmt.end, y.range.start).length > 0;
      const fix =
        !between && split && y.range.start > y.stmt.start
          ? { title: 'Merge into the previous ALTER TABLE', edits: [{ start: x.stmt.end, end: y.range.start, newText: ',\n  ' }] }
          : undefined;
      ctx.report({ ...y.tableRange, messageId: sameTx ? 'rewriteTwice' : 'again', data: { table: y.display }, statement: y.stmt, fix });
    }
  },
});
