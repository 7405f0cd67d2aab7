// prefer-robust-statements: outside a transaction, IF [NOT] EXISTS lets a migration that failed half-way be re-run (opt-in).
import type { AlterTableCmd, AlterTableStmt, ColumnDef } from '@pgsql/types';
import { as } from '../parse/ast';
import { alterCommandRanges, keywordRange, leadingKeywords, type Range } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import type { RuleContext } from './rule';
import { defineRule } from './rule';

interface Missing {
  range: Range;
  clause: 'IF NOT EXISTS' | 'IF EXISTS';
  /** Where the clause goes. */
  at: number;
}

const CREATES: Record<string, string[]> = {
  CreateStmt: ['table'],
  CreateSeqStmt: ['sequence'],
  CreateSchemaStmt: ['schema'],
  CreateExtensionStmt: ['extension'],
};

const DROPS: Record<string, string[]> = {
  OBJECT_TABLE: ['table'],
  OBJECT_INDEX: ['index'],
  OBJECT_VIEW: ['view'],
  OBJECT_MATVIEW: ['materialized', 'view'],
  OBJECT_SEQUENCE: ['sequence'],
  OBJECT_SCHEMA: ['schema'],
  OBJECT_TYPE: ['type'],
  OBJECT_DOMAIN: ['domain'],
  OBJECT_FUNCTION: ['function'],
  OBJECT_PROCEDURE: ['procedure'],
  OBJECT_EXTENSION: ['extension'],
  OBJECT_TRIGGER: ['trigger'],
  OBJECT_POLICY: ['policy'],
  OBJECT_FOREIGN_TABLE: ['foreign', 'table'],
};

function missing(ctx: RuleContext, stmt: Statement): Missing[] {
  const out: Missing[] = [];
  const v = (stmt.node as unknown as Record<string, Record<string, unknown>>)[stmt.kind] ?? {};
  const head = leadingKeywords(ctx.parsed, stmt, 2);
  // A temporary table dropped at commit is gone when the migration is re-run: nothing to guard.
  const dropsAtCommit = stmt.kind === 'CreateStmt' && v.oncommit === 'ONCOMMIT_DROP';
  if (CREATES[stmt.kind] && !v.if_not_exists && !dropsAtCommit) {
    const kw = keywordRange(ctx.parsed, stmt, CREATES[stmt.kind]);
    if (kw) out.push({ range: head, clause: 'IF NOT EXISTS', at: kw.end });
  } else if (stmt.kind === 'IndexStmt' && !v.if_not_exists && v.idxname) {
    const kw = keywordRange(ctx.parsed, stmt, v.concurrent ? ['concurrently'] : ['index']);
    if (kw) out.push({ range: head, clause: 'IF NOT EXISTS', at: kw.end });
  } else if (stmt.kind === 'DropStmt' && !v.missing_ok && DROPS[v.removeType as string]) {
    const words = [...DROPS[v.removeType as string], ...(v.concurrent ? ['concurrently'] : [])];
    const kw = keywordRange(ctx.parsed, stmt, ['drop', ...words]);
    if (kw) out.push({ range: head, clause: 'IF EXISTS', at: kw.end });
  }
  const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  const cmds = alter?.cmds ?? [];
  const ranges = alter ? alterCommandRanges(ctx.parsed, stmt, alter.relation, cmds.length) : undefined;
  cmds.forEach((c, i) => {
    const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
    if (!cmd || cmd.missing_ok) return;
    if (cmd.subtype === 'AT_AddColumn') {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef');
      const at = typeof def?.location === 'number' ? def.location : -1;
      if (at > 0) out.push({ range: { start: at, end: at + (def?.colname?.length ?? 1) }, clause: 'IF NOT EXISTS', at: at - 1 });
    }
    const drop = cmd.subtype === 'AT_DropColumn' ? ['drop', 'column'] : cmd.subtype === 'AT_DropConstraint' ? ['drop', 'constraint'] : undefined;
    if (drop && cmd.name) {
      // DROP [COLUMN] name: COLUMN is optional, so fall back to DROP alone.
      const within = ranges?.[i] ?? stmt;
      const kw = keywordRange(ctx.parsed, within, drop) ?? keywordRange(ctx.parsed, within, ['drop']);
      if (kw) out.push({ range: kw, clause: 'IF EXISTS', at: kw.end });
    }
  });
  return out;
}

export default defineRule({
  id: 'prefer-robust-statements',
  category: 'robustness',
  severity: 'hint',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    missing:
      'Without {clause}, re-running this migration after a failure part-way through stops here, because the statement ran outside a transaction and was not rolled back.',
  },
  docs: {
    summary: 'CREATE / DROP / ADD COLUMN / DROP CONSTRAINT without IF [NOT] EXISTS in SQL that runs outside a transaction (opt-in: `migrations.robustness`).',
    why: 'When a migration runs outside a transaction and fails half-way, the statements before the failure stay applied; re-running it then fails on the first CREATE that already happened. Inside a transaction everything rolls back, so pgdba stays quiet there.',
    help: 'Add IF NOT EXISTS / IF EXISTS so the statement can run twice.',
    bad: ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);'],
    good: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);'],
    exampleFile: 'plain',
  },
  sources: [
    { tool: 'squawk', rule: 'prefer-robust-stmts', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'preferRobustStmts', relation: 'quieter' },
  ],
  check(ctx) {
    const tx = ctx.facts.get(transactions);
    for (const stmt of ctx.statements) {
      if (tx.inTransaction(stmt)) continue;
      for (const m of missing(ctx, stmt)) {
        const fix = { title: `Add ${m.clause}`, edits: [{ start: m.at, end: m.at, newText: ` ${m.clause}` }] };
        ctx.report({ ...m.range, messageId: 'missing', data: { clause: m.clause }, statement: stmt, fix });
      }
    }
  },
});
