// validate-in-same-transaction: VALIDATE CONSTRAINT in the transaction that added it NOT VALID keeps the add's lock during the scan.
import { alterCommands, type AlterCommand } from '../facts/alter-commands';
import { transactions } from '../facts/transactions';
import { defineRule } from './rule';

export default defineRule({
  id: 'validate-in-same-transaction',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    validate:
      'VALIDATE CONSTRAINT {name} runs in the same transaction that added it NOT VALID, so the {lock} lock on {table} from the add is held through the whole scan, blocking {blocks}: NOT VALID gains nothing.',
  },
  docs: {
    summary: 'VALIDATE CONSTRAINT in the same transaction as the ADD CONSTRAINT … NOT VALID.',
    why: 'NOT VALID exists so that the scan runs later under SHARE UPDATE EXCLUSIVE, which lets reads and writes through. Locks last until the transaction ends, so validating in the same transaction scans while still holding the stronger lock taken by ADD CONSTRAINT (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE for FOREIGN KEY).',
    help: 'Commit the NOT VALID constraint first and run VALIDATE CONSTRAINT in a separate transaction (usually the next migration).',
    bad: ['ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;'],
    good: [
      'ALTER TABLE orders VALIDATE CONSTRAINT positive;',
      'BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT positive;',
    ],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'postgres-language-server', rule: 'requireSeparateConstraintValidation', relation: 'same' }],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    const added: AlterCommand[] = [];
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.constraint?.skip_validation && c.constraint.conname) added.push(c);
      if (c.cmd.subtype !== 'AT_ValidateConstraint' || c.transient) continue;
      const add = added.find((a) => a.table === c.table && a.constraint?.conname === c.cmd.name && (a.stmt === c.stmt || tx.sameTransaction(a.stmt, c.stmt)));
      if (!add) continue;
      const fk = add.constraint?.contype === 'CONSTR_FOREIGN';
      const data = {
        name: c.cmd.name ?? '',
        table: c.display,
        lock: fk ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        blocks: fk ? 'writes' : 'reads and writes',
      };
      ctx.report({ ...c.range, messageId: 'validate', data, statement: c.stmt });
    }
  },
});
