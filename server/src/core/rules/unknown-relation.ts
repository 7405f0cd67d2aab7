// unknown-relation: a query names a table or view that the project's migrations and schema files never create (or that a later migration dropped).
import { unknownNamesFor, unknownReport } from '../facts/unknown-names';
import { defineRule } from './rule';

export default defineRule({
  id: 'unknown-relation',
  category: 'schema-reference',
  severity: 'error',
  recommended: true,
  fix: 'unsafe',
  scope: 'all',
  messages: {
    unknown:
      'Relation {name} does not exist in this project\'s schema: no migration or schema file creates it (or a later migration dropped or renamed it), so PostgreSQL would fail with "relation does not exist".',
    suggest: "Relation {name} does not exist in this project's schema; did you mean {suggestion}?",
  },
  docs: {
    summary: "A query names a table or view that the project's schema does not have.",
    why:
      "pgdba builds the schema from the project's migrations (in their tool's order) and schema files, as PostgreSQL would. A query that names a relation " +
      'outside it fails at run time ("relation does not exist"), usually after a rename or a drop in a later migration. ' +
      'CTEs, temporary tables the file creates, system catalogs and the objects of contrib extensions the project creates are known. ' +
      'pgdba stays silent where the schema is visibly incomplete: a name qualified with a schema no migration creates, a project with no schema at all, or an extension whose objects pgdba cannot list. Queries in query files are checked, and the SQL in the body of every function as its latest CREATE OR REPLACE left it (in migrations too; PL/pgSQL variables and parameters are not columns; dynamic EXECUTE strings are not checked).',
    help: "Use the relation's current name, or add the migration that creates it.",
    bad: ['CREATE TABLE orders (id bigint PRIMARY KEY);\nSELECT id FROM order_items;'],
    good: [
      'CREATE TABLE orders (id bigint PRIMARY KEY);\nSELECT id FROM orders;',
      'CREATE TABLE orders (id bigint PRIMARY KEY);\nWITH recent AS (SELECT id FROM orders) SELECT id FROM recent;',
      'CREATE TABLE orders (id bigint PRIMARY KEY);\nSELECT relname FROM pg_class;',
    ],
  },
  checkStatement(ctx, stmt) {
    // Reports messageId 'unknown', 'suggest', as unknownReport chooses.
    for (const u of unknownNamesFor(ctx.facts, stmt)) if (u.kind === 'relation') ctx.report(unknownReport(u));
  },
});
