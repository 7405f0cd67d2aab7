// unique-constraint-without-index: UNIQUE / PRIMARY KEY / EXCLUDE added to an existing table builds its index under ACCESS EXCLUSIVE.
import { alterCommands, columnConstraints } from '../facts/alter-commands';
import { strs } from '../parse/ast';
import { afterSemicolon, quoteIdent } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Fix } from './rule';
import { defineRule } from './rule';

const KIND: Record<string, string> = { CONSTR_UNIQUE: 'UNIQUE', CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_EXCLUSION: 'EXCLUDE' };

export default defineRule({
  id: 'unique-constraint-without-index',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    constraint: 'ADD {kind} builds its index on {table} while holding an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole build.',
    exclusion:
      'ADD EXCLUDE builds its index on {table} while holding an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole build (exclusion constraints cannot use a prebuilt index).',
    column: 'ADD COLUMN {column} {kind} builds an index on {table} while holding an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole build.',
  },
  docs: {
    summary: 'UNIQUE, PRIMARY KEY or EXCLUDE constraint added to an existing table without a prebuilt index.',
    why: 'ALTER TABLE … ADD UNIQUE / PRIMARY KEY creates its index while holding ACCESS EXCLUSIVE, so the table is unreadable for the whole build. Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT … USING INDEX, which is instant (a PRIMARY KEY still needs its columns NOT NULL).',
    help: 'Build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX.',
    bad: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'ALTER TABLE users ADD PRIMARY KEY (id);'],
    good: [
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
      'CREATE TABLE users (id bigint, email text);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'disallowed-unique-constraint', relation: 'quieter' },
    { tool: 'squawk', rule: 'adding-serial-primary-key-field', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'disallowUniqueConstraint', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'addingPrimaryKeyConstraint', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'avoidAddingExclusionConstraint', relation: 'quieter' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.transient) continue;
      const con = c.constraint;
      if (con && KIND[con.contype ?? ''] && !con.indexname) {
        const at = typeof con.location === 'number' && con.location >= c.range.start ? con.location : c.range.start;
        const kind = KIND[con.contype ?? ''];
        const keys = strs(con.keys);
        let fix: Fix | undefined;
        // The two-step recipe needs: no transaction (CONCURRENTLY), a name, plain key columns, no INCLUDE / WITH / DEFERRABLE.
        const plain = keys.length > 0 && !con.including?.length && !con.options?.length && !con.deferrable && !con.indexspace;
        if (kind !== 'EXCLUDE' && con.conname && plain && !tx.inTransaction(c.stmt) && (c.alter.cmds ?? []).length === 1) {
          const table = ctx.parsed.text.slice(c.tableRange.start, c.tableRange.end);
          const name = quoteIdent(con.conname);
          const end = afterSemicolon(ctx.parsed, c.stmt);
          const text =
            `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${keys.map(quoteIdent).join(', ')});\n` +
            `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name};`;
          fix = { title: 'Build the index concurrently, then attach it', edits: [{ start: c.stmt.start, end, newText: text }] };
        }
        ctx.report({
          start: at,
          end: c.range.end,
          messageId: kind === 'EXCLUDE' ? 'exclusion' : 'constraint',
          data: { kind, table: c.display },
          statement: c.stmt,
          fix,
        });
      }
      for (const k of columnConstraints(c.column)) {
        const kind = KIND[k.contype ?? ''];
        if (!kind) continue;
        const help = `Add the column first, build its index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … ${kind} USING INDEX.`;
        ctx.report({ ...c.range, messageId: 'column', data: { column: c.column?.colname ?? '', kind, table: c.display }, statement: c.stmt, help });
      }
    }
  },
});
