// ban-char-field: char(n) pads values with spaces and saves no space over text.
import { columnTypes } from '../facts/column-types';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-char-field',
  category: 'schema-design',
  severity: 'info',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    padded:
      '{table}.{column} is {type}: values are blank-padded to the length, trailing spaces are ignored in comparisons but not in LIKE or concatenation, and it takes no less space than text.',
  },
  docs: {
    summary: 'char(n) / character(n) column.',
    why: 'character(n) pads with spaces and strips them inconsistently across operators; it is never faster or smaller than text or varchar in PostgreSQL. For fixed-format values such as UUIDs or codes, use the proper type (uuid) or text with a CHECK. Definitions that a later migration in the workspace already changed or dropped are not reported.',
    help: 'Use text (with a CHECK on length if needed), or uuid for UUIDs.',
    bad: ['CREATE TABLE users (country char(2));'],
    good: ['CREATE TABLE users (country text CHECK (length(country) = 2));'],
  },
  sources: [
    { tool: 'squawk', rule: 'ban-char-field', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'banCharField', relation: 'same' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    for (const c of ctx.facts.get(columnTypes)) {
      // A later migration already changed the type or dropped the column: the advice would be history.
      if (!c.current) continue;
      // bpchar is char(n) / character(n); the single-byte "char" type is a different, internal type.
      if (c.base !== 'bpchar') continue;
      const type = ctx.parsed.text.slice(c.range.start, c.range.end);
      const arrays = type.match(/\[[^\]]*\]/g)?.join('') ?? '';
      const fix = { title: 'Use text', edits: [{ start: c.range.start, end: c.range.end, newText: `text${arrays}` }] };
      ctx.report({ ...c.range, messageId: 'padded', data: { table: c.tableText, column: c.column, type }, statement: c.stmt, fix });
    }
  },
});
