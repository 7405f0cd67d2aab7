// missing-dependency: a migration uses a relation or an extension's operator class that no earlier migration creates, so PostgreSQL refuses it on a fresh database.
import { nameRange } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'missing-dependency',
  category: 'schema-reference',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    refused:
      "PostgreSQL refuses this statement on the schema the earlier migrations build: {reason}. On a fresh database (CI, a new environment, pgdba's own engine) the migration fails here, and nothing it would have made exists for later statements.",
  },
  docs: {
    summary: 'A migration depends on a relation or an extension that no earlier migration creates.',
    why:
      "pgdba applies the project's migrations in their tool's order, as PostgreSQL would, and leaves out a statement PostgreSQL refuses: a foreign key, " +
      'partition or inheritance parent naming a relation that does not exist yet, an ALTER TABLE or CREATE INDEX on a table that is not there, an index ' +
      'using an operator class of a contrib extension (gin_trgm_ops of pg_trgm, gist_int4_ops of btree_gist…) that no migration creates. ' +
      'Such a project only migrates on a database someone prepared by hand, so a fresh environment, a CI database or a restore into a clean cluster fails. ' +
      'A relation that a DO block may create, or that an extension pgdba has no object list for may provide, gets the benefit of the doubt. ' +
      "A Supabase project (migrations in supabase/migrations) starts from the platform's schemas, as its database does: `REFERENCES auth.users` is not reported, nor a relation pgdba does not model in those schemas (realtime, vault…). " +
      'Schema files are not checked: their order is not defined by a tool (sqlc reads them in any order).',
    help: "Create the dependency in an earlier migration (CREATE EXTENSION IF NOT EXISTS pg_trgm; the referenced table), or move this statement after it. If another tool creates it (a shared library's migrations), suppress the finding with that reason.",
    bad: [
      'CREATE TABLE tuples (id uuid PRIMARY KEY, nid uuid REFERENCES networks (id));',
      'CREATE TABLE devices (name text);\nCREATE INDEX devices_name_trgm ON devices USING gin (name gin_trgm_ops);',
    ],
    good: [
      'CREATE TABLE networks (id uuid PRIMARY KEY);\nCREATE TABLE tuples (id uuid PRIMARY KEY, nid uuid REFERENCES networks (id));',
      'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE devices (name text);\nCREATE INDEX devices_name_trgm ON devices USING gin (name gin_trgm_ops);',
    ],
  },
  checkStatement(ctx, stmt) {
    if (ctx.file.role !== 'migration-up') return;
    for (const r of ctx.catalog.rejected ?? []) {
      // Statements refused only because an earlier refused one did not make their table: the cause is reported there.
      if (r.file !== ctx.file.path || r.start !== stmt.start || r.consequence) continue;
      const range = nameRange(ctx.parsed, stmt.start, stmt.end, r.name) ?? { start: stmt.start, end: stmt.end };
      ctx.report({ ...range, messageId: 'refused', data: { reason: r.reason }, statement: stmt });
    }
  },
});
