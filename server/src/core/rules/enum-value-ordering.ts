// enum-value-ordering: ALTER TYPE … ADD VALUE without BEFORE / AFTER appends the value, which decides how it sorts (opt-in).
import type { AlterEnumStmt } from '@pgsql/types';
import { as, listName } from '../parse/ast';
import { codeTokens, leadingKeywords } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'enum-value-ordering',
  category: 'schema-design',
  severity: 'hint',
  recommended: false,
  fix: 'none',
  scope: 'migration',
  messages: {
    append: "ADD VALUE '{value}' without BEFORE or AFTER appends it to {type}: it sorts after every existing value in ORDER BY and comparisons.",
  },
  docs: {
    summary: 'Enum value added without BEFORE or AFTER (off by default).',
    why: "Enum values sort in declaration order, and ORDER BY, < and > on the enum follow it. Appending is usually what you want, so this rule is off by default; turn it on where the enum's order means something (priorities, stages).",
    help: 'Say where the value goes with BEFORE or AFTER an existing value.',
    bad: ["ALTER TYPE priority ADD VALUE 'urgent';"],
    good: ["ALTER TYPE priority ADD VALUE 'urgent' AFTER 'high';"],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'squawk', rule: 'require-enum-value-ordering', relation: 'quieter' }],
  check(ctx) {
    for (const stmt of ctx.statements) {
      const e = as<AlterEnumStmt>(stmt.node, 'AlterEnumStmt');
      const type = listName(e?.typeName);
      if (!e || !type || !e.newVal || e.oldVal || e.newValNeighbor) continue;
      const v = codeTokens(ctx.parsed, stmt.start, stmt.end).find((t) => t.name === 'SCONST');
      const range = v ? { start: v.start, end: v.end } : leadingKeywords(ctx.parsed, stmt, 2);
      ctx.report({ ...range, messageId: 'append', data: { value: e.newVal, type: type.name }, statement: stmt });
    }
  },
});
