// prefer-timestamptz: timestamp without time zone drops the offset, so the same instant reads differently per client.
import { columnTypes } from '../facts/column-types';
import { defineRule } from './rule';

export default defineRule({
  id: 'prefer-timestamptz',
  category: 'schema-design',
  severity: 'info',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    naive:
      '{table}.{column} is timestamp without time zone: the UTC offset of every value written is dropped, so 10:00+02 and 10:00-06 are stored as the same time.',
  },
  docs: {
    summary: 'timestamp (without time zone) column.',
    why: 'timestamptz stores an instant (in UTC) and converts on the way in and out using the session TimeZone; timestamp stores wall-clock digits and silently discards any offset, which breaks as soon as two clients or servers disagree on the time zone. Both take 8 bytes. Definitions that a later migration in the workspace already changed or dropped are not reported.',
    help: 'Use timestamptz (timestamp with time zone).',
    bad: ['CREATE TABLE events (created_at timestamp NOT NULL DEFAULT now());'],
    good: ['CREATE TABLE events (created_at timestamptz NOT NULL DEFAULT now());'],
  },
  sources: [
    { tool: 'squawk', rule: 'prefer-timestamptz', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'preferTimestamptz', relation: 'same' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    for (const c of ctx.facts.get(columnTypes)) {
      // A later migration already changed the type or dropped the column: the advice would be history.
      if (!c.current) continue;
      if (c.base !== 'timestamp') continue;
      const written = ctx.parsed.text.slice(c.range.start, c.range.end);
      const precision = /\(\s*\d+\s*\)/.exec(written)?.[0].replace(/\s/g, '') ?? '';
      const arrays = written.match(/\[[^\]]*\]/g)?.join('') ?? '';
      const fix = { title: 'Use timestamptz', edits: [{ start: c.range.start, end: c.range.end, newText: `timestamptz${precision}${arrays}` }] };
      ctx.report({ ...c.range, messageId: 'naive', data: { table: c.tableText, column: c.column }, statement: c.stmt, fix });
    }
  },
});
