// transaction-nesting: BEGIN inside a transaction, or COMMIT inside the runner's, splits a migration in ways nobody intended.
import { leadingKeywords, afterSemicolon } from '../facts/relations';
import { transactions, type TransactionProblem } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import type { Fix, RuleContext } from './rule';
import { defineRule } from './rule';

/** Deleting a statement with its semicolon and the line break after it. */
function deleteEdit(ctx: RuleContext, stmt: Statement) {
  let end = afterSemicolon(ctx.parsed, stmt);
  if (ctx.parsed.text[end] === '\n') end++;
  return { start: stmt.start, end, newText: '' };
}

export default defineRule({
  id: 'transaction-nesting',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    nestedRunner:
      "BEGIN inside the transaction the migration runner already opened: PostgreSQL ignores it with a warning, and the COMMIT that follows ends the runner's transaction early.",
    nested: 'BEGIN inside a transaction the file already opened: PostgreSQL ignores it with a warning, so the first COMMIT ends both.',
    commitInRunner:
      '{what} ends the transaction the migration runner opened: the statements after it run outside any transaction, so a failure there leaves the migration half applied.',
    stray: '{what} with no transaction open: PostgreSQL warns and does nothing.',
  },
  docs: {
    summary: 'BEGIN / COMMIT that nest inside, or cut short, the transaction a migration runs in.',
    why: "Most migration tools wrap each file in a transaction (diesel, sqlx, Flyway, pop, dbmate by default). A BEGIN in the file is then ignored and its COMMIT commits the runner's transaction early, so the rest of the file is no longer atomic.",
    help: "Remove the file's own BEGIN and COMMIT and let the runner's transaction cover the file, or turn the runner's transaction off for this file.",
    bad: ['BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;'],
    good: ['ALTER TABLE users ADD COLUMN a int;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'transaction-nesting', relation: 'stricter' },
    { tool: 'postgres-language-server', rule: 'transactionNesting', relation: 'stricter' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    const commits = tx.problems.filter((p): p is Extract<TransactionProblem, { kind: 'commit-in-wrapped' }> => p.kind === 'commit-in-wrapped');
    for (const p of tx.problems) {
      const range = leadingKeywords(ctx.parsed, p.statement, 1);
      const what = ctx.parsed.text.slice(range.start, range.end).toUpperCase();
      if (p.kind === 'nested-begin') {
        // In a runner-wrapped file, dropping BEGIN and the COMMIT that closes it leaves one atomic transaction.
        const commit = p.outer.kind === 'runner' ? commits.find((c) => c.statement.index > p.statement.index) : undefined;
        const fix: Fix | undefined = commit
          ? { title: 'Remove BEGIN and COMMIT (the runner wraps the file)', edits: [deleteEdit(ctx, p.statement), deleteEdit(ctx, commit.statement)] }
          : undefined;
        ctx.report({ ...range, messageId: p.outer.kind === 'runner' ? 'nestedRunner' : 'nested', statement: p.statement, fix });
      } else if (p.kind === 'commit-in-wrapped') {
        ctx.report({ ...range, messageId: 'commitInRunner', data: { what }, statement: p.statement });
      } else if (p.kind === 'stray-end') {
        ctx.report({
          ...range,
          messageId: 'stray',
          data: { what },
          statement: p.statement,
          fix: { title: `Remove the ${what}`, edits: [deleteEdit(ctx, p.statement)] },
        });
      }
    }
  },
});
