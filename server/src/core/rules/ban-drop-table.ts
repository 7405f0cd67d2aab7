// ban-drop-table: DROP TABLE in an up migration deletes data and breaks the application version still running.
import type { DropStmt } from '@pgsql/types';
import { as, listName } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { nameRange } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-drop-table',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    drop: 'DROP TABLE {table} deletes its data and breaks every query of the application version still running (it waits for an ACCESS EXCLUSIVE lock first).',
  },
  docs: {
    summary: 'DROP TABLE of an existing table in an up migration.',
    why: 'Dropping a table is irreversible and the old application version fails on every query that touches it during the deploy. Tables created earlier in the same file and down migrations are not flagged.',
    help: 'Stop using the table in a deploy first, then drop it in a later migration (keep a backup), and suppress this with a reason.',
    bad: ['DROP TABLE legacy_events;'],
    good: ['CREATE TABLE tmp (a int);\nDROP TABLE tmp;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'ban-drop-table', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'banDropTable', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const created = ctx.facts.get(createdInFile);
    for (const stmt of ctx.statements) {
      const drop = as<DropStmt>(stmt.node, 'DropStmt');
      if (drop?.removeType !== 'OBJECT_TABLE') continue;
      for (const o of drop.objects ?? []) {
        const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items ?? []);
        if (!q || created.isNewTable(q, stmt)) continue;
        const parts = q.schema ? [q.schema, q.name] : [q.name];
        const range = nameRange(ctx.parsed, stmt.start, stmt.end, parts) ?? stmt;
        ctx.report({ start: range.start, end: range.end, messageId: 'drop', data: { table: parts.join('.') }, statement: stmt });
      }
    }
  },
});
