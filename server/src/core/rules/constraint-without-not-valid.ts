// constraint-without-not-valid: CHECK / FOREIGN KEY added to an existing table is validated by a full scan under lock.
import type { AlterDomainStmt, Constraint } from '@pgsql/types';
import { alterCommands, columnConstraints, type AlterCommand } from '../facts/alter-commands';
import { as, listName, qnameText } from '../parse/ast';
import { afterSemicolon, quoteIdent, relationText, type Range } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import type { Fix, RuleContext } from './rule';
import { defineRule } from './rule';

function constraintRange(con: Constraint, c: AlterCommand): Range {
  const at = typeof con.location === 'number' && con.location >= c.range.start ? con.location : c.range.start;
  return { start: at, end: c.range.end };
}

/** NOT VALID on the subcommand, then VALIDATE in its own statement: same end state, no long lock. */
function splitFix(ctx: RuleContext, stmt: Statement, at: number, kind: 'TABLE' | 'DOMAIN', target: string, name: string): Fix {
  const end = afterSemicolon(ctx.parsed, stmt);
  const validate = `\nALTER ${kind} ${target} VALIDATE CONSTRAINT ${quoteIdent(name)};`;
  const title = 'Add NOT VALID and validate in a separate statement';
  // Without a terminating semicolon both insertions land at the same offset: make them one edit.
  if (end === at) return { title, edits: [{ start: at, end: at, newText: ` NOT VALID;${validate}` }] };
  return {
    title,
    edits: [
      { start: at, end: at, newText: ' NOT VALID' },
      { start: end, end, newText: validate },
    ],
  };
}

export default defineRule({
  id: 'constraint-without-not-valid',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    check: 'ADD CONSTRAINT {name} CHECK scans every row of {table} under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL until the scan ends.',
    foreign:
      'ADD CONSTRAINT {name} FOREIGN KEY scans every row of {table} while holding SHARE ROW EXCLUSIVE locks on {table} and {ref}, blocking writes to both.',
    columnCheck: 'ADD COLUMN {column} with a CHECK constraint scans every row of {table} under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL.',
    columnForeign:
      'ADD COLUMN {column} REFERENCES {ref} validates the new foreign key with a scan of {table} while holding SHARE ROW EXCLUSIVE locks on {table} and {ref}, blocking writes to both.',
    domain:
      'ALTER DOMAIN {name} ADD CONSTRAINT checks every column of that type in every table, holding a SHARE lock (blocking writes) on each table it scans.',
  },
  docs: {
    summary: 'CHECK or FOREIGN KEY added to an existing table without NOT VALID.',
    why: 'Adding a CHECK or FOREIGN KEY constraint validates every existing row while holding a lock that blocks writes (ACCESS EXCLUSIVE for CHECK, which also blocks reads). With NOT VALID the constraint is added instantly and applies to new rows; a later ALTER TABLE … VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE, which lets reads and writes through. Run the VALIDATE in a separate transaction, or it inherits the first lock.',
    help: 'Add the constraint NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction.',
    bad: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);',
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);',
    ],
    good: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;',
      'CREATE TABLE orders (id bigint, total numeric);\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'constraint-missing-not-valid', relation: 'quieter' },
    { tool: 'squawk', rule: 'adding-foreign-key-constraint', relation: 'quieter' },
    { tool: 'squawk', rule: 'ban-alter-domain-with-add-constraint', relation: 'inspired' },
    { tool: 'postgres-language-server', rule: 'constraintMissingNotValid', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'addingForeignKeyConstraint', relation: 'quieter' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.transient) continue;
      const inTx = tx.inTransaction(c.stmt);
      if (c.constraint && !c.constraint.skip_validation) {
        const con = c.constraint;
        if (con.contype !== 'CONSTR_CHECK' && con.contype !== 'CONSTR_FOREIGN') continue;
        // A partitioned table refuses NOT VALID foreign keys (PostgreSQL < 18): the recipe does not apply.
        if (con.contype === 'CONSTR_FOREIGN' && ctx.catalog.tables.get(c.table)?.partition) continue;
        const name = con.conname ?? '(unnamed)';
        const fix =
          !inTx && con.conname
            ? splitFix(ctx, c.stmt, c.range.end, 'TABLE', ctx.parsed.text.slice(c.tableRange.start, c.tableRange.end), con.conname)
            : undefined;
        const messageId = con.contype === 'CONSTR_CHECK' ? 'check' : 'foreign';
        ctx.report({ ...constraintRange(con, c), messageId, data: { name, table: c.display, ref: relationText(con.pktable) }, statement: c.stmt, fix });
      }
      if (c.column) {
        for (const con of columnConstraints(c.column)) {
          if (con.contype !== 'CONSTR_CHECK' && con.contype !== 'CONSTR_FOREIGN') continue;
          const messageId = con.contype === 'CONSTR_CHECK' ? 'columnCheck' : 'columnForeign';
          const help = 'Add the column without the constraint, then ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT in a separate transaction.';
          ctx.report({
            ...constraintRange(con, c),
            messageId,
            data: { column: c.column.colname ?? '', table: c.display, ref: relationText(con.pktable) },
            statement: c.stmt,
            help,
          });
        }
      }
    }
    const newDomains = new Set<string>();
    for (const stmt of ctx.statements) {
      if (stmt.kind === 'CreateDomainStmt') {
        const q = listName(as<{ domainname?: unknown }>(stmt.node, 'CreateDomainStmt')?.domainname);
        if (q) newDomains.add(q.name);
      }
      const d = as<AlterDomainStmt>(stmt.node, 'AlterDomainStmt');
      const con = as<Constraint>(d?.def, 'Constraint');
      const q = listName(d?.typeName);
      if (!d || d.subtype !== 'C' || !con || con.skip_validation || !q || newDomains.has(q.name)) continue;
      const at = typeof con.location === 'number' && con.location >= stmt.start ? con.location : stmt.start;
      const fix = !tx.inTransaction(stmt) && con.conname ? splitFix(ctx, stmt, stmt.end, 'DOMAIN', qnameText(q), con.conname) : undefined;
      ctx.report({ start: at, end: stmt.end, messageId: 'domain', data: { name: qnameText(q) }, statement: stmt, fix });
    }
  },
});
