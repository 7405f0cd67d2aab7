// prefer-text: varchar(n) bakes an arbitrary length into the schema (opt-in).
import { columnTypes } from '../facts/column-types';
import { defineRule } from './rule';

export default defineRule({
  id: 'prefer-text',
  category: 'schema-design',
  severity: 'hint',
  recommended: false,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    limit:
      '{table}.{column} is {type}: the length limit lives in the type, so lowering it later rewrites the table, while a CHECK (length(…) <= n) can be replaced with NOT VALID.',
  },
  docs: {
    summary: 'varchar(n) column instead of text with a CHECK constraint (off by default).',
    why: 'text and varchar have the same storage and speed. Raising a varchar limit is cheap since PostgreSQL 9.2, so this is a style choice rather than a hazard and is off by default: turn it on if you prefer limits as CHECK constraints, which can be changed without rewriting the table. Definitions that a later migration in the workspace already changed or dropped are not reported.',
    help: 'Use text, with a CHECK (length(col) <= n) constraint if the limit matters.',
    bad: ['CREATE TABLE users (email varchar(255));'],
    good: ['CREATE TABLE users (email text CHECK (length(email) <= 255));'],
  },
  sources: [
    { tool: 'squawk', rule: 'prefer-text-field', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'preferTextField', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    for (const c of ctx.facts.get(columnTypes)) {
      // A later migration already changed the type or dropped the column: the advice would be history.
      if (!c.current) continue;
      if (c.base !== 'varchar' || (c.typeName.typmods ?? []).length === 0) continue;
      const type = ctx.parsed.text.slice(c.range.start, c.range.end);
      const arrays = type.match(/\[[^\]]*\]/g)?.join('') ?? '';
      const fix = { title: 'Use text', edits: [{ start: c.range.start, end: c.range.end, newText: `text${arrays}` }] };
      ctx.report({ ...c.range, messageId: 'limit', data: { table: c.tableText, column: c.column, type }, statement: c.stmt, fix });
    }
  },
});
