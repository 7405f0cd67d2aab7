// rename-column: renaming a column breaks the application version still running.
import type { RenameStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { nameRange, rangeVarRange, relationText } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'rename-column',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    rename:
      'RENAME COLUMN {column} TO {to} on {table}: queries of the application version still running that name {column} fail from this moment (and it takes an ACCESS EXCLUSIVE lock).',
  },
  docs: {
    summary: 'Column renamed on an existing table in an up migration.',
    why: 'The running application keeps using the old name until the new version is deployed everywhere; every query naming the old column fails in between.',
    help: 'Add the new column, write to both, backfill, move readers over, then drop the old column in a later migration.',
    bad: ['ALTER TABLE users RENAME COLUMN name TO full_name;'],
    good: ['CREATE TABLE users (name text);\nALTER TABLE users RENAME COLUMN name TO full_name;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'renaming-column', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'renamingColumn', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const created = ctx.facts.get(createdInFile);
    for (const stmt of ctx.statements) {
      const r = as<RenameStmt>(stmt.node, 'RenameStmt');
      if (r?.renameType !== 'OBJECT_COLUMN' || r.relationType !== 'OBJECT_TABLE' || !r.relation || !r.subname) continue;
      if (created.isNewColumn(r.relation, r.subname, stmt)) continue;
      const from = rangeVarRange(ctx.parsed, r.relation, stmt).end;
      const range = nameRange(ctx.parsed, from, stmt.end, [r.subname], true) ?? stmt;
      ctx.report({
        start: range.start,
        end: range.end,
        messageId: 'rename',
        data: { column: r.subname, to: r.newname ?? '', table: relationText(r.relation) },
        statement: stmt,
      });
    }
  },
});
