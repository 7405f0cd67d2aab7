// set-not-null-without-check: SET NOT NULL on an existing table scans it under ACCESS EXCLUSIVE unless a valid CHECK proves it.
import type { Constraint } from '@pgsql/types';
import { alterCommands, type AlterCommand } from '../facts/alter-commands';
import { as, strs } from '../parse/ast';
import { afterSemicolon, quoteIdent, truncateIdent } from '../facts/relations';
import { transactions } from '../facts/transactions';
import { defineRule } from './rule';

/** The column a `CHECK (col IS NOT NULL)` constraint proves non-null, if that is all it says. */
function notNullColumn(con: Constraint | undefined): string | undefined {
  const t = as<{ arg?: unknown; nulltesttype?: string }>(con?.raw_expr, 'NullTest');
  if (con?.contype !== 'CONSTR_CHECK' || t?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return strs(as<{ fields?: unknown[] }>(t.arg, 'ColumnRef')?.fields).pop();
}

export default defineRule({
  id: 'set-not-null-without-check',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    scan: 'SET NOT NULL on {table}.{column} scans every row under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL until the scan ends.',
    oldPg:
      'SET NOT NULL on {table}.{column} scans every row under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL (before PostgreSQL 12 no CHECK constraint can spare the scan).',
  },
  docs: {
    summary: 'ALTER COLUMN … SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL).',
    why: 'SET NOT NULL verifies every row while holding ACCESS EXCLUSIVE. Since PostgreSQL 12 it skips the scan when a valid CHECK (col IS NOT NULL) constraint already proves it, and that CHECK can be added NOT VALID and validated under a weak lock.',
    help: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a separate transaction, then SET NOT NULL and drop the CHECK.',
    bad: ['ALTER TABLE users ALTER COLUMN email SET NOT NULL;'],
    good: [
      'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      'CREATE TABLE users (email text);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'adding-not-nullable-field', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'addingNotNullField', relation: 'same' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    const pg12 = ctx.config.postgres.version >= 12;
    // Constraints added or validated so far in the file: table → constraint name → the column it proves (or '?').
    const proven = new Map<string, Set<string>>();
    const checks = new Map<string, { column?: string; valid: boolean }>();
    const prove = (table: string, column: string) => proven.set(table, new Set([...(proven.get(table) ?? []), column]));
    const validatedElsewhere = new Map<string, string[]>();
    const all: AlterCommand[] = ctx.facts.get(alterCommands);
    for (const c of all) {
      const col = notNullColumn(c.constraint);
      if (c.constraint?.conname) checks.set(`${c.table}\u0000${c.constraint.conname}`, { column: col, valid: !c.constraint.skip_validation });
      if (col && !c.constraint?.skip_validation) prove(c.table, col);
      if (c.cmd.subtype === 'AT_ValidateConstraint' && c.cmd.name) {
        const known = checks.get(`${c.table}\u0000${c.cmd.name}`);
        if (known?.column) prove(c.table, known.column);
        // A constraint added by an earlier migration: trust a name that mentions the column (users_email_not_null).
        if (!known) validatedElsewhere.set(c.table, [...(validatedElsewhere.get(c.table) ?? []), c.cmd.name]);
      }
      if (c.cmd.subtype !== 'AT_SetNotNull' || c.transient || !c.cmd.name) continue;
      const column = c.cmd.name;
      if (pg12 && proven.get(c.table)?.has(column)) continue;
      if (pg12 && validatedElsewhere.get(c.table)?.some((n) => n.includes(column))) continue;
      if (pg12 && catalogProves(ctx.catalog.tables.get(c.table)?.constraints ?? [], column)) continue;
      const data = { table: c.display, column };
      if (!pg12) {
        ctx.report({
          ...c.range,
          messageId: 'oldPg',
          data,
          statement: c.stmt,
          help: 'Before PostgreSQL 12, keep a validated CHECK (col IS NOT NULL) constraint instead of NOT NULL, or run this in a maintenance window.',
        });
        continue;
      }
      let fix;
      if (!tx.inTransaction(c.stmt) && (c.alter.cmds ?? []).length === 1) {
        const table = ctx.parsed.text.slice(c.tableRange.start, c.tableRange.end);
        const name = quoteIdent(truncateIdent(`${c.table.split('.').pop()}_${column}_not_null`));
        const col = quoteIdent(column);
        const text = [
          `ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (${col} IS NOT NULL) NOT VALID;`,
          `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`,
          `ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL;`,
          `ALTER TABLE ${table} DROP CONSTRAINT ${name};`,
        ].join('\n');
        fix = {
          title: 'Prove NOT NULL with a validated CHECK first',
          edits: [{ start: c.stmt.start, end: afterSemicolon(ctx.parsed, c.stmt), newText: text }],
        };
      }
      ctx.report({ ...c.range, messageId: 'scan', data, statement: c.stmt, fix });
    }
  },
});

/** A valid CHECK in the workspace catalog whose name mentions the column and "null" (the catalog keeps no expressions). */
function catalogProves(constraints: { type: string; name?: string; notValid: boolean }[], column: string): boolean {
  return constraints.some((k) => k.type === 'check' && !k.notValid && !!k.name && k.name.includes(column) && /null/i.test(k.name));
}
