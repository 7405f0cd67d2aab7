// ban-drop-schema: DROP SCHEMA removes every object in it.
import type { DropStmt } from '@pgsql/types';
import { as, str } from '../parse/ast';
import { leadingKeywords, nameRange } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-drop-schema',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    drop: 'DROP SCHEMA {schema}{cascade} removes it for the application version still running; with CASCADE it deletes every table and function in it.',
  },
  docs: {
    summary: 'DROP SCHEMA in an up migration (schemas created earlier in the file excepted).',
    why: 'A schema holds tables, functions and types; dropping it (especially with CASCADE) deletes all of them at once and cannot be undone.',
    help: 'Drop the objects one by one after the application stopped using them, or suppress this with a reason.',
    bad: ['DROP SCHEMA reporting CASCADE;'],
    good: ['CREATE SCHEMA scratch;\nDROP SCHEMA scratch;'],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'postgres-language-server', rule: 'banDropSchema', relation: 'quieter' }],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const made = new Set<string>();
    for (const stmt of ctx.statements) {
      const cs = as<{ schemaname?: string }>(stmt.node, 'CreateSchemaStmt');
      if (cs?.schemaname) made.add(cs.schemaname);
      const drop = as<DropStmt>(stmt.node, 'DropStmt');
      if (drop?.removeType !== 'OBJECT_SCHEMA') continue;
      for (const o of drop.objects ?? []) {
        const name = str(o);
        if (!name || made.has(name)) continue;
        const range = nameRange(ctx.parsed, stmt.start, stmt.end, [name]) ?? leadingKeywords(ctx.parsed, stmt, 2);
        ctx.report({ ...range, messageId: 'drop', data: { schema: name, cascade: drop.behavior === 'DROP_CASCADE' ? ' CASCADE' : '' }, statement: stmt });
      }
    }
  },
});
