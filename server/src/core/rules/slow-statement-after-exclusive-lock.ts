// slow-statement-after-exclusive-lock: a slow statement later in a transaction keeps an earlier ACCESS EXCLUSIVE lock held while it runs.
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, InsertStmt, RangeVar, SelectStmt } from '@pgsql/types';
import { typeInfo, UNBOUNDED_TEXT } from '../facts/column-types';
import { as } from '../parse/ast';
import { createdInFile, type CreatedInFile } from '../facts/created-in-file';
import { statementLocks, type LockTaken } from '../facts/locks';
import { leadingKeywords } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import { defineRule } from './rule';

const SCANNING_ALTERS = new Set(['AT_AlterColumnType', 'AT_SetNotNull', 'AT_ValidateConstraint']);

function hasFrom(select: unknown): boolean {
  const s = as<SelectStmt>(select, 'SelectStmt');
  return (
    !!s && ((s.fromClause ?? []).length > 0 || hasFrom(s.larg ? { SelectStmt: s.larg } : undefined) || hasFrom(s.rarg ? { SelectStmt: s.rarg } : undefined))
  );
}

/** What makes the statement slow on a large table, or undefined when it is quick. */
function slowness(stmt: Statement, created: CreatedInFile): string | undefined {
  const existing = (rv: RangeVar | undefined) => !!rv && !created.isTransient(rv, stmt);
  const v = stmt.node as Record<string, { relation?: RangeVar; concurrent?: boolean }>;
  switch (stmt.kind) {
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return existing(v[stmt.kind].relation) ? stmt.kind.replace('Stmt', '').toUpperCase() : undefined;
    case 'InsertStmt':
      return hasFrom(as<InsertStmt>(stmt.node, 'InsertStmt')?.selectStmt) ? 'INSERT … SELECT' : undefined;
    case 'CreateTableAsStmt':
      return hasFrom(as<{ query?: unknown }>(stmt.node, 'CreateTableAsStmt')?.query) ? 'CREATE TABLE … AS' : undefined;
    case 'IndexStmt':
      return existing(v.IndexStmt.relation) ? 'CREATE INDEX' : undefined;
    case 'RefreshMatViewStmt':
      return existing(v.RefreshMatViewStmt.relation) ? 'REFRESH MATERIALIZED VIEW' : undefined;
    case 'AlterTableStmt': {
      const a = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
      if (!a || !existing(a.relation)) return undefined;
      for (const c of a.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        // A change to text / unbounded varchar is a relabel, not a rewrite (see changing-column-type).
        const def = as<ColumnDef>(cmd?.def, 'ColumnDef');
        if (
          cmd?.subtype === 'AT_AlterColumnType' &&
          !def?.raw_default &&
          UNBOUNDED_TEXT.has(typeInfo(def?.typeName).base) &&
          !(def?.typeName?.typmods ?? []).length
        )
          continue;
        if (cmd?.subtype && SCANNING_ALTERS.has(cmd.subtype))
          return `ALTER TABLE … ${cmd.subtype
            .slice(3)
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toUpperCase()}`;
        const con = as<Constraint>(cmd?.def, 'Constraint');
        if (cmd?.subtype === 'AT_AddConstraint' && con && !con.skip_validation && !con.indexname) return 'ALTER TABLE … ADD CONSTRAINT';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'slow-statement-after-exclusive-lock',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    held: '{what} runs while this transaction still holds the ACCESS EXCLUSIVE lock on {table} taken on line {line}: every read and write of {table} waits until COMMIT.',
  },
  docs: {
    summary: 'A slow statement (backfill, index build, validation) later in a transaction that already holds ACCESS EXCLUSIVE on an existing table.',
    why: 'Locks are held until the transaction ends. A quick ALTER TABLE followed by a backfill UPDATE in the same transaction keeps the table unreadable for the whole backfill. Reported once per transaction, at the first slow statement.',
    help: 'Commit the schema change first: move the slow statement to a separate migration (or transaction).',
    bad: ["ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free' WHERE plan IS NULL;"],
    good: [
      "UPDATE users SET plan = 'free' WHERE plan IS NULL;\nALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';",
      'CREATE TABLE plans (id int);\nALTER TABLE plans ADD COLUMN name text;\nINSERT INTO plans SELECT id, name FROM legacy_plans;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'postgres-language-server', rule: 'runningStatementWhileHoldingAccessExclusive', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'avoidWideLockWindow', relation: 'inspired' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    const locks = ctx.facts.get(statementLocks);
    const created = ctx.facts.get(createdInFile);
    const text = ctx.parsed.text;
    for (const block of tx.blocks) {
      let held: LockTaken | undefined;
      for (const stmt of block.statements) {
        // A statement that takes ACCESS EXCLUSIVE on the held table itself blocks readers anyway: the hold adds nothing.
        const relocks = held && locks.of(stmt).some((l) => l.table === held?.table && l.mode === 'ACCESS EXCLUSIVE');
        if (held && !relocks) {
          const what = slowness(stmt, created);
          if (what) {
            const line = text.slice(0, held.range.start).split('\n').length;
            ctx.report({ ...leadingKeywords(ctx.parsed, stmt, 2), messageId: 'held', data: { what, table: held.display, line }, statement: stmt });
            break;
          }
        }
        held ??= locks.of(stmt).find((l) => l.mode === 'ACCESS EXCLUSIVE' && !l.isNew && !l.isView && ctx.catalog.tables.get(l.table)?.kind !== 'view');
      }
    }
  },
});
