// changing-column-type: ALTER COLUMN … TYPE that is not binary-coercible rewrites the table and its indexes under ACCESS EXCLUSIVE.
import type { ColumnDef, CreateStmt, TypeName } from '@pgsql/types';
import { alterCommands } from '../facts/alter-commands';
import { typeInfo, typeInfoFromText, typeChangeRewrites, UNBOUNDED_TEXT, type TypeInfo } from '../facts/column-types';
import { createdInFile } from '../facts/created-in-file';
import { as, typeNameText } from '../parse/ast';
import { defineRule } from './rule';

export default defineRule({
  id: 'changing-column-type',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    rewrite:
      'ALTER COLUMN {column} TYPE {type} rewrites {table} and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole rewrite.',
    using:
      'ALTER COLUMN {column} TYPE {type} USING … recomputes every row of {table} and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole rewrite.',
    maybe:
      'ALTER COLUMN {column} TYPE {type} rewrites {table} under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL, unless it only raises a length or precision limit (the previous type is not visible to pgdba).',
    timestamptz:
      'ALTER COLUMN {column} TYPE {type} rewrites {table} under an ACCESS EXCLUSIVE lock unless the session TimeZone is UTC (PostgreSQL 12+), blocking reads, writes and DDL meanwhile.',
  },
  docs: {
    summary: 'Column type change that rewrites the table.',
    why: "Changing a column's type rewrites every row and rebuilds the table's indexes while holding ACCESS EXCLUSIVE, unless the old type converts to the new one without a rewrite: varchar(n) → varchar(m) with m ≥ n, varchar → text, numeric(p,s) → numeric(q,s) with q ≥ p, cidr → inet. A USING clause always recomputes every row.",
    help: 'Add a column of the new type, backfill it in batches, switch the application over, and drop the old column later.',
    bad: ['ALTER TABLE users ALTER COLUMN id TYPE bigint;', 'ALTER TABLE users ALTER COLUMN settings TYPE jsonb USING settings::jsonb;'],
    good: [
      'ALTER TABLE users ALTER COLUMN name TYPE text;',
      'ALTER TABLE users ADD COLUMN nick varchar(20);\nALTER TABLE users ALTER COLUMN nick TYPE varchar(40);',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'changing-column-type', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'changingColumnType', relation: 'quieter' },
  ],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    // Column types this file defined or changed, so a later change in the same file is judged exactly.
    const known = new Map<string, TypeInfo>();
    const note = (table: string, col: string | undefined, t: TypeName | undefined) => col && t && known.set(`${table}\u0000${col}`, typeInfo(t));
    for (const stmt of ctx.statements) {
      const create = as<CreateStmt>(stmt.node, 'CreateStmt');
      if (create?.relation)
        for (const e of create.tableElts ?? []) {
          const def = as<ColumnDef>(e, 'ColumnDef');
          note(created.resolve(create.relation, stmt), def?.colname, def?.typeName);
        }
    }
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.column) note(c.table, c.column.colname, c.column.typeName);
      if (c.cmd.subtype !== 'AT_AlterColumnType' || !c.cmd.name) continue;
      const def = as<ColumnDef>(c.cmd.def, 'ColumnDef');
      const to = typeInfo(def?.typeName);
      const key = `${c.table}\u0000${c.cmd.name}`;
      // A down migration runs against the schema its up produced, which is what the workspace catalog holds
      // (unless a later migration changed the column again).
      const catalogType = ctx.file.role === 'migration-down' ? ctx.catalog.tables.get(c.table)?.columns.get(c.cmd.name)?.type : undefined;
      const from = known.get(key) ?? (catalogType ? typeInfoFromText(catalogType) : undefined);
      known.set(key, to);
      if (c.transient) continue;
      const at = def?.typeName?.location;
      const written =
        typeof at === 'number' && at >= c.range.start
          ? ctx.parsed.text
              .slice(at, c.range.end)
              .split(/\s+(?:using|collate)\b/i)[0]
              .trim()
          : '';
      const data = { column: c.cmd.name, type: written || typeNameText(def?.typeName), table: c.display };
      let messageId: string | undefined;
      if (def?.raw_default) messageId = 'using';
      else if (from)
        messageId = typeChangeRewrites(from, to)
          ? from.base === 'timestamp' && to.base === 'timestamptz' && ctx.config.postgres.version >= 12
            ? 'timestamptz'
            : 'rewrite'
          : undefined;
      else if (to.base === 'timestamptz' && ctx.config.postgres.version >= 12) messageId = 'timestamptz';
      // Unknown previous type: an unbounded text-like target is reached from varchar/text without a rewrite.
      else if (UNBOUNDED_TEXT.has(to.base) && to.mods.length === 0 && !to.array) messageId = undefined;
      else if (to.mods.length > 0 && ['varchar', 'numeric', 'varbit'].includes(to.base)) messageId = 'maybe';
      else messageId = 'rewrite';
      if (messageId) ctx.report({ ...c.range, messageId, data, statement: c.stmt });
    }
  },
});
