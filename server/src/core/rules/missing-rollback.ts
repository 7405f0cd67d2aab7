// missing-rollback: an up migration, in a layout with down migrations, whose down part is missing or has no statements.
import { resolveSection, type Migration } from '../migrations';
import { tokenIndexAt, tokensCovering, type Statement } from '../parse/parse';
import { defineRule, type RuleContext } from './rule';

type DownState =
  | { kind: 'missing' }
  | { kind: 'empty'; path: string; commented: boolean }
  | { kind: 'present'; statements: Statement[] }
  | { kind: 'unknown' };

/** Statements that change rows, not the schema: their effect cannot be undone by DDL, only restored from the data. */
const DATA_ONLY = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'SelectStmt', 'TruncateStmt', 'CopyStmt', 'TransactionStmt']);

/** The down part of a migration as parsed statements (syntax errors count as content: another diagnostic covers them). */
function downOf(ctx: RuleContext, m: Migration): DownState {
  if (!m.down) return { kind: 'missing' };
  const parsed = ctx.file.readPart?.(m.down);
  if (!parsed) return { kind: 'unknown' };
  const { start, end } = resolveSection(m.down, parsed.text);
  const inside = <T extends { start: number }>(xs: T[]) => xs.filter((x) => x.start >= start && x.start < end);
  const statements = inside(parsed.statements);
  if (statements.length === 0 && inside(parsed.errors).length === 0) return { kind: 'empty', path: m.down.path, commented: inside(parsed.comments).length > 0 };
  return { kind: 'present', statements };
}

export default defineRule({
  id: 'missing-rollback',
  category: 'rollback',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    missing: 'Migration {name} has no down migration: it cannot be rolled back, although the {layout} layout supports it.',
    empty: 'The down migration of {name} ({down}) has no statements: rolling back leaves this migration\'s changes in place.',
  },
  docs: {
    summary: 'Migration without a rollback: the down file is missing or empty.',
    why:
      'Layouts with down migrations (diesel, golang-migrate, sqlx, pop, dbmate, Flyway undo, sqitch revert) let a bad deploy be rolled back. A missing or empty down part makes the rollback a silent no-op that leaves the schema half-changed, and a rollback rehearsal cannot pass. An up migration that is itself empty is not flagged, nor is a data-only one (INSERT, UPDATE, DELETE, TRUNCATE…) whose down part explains in a comment why nothing is undone. For other deliberately irreversible changes, use a suppression comment with the reason.',
    help: 'Write the down migration that undoes this migration\'s statements in reverse order.',
    bad: ['-- up.sql, with no down.sql beside it\nCREATE TABLE accounts (id bigint PRIMARY KEY);'],
    good: ['-- up.sql with nothing to undo: an empty up migration needs no down.sql\n-- (a real migration pairs CREATE TABLE accounts … with DROP TABLE accounts in down.sql)'],
    exampleFile: 'migration',
    exampleDown: null,
  },
  check(ctx) {
    const m = ctx.file.migration;
    if (ctx.file.role !== 'migration-up' || !m?.downExpected || ctx.statements.length === 0) return;
    const down = downOf(ctx, m);
    if (down.kind === 'present' || down.kind === 'unknown') return;
    // A data-only change whose down part says in a comment why nothing is undone is a deliberate, documented choice.
    const dataOnly = ctx.statements.every((s) => DATA_ONLY.has(s.kind));
    if (dataOnly && down.kind === 'empty' && down.commented) return;
    // Point at the first keyword of the up part: a suppression comment above the first statement then covers it.
    const first = ctx.statements[0];
    const tokens = tokensCovering(ctx.parsed, first.start, first.end);
    const token = tokens.slice(tokenIndexAt(tokens, first.start)).find((t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT');
    const range = token && token.end <= first.end ? { start: token.start, end: token.end } : { start: first.start, end: first.end };
    const data = { name: m.name, layout: m.layout, down: down.kind === 'empty' ? down.path : '' };
    const help = dataOnly ? 'Write the statements that restore the data, or say in a comment in the down migration why the change cannot be undone.' : undefined;
    ctx.report({ ...range, messageId: down.kind, data, statement: first, help });
  },
});
