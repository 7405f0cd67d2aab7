// ban-drop-database: DROP DATABASE in a migration deletes everything.
import { leadingKeywords } from '../facts/relations';
import { as } from '../parse/ast';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-drop-database',
  category: 'migration-compat',
  severity: 'error',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    drop: 'DROP DATABASE {name} in a migration deletes the whole database and cannot be undone.',
  },
  docs: {
    summary: 'DROP DATABASE in a migration.',
    why: 'A migration runs against every environment, production included; DROP DATABASE there is unrecoverable without a backup.',
    help: 'Remove the statement; drop databases by hand, outside migrations.',
    bad: ['DROP DATABASE analytics;'],
    good: ['DROP TABLE IF EXISTS analytics_tmp;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'ban-drop-database', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'banDropDatabase', relation: 'same' },
  ],
  check(ctx) {
    for (const stmt of ctx.statements) {
      const d = as<{ dbname?: string }>(stmt.node, 'DropdbStmt');
      if (d) ctx.report({ ...leadingKeywords(ctx.parsed, stmt, 2), messageId: 'drop', data: { name: d.dbname ?? '' }, statement: stmt });
    }
  },
});
