// add-enum-value-in-transaction: ALTER TYPE … ADD VALUE fails in a transaction before PG 12, and its value is unusable until commit after.
import type { AlterEnumStmt } from '@pgsql/types';
import { as, listName, walk } from '../parse/ast';
import { codeTokens, leadingKeywords } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import type { RuleContext } from './rule';
import { defineRule } from './rule';

function valueRange(ctx: RuleContext, stmt: Statement) {
  const toks = codeTokens(ctx.parsed, stmt.start, stmt.end);
  const i = toks.findIndex((t) => t.text.toLowerCase() === 'value');
  const v = toks.slice(i + 1).find((t) => t.name === 'SCONST');
  return v ? { start: v.start, end: v.end } : leadingKeywords(ctx.parsed, stmt, 2);
}

export default defineRule({
  id: 'add-enum-value-in-transaction',
  category: 'migration-compat',
  severity: 'error',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    oldPg: 'ALTER TYPE {type} ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails here.',
    used: 'The enum value \'{value}\' added to {type} earlier in this transaction cannot be used before it commits: this statement fails with "unsafe use of new value".',
  },
  docs: {
    summary: 'Enum value added inside a transaction block where it fails or is used before commit.',
    why: 'Before PostgreSQL 12, ALTER TYPE … ADD VALUE refuses to run inside a transaction block. Since 12 it may, but the new value cannot be used (inserted, compared, cast) until the transaction commits. Enums created in the same file are exempt.',
    help: 'Add the enum value in its own migration that commits before any statement uses the value.',
    bad: ["ALTER TYPE mood ADD VALUE 'ecstatic';\nUPDATE people SET mood = 'ecstatic' WHERE id = 1;"],
    good: [
      "ALTER TYPE mood ADD VALUE 'ecstatic';",
      "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\nUPDATE people SET mood = 'happy' WHERE id = 1;",
    ],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'postgres-language-server', rule: 'avoidAlterEnumAddValue', relation: 'quieter' }],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    const madeHere = new Set<string>();
    for (const stmt of ctx.statements) {
      const created = listName(as<{ typeName?: unknown }>(stmt.node, 'CreateEnumStmt')?.typeName);
      if (created) madeHere.add(created.name);
      const e = as<AlterEnumStmt>(stmt.node, 'AlterEnumStmt');
      const type = listName(e?.typeName);
      if (!e || !type || !e.newVal || e.oldVal || madeHere.has(type.name)) continue;
      const block = tx.blockOf(stmt);
      if (!block) continue;
      if (ctx.config.postgres.version < 12) {
        ctx.report({ ...valueRange(ctx, stmt), messageId: 'oldPg', data: { type: type.name }, statement: stmt });
        continue;
      }
      const value = e.newVal;
      for (const later of block.statements.filter((s) => s.index > stmt.index)) {
        let at = -1;
        walk(later.node, (kind, v) => {
          const sval = (v.sval as { sval?: string } | undefined)?.sval;
          if (at < 0 && kind === 'A_Const' && sval === value && typeof v.location === 'number') at = v.location;
        });
        if (at >= 0) ctx.report({ start: at, end: at + value.length + 2, messageId: 'used', data: { type: type.name, value }, statement: later });
      }
    }
  },
});
