// unbounded-write: UPDATE or DELETE with no WHERE clause touches every row of the table.
import type { DeleteStmt, UpdateStmt } from '@pgsql/types';
import { routineQueries } from '../facts/body-queries';
import { triviallyTrue } from '../facts/query-scopes';
import { as, locationOf } from '../parse/ast';
import { defineRule, type RuleContext } from './rule';

export default defineRule({
  id: 'unbounded-write',
  category: 'unbounded',
  severity: 'error',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    update: 'UPDATE of {table} has no WHERE clause: it rewrites every row and holds a ROW EXCLUSIVE lock with row locks on all of them.',
    delete: 'DELETE from {table} has no WHERE clause: it removes every row (use TRUNCATE if that is the intent).',
    updateAlways:
      'UPDATE of {table} has a WHERE clause that is always true: it rewrites every row and holds a ROW EXCLUSIVE lock with row locks on all of them.',
    deleteAlways: 'DELETE from {table} has a WHERE clause that is always true: it removes every row (use TRUNCATE if that is the intent).',
  },
  docs: {
    summary: 'UPDATE or DELETE without a WHERE clause, or with one that is always true (`WHERE true`, `WHERE 1 = 1`).',
    why: 'A missing WHERE is the classic production accident: every row is changed or deleted, row locks are taken on all of them, and the table bloats until vacuum catches up. In migration files a whole-table UPDATE is usually a deliberate backfill and is left to the migration-lock rules unless `unbounded.checkMigrationBackfills` is on; a DELETE of every row is reported everywhere.',
    help: 'Add a WHERE clause that selects the rows you mean, or suppress with a reason when every row is intended.',
    bad: [
      "UPDATE accounts SET plan = 'free';",
      'DELETE FROM sessions;',
      'WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone;',
      'DELETE FROM sessions WHERE 1 = 1;',
    ],
    good: [
      "UPDATE accounts SET plan = 'free' WHERE id = 42;",
      'DELETE FROM sessions WHERE expires_at < now();',
      'DELETE FROM sessions WHERE CURRENT OF session_cursor;',
    ],
  },
  sources: [{ tool: 'postgres-language-server', rule: 'noUnboundedUpdateDelete', relation: 'inspired' }],
  checkStatement(ctx, stmt) {
    // A migration's whole-table UPDATE is a backfill, written on purpose (migration-lock rules judge its locks);
    // deleting every row is reported everywhere.
    const migration = ctx.file.role === 'migration-up' || ctx.file.role === 'migration-down';
    const backfillsExempt = migration && !ctx.config.unbounded.checkMigrationBackfills;
    // A routine's body is checked through its queries (also a BEGIN ATOMIC body, which is part of the statement's AST).
    if (stmt.kind !== 'CreateFunctionStmt') checkNode(ctx, stmt.node, stmt.start, backfillsExempt);
    // Function bodies are runtime code wherever they are defined: no backfill exemption. A DO block follows the file.
    const rq = ctx.file.role === 'plain' || ctx.file.role === 'migration-up' ? routineQueries(ctx, stmt) : undefined;
    for (const q of rq?.queries ?? []) checkNode(ctx, q.statement.node, q.statement.start, rq?.routine.kind === 'do' && backfillsExempt);
  },
});

function checkNode(ctx: RuleContext, root: unknown, fallback: number, backfillsExempt: boolean): void {
  // Data-changing CTEs count too: WITH x AS (DELETE FROM t) ... deletes every row of t.
  const targets: { kind: 'update' | 'delete'; node: UpdateStmt | DeleteStmt }[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const u = as<UpdateStmt>(node, 'UpdateStmt');
    const d = as<DeleteStmt>(node, 'DeleteStmt');
    if (u) targets.push({ kind: 'update', node: u });
    if (d) targets.push({ kind: 'delete', node: d });
    for (const k in node) visit((node as Record<string, unknown>)[k]);
  };
  visit(root);
  for (const t of targets) {
    const always = triviallyTrue(t.node.whereClause);
    if (t.node.whereClause && !always) continue;
    if (t.kind === 'update' && backfillsExempt) continue;
    const rel = t.node.relation;
    const at = locationOf({ RangeVar: rel });
    const start = at >= 0 ? at : fallback;
    const name = rel?.relname ?? 'the table';
    const table = rel?.schemaname ? `${rel.schemaname}.${name}` : name;
    ctx.report({
      start,
      end: start + (at >= 0 ? ctx.parsed.text.slice(start).search(/[\s;(]|$/) : 6),
      messageId: always ? (t.kind === 'update' ? 'updateAlways' : 'deleteAlways') : t.kind,
      data: { table },
    });
  }
}
