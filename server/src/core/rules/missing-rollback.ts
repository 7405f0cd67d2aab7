// missing-rollback: an up migration, in a layout with down migrations, whose down part is missing, has no statements, or
// leaves part of what the up did in place (a partial rollback).
import { resolveSection, type Migration } from '../migrations';
import { plainFirstWord } from '../facts/relations';
import { tokenIndexAt, tokensCovering, type Statement } from '../parse/parse';
import type { LeftoverReport } from '../rollback/leftovers';
import { defineRule, type RuleContext } from './rule';

type DownState = { kind: 'missing' } | { kind: 'empty'; path: string; commented: boolean } | { kind: 'present'; statements: Statement[] } | { kind: 'unknown' };

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

/** The first keyword of a statement: a suppression comment above the statement then covers the finding. */
function keywordRange(ctx: RuleContext, stmt: Statement): { start: number; end: number } {
  const plain = plainFirstWord(ctx.parsed, stmt);
  if (plain) return plain;
  const tokens = tokensCovering(ctx.parsed, stmt.start, stmt.end);
  const token = tokens.slice(tokenIndexAt(tokens, stmt.start)).find((t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT');
  return token && token.end <= stmt.end ? { start: token.start, end: token.end } : { start: stmt.start, end: stmt.end };
}

/**
 * A down with statements: what it leaves different from before the up, one finding per up statement it does not undo.
 * Changes the down makes to objects the up never touched are reported on the first statement, unless the up has DO
 * blocks (whose changes the catalog cannot see, so the down may be undoing them).
 */
function reportLeftovers(ctx: RuleContext, m: Migration, report: LeftoverReport | undefined): void {
  if (!report || report.items.length === 0 || report.opaque.down > 0) return;
  const mine = report.items.filter((i) => i.path === undefined || i.path === ctx.file.path);
  const byStatement = new Map<Statement, string[]>();
  const stray: string[] = [];
  for (const item of mine) {
    const stmt = item.start === undefined ? undefined : ctx.statements.find((s) => s.start === item.start);
    if (stmt) byStatement.set(stmt, [...(byStatement.get(stmt) ?? []), item.message]);
    else if (item.start === undefined) stray.push(item.message);
  }
  for (const [stmt, what] of byStatement)
    ctx.report({ ...keywordRange(ctx, stmt), messageId: 'partial', data: { name: m.name, what: what.join('; ') }, statement: stmt });
  if (stray.length && report.opaque.up === 0 && report.firstUp === ctx.file.path) {
    const first = ctx.statements[0];
    ctx.report({
      ...keywordRange(ctx, first),
      messageId: 'destructive',
      data: { name: m.name, what: stray.join('; ') },
      statement: first,
      help: 'Make the down migration undo exactly what the up migration does, and nothing else.',
    });
  }
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
    empty: "The down migration of {name} ({down}) has no statements: rolling back leaves this migration's changes in place.",
    partial: 'The down migration of {name} does not undo this statement: {what}.',
    destructive: 'The down migration of {name} changes what this migration leaves as it was: {what}.',
  },
  docs: {
    summary: 'Migration without a complete rollback: the down file is missing, empty, or leaves part of the up in place.',
    why: 'Layouts with down migrations (diesel, golang-migrate, sqlx, pop, dbmate, Flyway undo, sqitch revert) let a bad deploy be rolled back. A missing or empty down part makes the rollback a silent no-op that leaves the schema half-changed, and a rollback rehearsal cannot pass. An up migration that is itself empty is not flagged, nor is a data-only one (INSERT, UPDATE, DELETE, TRUNCATE…) whose down part explains in a comment why nothing is undone. A down that exists but undoes only part of the up is as bad, and harder to see: the up and the down are replayed on the schema as it stood before the migration, and whatever the down leaves different (a column left behind, an index not re-created, a default not put back) is reported on the up statement that made the change; a down that drops or changes objects the up leaves as they were is reported too. DO blocks, CALL and SELECT in the down hide what it does from this comparison, so such downs are trusted. For other deliberately irreversible changes, use a suppression comment with the reason.',
    help: "Write the down migration that undoes this migration's statements in reverse order.",
    bad: ['-- up.sql, with no down.sql beside it\nCREATE TABLE accounts (id bigint PRIMARY KEY);'],
    good: [
      '-- up.sql with nothing to undo: an empty up migration needs no down.sql\n-- (a real migration pairs CREATE TABLE accounts … with DROP TABLE accounts in down.sql)',
    ],
    exampleFile: 'migration',
    exampleDown: null,
  },
  check(ctx) {
    const m = ctx.file.migration;
    if (ctx.file.role !== 'migration-up' || !m?.downExpected || ctx.statements.length === 0) return;
    const down = downOf(ctx, m);
    if (down.kind === 'present') return reportLeftovers(ctx, m, ctx.file.leftovers?.());
    if (down.kind === 'unknown') return;
    // One part of a migration split into parts that roll back together: the group's downs are judged as a whole.
    const group = ctx.file.leftovers?.();
    if (group?.group) return reportLeftovers(ctx, m, group);
    // A data-only change whose down part says in a comment why nothing is undone is a deliberate, documented choice.
    const dataOnly = ctx.statements.every((s) => DATA_ONLY.has(s.kind));
    if (dataOnly && down.kind === 'empty' && down.commented) return;
    // Point at the first keyword of the up part: a suppression comment above the first statement then covers it.
    const first = ctx.statements[0];
    const range = keywordRange(ctx, first);
    const data = { name: m.name, layout: m.layout, down: down.kind === 'empty' ? down.path : '' };
    const help = dataOnly
      ? 'Write the statements that restore the data, or say in a comment in the down migration why the change cannot be undone.'
      : undefined;
    ctx.report({ ...range, messageId: down.kind, data, statement: first, help });
  },
});
