// ban-truncate-cascade: TRUNCATE … CASCADE also empties every table with a foreign key to the named ones.
import type { RangeVar, TruncateStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { keywordRange, leadingKeywords } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-truncate-cascade',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    cascade: 'TRUNCATE {tables} CASCADE also empties every table that references them by foreign key, recursively, under ACCESS EXCLUSIVE locks.',
  },
  docs: {
    summary: 'TRUNCATE … CASCADE.',
    why: 'CASCADE silently extends the TRUNCATE to every table with a foreign key to the named ones, and to the tables referencing those; one statement can empty most of a schema.',
    help: 'Name every table to truncate explicitly and drop CASCADE, so a forgotten reference fails instead of deleting data.',
    bad: ['TRUNCATE users CASCADE;'],
    good: ['TRUNCATE users, sessions;'],
  },
  sources: [
    { tool: 'squawk', rule: 'ban-truncate-cascade', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'banTruncateCascade', relation: 'same' },
  ],
  check(ctx) {
    for (const stmt of ctx.statements) {
      if (stmt.kind !== 'TruncateStmt') continue;
      const t = as<TruncateStmt>(stmt.node, 'TruncateStmt');
      if (t?.behavior !== 'DROP_CASCADE') continue;
      const tables = (t.relations ?? []).map((r) => as<RangeVar>(r, 'RangeVar')?.relname ?? '').join(', ');
      const range = keywordRange(ctx.parsed, stmt, ['cascade']) ?? leadingKeywords(ctx.parsed, stmt, 1);
      ctx.report({ ...range, messageId: 'cascade', data: { tables }, statement: stmt });
    }
  },
});
