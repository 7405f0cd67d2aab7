// prefer-jsonb: json stores raw text, re-parsed on every access and not indexable with GIN.
import { columnTypes } from '../facts/column-types';
import { defineRule } from './rule';

export default defineRule({
  id: 'prefer-jsonb',
  category: 'schema-design',
  severity: 'info',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    json: '{table}.{column} is json: it keeps the raw text, is re-parsed on every access, has no equality operator and cannot be GIN-indexed.',
  },
  docs: {
    summary: 'json column instead of jsonb.',
    why: 'jsonb is stored decomposed: faster to query, supports containment operators, equality, and GIN indexes. json only makes sense when you must keep the exact input text (key order, duplicate keys, whitespace). Definitions that a later migration in the workspace already changed or dropped are not reported.',
    help: 'Use jsonb unless the exact input text must be preserved.',
    bad: ['CREATE TABLE events (payload json);'],
    good: ['CREATE TABLE events (payload jsonb);'],
  },
  sources: [{ tool: 'postgres-language-server', rule: 'preferJsonb', relation: 'same' }],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    for (const c of ctx.facts.get(columnTypes)) {
      // A later migration already changed the type or dropped the column: the advice would be history.
      if (!c.current) continue;
      if (c.base !== 'json') continue;
      const type = ctx.parsed.text.slice(c.range.start, c.range.end);
      const fix = { title: 'Use jsonb', edits: [{ start: c.range.start, end: c.range.end, newText: type.replace(/^json/i, 'jsonb') }] };
      ctx.report({ ...c.range, messageId: 'json', data: { table: c.tableText, column: c.column }, statement: c.stmt, fix });
    }
  },
});
