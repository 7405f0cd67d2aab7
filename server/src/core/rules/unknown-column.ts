// unknown-column: a query names a column that none of its tables has in the project's schema.
import { unknownNamesFor, unknownReport } from '../facts/unknown-names';
import { defineRule } from './rule';

export default defineRule({
  id: 'unknown-column',
  category: 'schema-reference',
  severity: 'error',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    unknown: 'Column {name} does not exist in {relation}: PostgreSQL would fail with "column does not exist".',
    suggest: 'Column {name} does not exist in {relation}; did you mean {suggestion}?',
  },
  docs: {
    summary: "A query names a column that its table does not have in the project's schema.",
    why:
      "Columns are checked against the table as the project's migrations and schema files leave it: a column renamed or dropped by a later migration, " +
      'or a typo, fails only at run time. A qualified column (`o.totl`) is checked against that relation; an unqualified one only when every relation ' +
      'of the statement is a table whose columns pgdba knows (no subquery, set-returning function, CTE or view in scope) and no output column has that name. ' +
      'System columns (ctid, xmin, …), whole-row references and `excluded.` in ON CONFLICT are understood. Queries in query files are checked, and the SQL in the body of every function as its latest CREATE OR REPLACE left it (in migrations too; PL/pgSQL variables and parameters are not columns; dynamic EXECUTE strings are not checked).',
    help: "Use the column's current name.",
    bad: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT o.totl FROM orders o;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nUPDATE orders SET totl = 0 WHERE id = $1;',
    ],
    good: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT o.total FROM orders o;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT total AS t FROM orders ORDER BY t;',
      'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\nSELECT x FROM orders, unnest(ARRAY[1, 2]) AS x;',
    ],
  },
  checkStatement(ctx, stmt) {
    // Reports messageId 'unknown', 'suggest', as unknownReport chooses.
    for (const u of unknownNamesFor(ctx.facts, stmt)) if (u.kind === 'column') ctx.report(unknownReport(u));
  },
});
