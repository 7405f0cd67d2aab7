// add-serial-or-generated-column: a serial, identity or STORED generated column added to an existing table fills every row by rewriting it.
import { alterCommands, columnConstraints } from '../facts/alter-commands';
import { strs } from '../parse/ast';
import { defineRule } from './rule';

const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export default defineRule({
  id: 'add-serial-or-generated-column',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    serial:
      'ADD COLUMN {column} {type} fills every existing row from a sequence, rewriting {table} under an ACCESS EXCLUSIVE lock that blocks reads, writes and DDL.',
    identity:
      'ADD COLUMN {column} … GENERATED AS IDENTITY fills every existing row from a sequence, rewriting {table} under an ACCESS EXCLUSIVE lock that blocks reads, writes and DDL.',
    stored:
      'ADD COLUMN {column} … GENERATED ALWAYS AS (…) STORED computes and writes the value for every row, rewriting {table} under an ACCESS EXCLUSIVE lock that blocks reads, writes and DDL.',
  },
  docs: {
    summary: 'Serial, identity or STORED generated column added to an existing table.',
    why: 'These columns need a value in every existing row: the sequence (nextval is volatile) or the generation expression is evaluated row by row, and PostgreSQL rewrites the whole table while holding ACCESS EXCLUSIVE.',
    help: 'Add a plain nullable column, backfill it in batches (with a trigger for new rows), then attach the sequence default or constraint.',
    bad: ['ALTER TABLE events ADD COLUMN seq bigserial;', 'ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;'],
    good: [
      'ALTER TABLE events ADD COLUMN seq bigint;',
      'CREATE TABLE users (email text);\nALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'adding-field-with-default', relation: 'same' },
    { tool: 'squawk', rule: 'adding-serial-primary-key-field', relation: 'inspired' },
    { tool: 'postgres-language-server', rule: 'addSerialColumn', relation: 'same' },
  ],
  check(ctx) {
    for (const c of ctx.facts.get(alterCommands)) {
      if (!c.column || c.transient) continue;
      const type = strs(c.column.typeName?.names).pop()?.toLowerCase() ?? '';
      const data = { column: c.column.colname ?? '', table: c.display, type };
      if (SERIAL.has(type)) ctx.report({ ...c.range, messageId: 'serial', data, statement: c.stmt });
      for (const con of columnConstraints(c.column)) {
        if (con.contype === 'CONSTR_IDENTITY') ctx.report({ ...c.range, messageId: 'identity', data, statement: c.stmt });
        if (con.contype === 'CONSTR_GENERATED') ctx.report({ ...c.range, messageId: 'stored', data, statement: c.stmt });
      }
    }
  },
});
