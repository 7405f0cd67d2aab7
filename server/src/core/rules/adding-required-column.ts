// adding-required-column: ADD COLUMN … NOT NULL without a DEFAULT fails on any table that already has rows.
import { alterCommands, columnConstraints } from '../facts/alter-commands';
import { strs } from '../parse/ast';
import { defineRule } from './rule';

const SELF_FILLING = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export default defineRule({
  id: 'adding-required-column',
  category: 'migration-compat',
  severity: 'error',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    required:
      'ADD COLUMN {column} is NOT NULL without a DEFAULT: it fails with "column contains null values" as soon as {table} has a row, and inserts from the current application version (which omit it) fail afterwards.',
  },
  docs: {
    summary: 'NOT NULL column without a DEFAULT added to an existing table.',
    why: 'Existing rows would get NULL in the new column, so PostgreSQL refuses the ALTER on a non-empty table; on an empty one it succeeds, and then every INSERT from code that does not know the column fails.',
    help: 'Add the column with a DEFAULT (instant since PostgreSQL 11), or add it nullable, backfill it, and set NOT NULL later.',
    bad: ['ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;'],
    good: [
      'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;',
      'ALTER TABLE users ADD COLUMN tenant_id bigint;',
      'CREATE TABLE users (id int);\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'adding-required-field', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'addingRequiredField', relation: 'same' },
  ],
  check(ctx) {
    for (const c of ctx.facts.get(alterCommands)) {
      if (!c.column || c.transient) continue;
      const cons = columnConstraints(c.column);
      const required = cons.some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY');
      // Identity, serial and generated columns compute a value for existing rows themselves.
      const fills = cons.some((k) => k.contype === 'CONSTR_DEFAULT' || k.contype === 'CONSTR_IDENTITY' || k.contype === 'CONSTR_GENERATED');
      const type = strs(c.column.typeName?.names).pop()?.toLowerCase() ?? '';
      if (!required || fills || SELF_FILLING.has(type)) continue;
      ctx.report({ ...c.range, messageId: 'required', data: { column: c.column.colname ?? '', table: c.display }, statement: c.stmt });
    }
  },
});
