// unknown-function: a query calls a function that neither PostgreSQL, the project's extensions nor its schema define, or calls a project function with the wrong number of arguments.
import { unknownNamesFor, unknownReport } from '../facts/unknown-names';
import { defineRule } from './rule';

export default defineRule({
  id: 'unknown-function',
  category: 'schema-reference',
  severity: 'error',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    unknown: 'Function {name} does not exist: neither PostgreSQL, the extensions this project creates, nor its migrations define it.',
    suggest: 'Function {name} does not exist; did you mean {suggestion}?',
    arity: 'Function {name} takes {expected} arguments, not {given}: PostgreSQL would fail with "function does not exist".',
  },
  docs: {
    summary: 'A query calls a function that does not exist, or a project function with the wrong number of arguments.',
    why:
      "Functions are looked up among PostgreSQL's own (the full pg_catalog list), those of the contrib extensions the project creates, and the project's " +
      'own functions as its migrations leave them. A call that matches none fails at run time. Arguments with DEFAULT and VARIADIC ones are understood. ' +
      "A function qualified with a schema no migration creates (e.g. Supabase's `auth.uid()`), or a project using an extension pgdba cannot list, is not reported. Queries in query files are checked, and the SQL in the body of every function as its latest CREATE OR REPLACE left it (in migrations too; PL/pgSQL variables and parameters are not columns; dynamic EXECUTE strings are not checked).",
    help: 'Call an existing function, or add the migration that creates it.',
    bad: [
      'CREATE FUNCTION order_total(p_id bigint) RETURNS numeric LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE TABLE orders (id bigint);\nSELECT order_total(id, 2) FROM orders;',
      'CREATE TABLE orders (id bigint);\nSELECT order_totl(id) FROM orders;',
    ],
    good: [
      "CREATE FUNCTION order_total(p_id bigint, p_tax numeric DEFAULT 0) RETURNS numeric LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE TABLE orders (id bigint);\nSELECT order_total(id), lower('A'), now() FROM orders;",
      "CREATE EXTENSION pg_trgm;\nCREATE TABLE orders (id bigint, note text);\nSELECT similarity(note, 'x') FROM orders;",
    ],
  },
  checkStatement(ctx, stmt) {
    // Reports messageId 'unknown', 'suggest', 'arity', as unknownReport chooses.
    for (const u of unknownNamesFor(ctx.facts, stmt)) if (u.kind === 'function') ctx.report(unknownReport(u));
  },
});
