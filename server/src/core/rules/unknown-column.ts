// unknown-column: a query names a column that none of its tables has in the project's schema.
import { unknownNamesOf } from '../facts/unknown-names';
import { defineRule } from './rule';

export default defineRule({
  id: 'unknown-column',
  category: 'schema-reference',
  severity: 'error',
  recommended: true,
  fix: 'unsafe',
  scope: 'query',
  messages: {
    unknown: 'Column {name} does not exist in {relation}: PostgreSQL would fail with "column does not exist".',
    suggest: 'Column {name} does not exist in {relation}; did you mean {suggestion}?',
  },
  docs: {
    summary: 'A query names a column that its table does not have in the project\'s schema.',
    why:
      'Columns are checked against the table as the project\'s migrations and schema files leave it: a column renamed or dropped by a later migration, ' +
      'or a typo, fails only at run time. A qualified column (`o.totl`) is checked against that relation; an unqualified one only when every relation ' +
      'of the statement is a table whose columns pgdba knows (no subquery, set-returning function, CTE or view in scope) and no output column has that name. ' +
      'System columns (ctid, xmin, …), whole-row references and `excluded.` in ON CONFLICT are understood.',
    help: 'Use the column\'s current name.',
    bad: ['CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT o.totl FROM orders o;', 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nUPDATE orders SET totl = 0 WHERE id = $1;'],
    good: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT o.total FROM orders o;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT total AS t FROM orders ORDER BY t;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT x FROM orders, unnest(ARRAY[1, 2]) AS x;',
    ],
  },
  checkStatement(ctx, stmt) {
    for (const u of unknownNamesOf(ctx.facts, stmt)) {
      if (u.kind !== 'column') continue;
      ctx.report({
        start: u.start,
        end: u.end,
        messageId: u.suggestion ? 'suggest' : 'unknown',
        data: { name: u.name, relation: u.relation ?? '', suggestion: u.suggestion ?? '' },
        fix: u.suggestion ? { title: `Change to ${u.suggestion}`, edits: [{ start: u.start, end: u.end, newText: u.suggestion }] } : undefined,
      });
    }
  },
});
