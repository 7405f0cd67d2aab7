// rename-table: renaming a table breaks the application version still running.
import type { RenameStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { rangeVarRange, relationText } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'rename-table',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    rename:
      'RENAME {table} TO {to}: queries of the application version still running that name {table} fail from this moment (and it takes an ACCESS EXCLUSIVE lock).',
  },
  docs: {
    summary: 'Table renamed in an up migration.',
    why: 'Old code keeps querying the old name during a deploy. The swap pattern (create a new table, fill it, rename it over the old one) is fine when the new table was created in the same file, and is not flagged.',
    help: 'Rename the table and create a view with the old name in the same transaction, then drop the view once no code uses it.',
    bad: ['ALTER TABLE users RENAME TO accounts;'],
    good: ['CREATE TABLE users_new (id bigint);\nALTER TABLE users_new RENAME TO users_v2;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'renaming-table', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'renamingTable', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const created = ctx.facts.get(createdInFile);
    for (const stmt of ctx.statements) {
      const r = as<RenameStmt>(stmt.node, 'RenameStmt');
      if (r?.renameType !== 'OBJECT_TABLE' || !r.relation || created.isNewTable(r.relation, stmt)) continue;
      ctx.report({
        ...rangeVarRange(ctx.parsed, r.relation, stmt),
        messageId: 'rename',
        data: { table: relationText(r.relation), to: r.newname ?? '' },
        statement: stmt,
      });
    }
  },
});
