// uncommitted-transaction: BEGIN with no COMMIT leaves the migration's work (and its locks) in an open transaction.
import { afterSemicolon, leadingKeywords } from '../facts/relations';
import { transactions } from '../facts/transactions';
import { defineRule } from './rule';

export default defineRule({
  id: 'uncommitted-transaction',
  category: 'migration-lock',
  severity: 'error',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    open: "{what} opens a transaction that is never committed: the migration's changes are rolled back when the session ends, and its locks are held until then.",
  },
  docs: {
    summary: "BEGIN without a matching COMMIT in a script or in a migration that runs outside the runner's transaction.",
    why: 'When the runner does not wrap the file, an unterminated BEGIN leaves every following statement in an open transaction: nothing is committed, and the locks taken stay held until the connection closes.',
    help: 'Add COMMIT at the end of the transaction.',
    bad: ['BEGIN;\nALTER TABLE users ADD COLUMN a int;'],
    good: ['BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;'],
    exampleFile: 'plain',
  },
  sources: [{ tool: 'squawk', rule: 'ban-uncommitted-transaction', relation: 'same' }],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    for (const p of tx.problems) {
      if (p.kind !== 'unterminated') continue;
      const range = leadingKeywords(ctx.parsed, p.statement, 1);
      const last = ctx.statements[ctx.statements.length - 1];
      const end = afterSemicolon(ctx.parsed, last);
      const fix = { title: 'Add COMMIT', edits: [{ start: end, end, newText: `${end > last.end ? '' : ';'}\nCOMMIT;` }] };
      ctx.report({ ...range, messageId: 'open', data: { what: ctx.parsed.text.slice(range.start, range.end).toUpperCase() }, statement: p.statement, fix });
    }
  },
});
