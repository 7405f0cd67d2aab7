// Every ALTER TABLE subcommand of the file with its text range and target table, computed once for the lock rules.
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from '@pgsql/types';
import { as } from '../parse/ast';
import type { Statement } from '../parse/parse';
import { createdInFile } from './created-in-file';
import { defineFact } from './file-facts';
import { lazyField, once } from './lazy';
import { alterCommandRanges, rangeVarRange, relationText, type Range } from './relations';

export interface AlterCommand {
  stmt: Statement;
  alter: AlterTableStmt;
  cmd: AlterTableCmd;
  /** Position of the subcommand in the statement. */
  index: number;
  /** The subcommand's text (the whole statement when the split failed). */
  range: Range;
  /** Resolved `schema.name` of the altered table. */
  table: string;
  /** The table name as written. */
  display: string;
  tableRange: Range;
  /**
   * The table was created earlier in this file (nobody else sees it yet) or is dropped later in it (only that DROP's
   * lock matters): locks and rewrites on it are harmless.
   */
  transient: boolean;
  /** For ADD COLUMN: the column definition. */
  column?: ColumnDef;
  /** For ADD CONSTRAINT: the constraint. */
  constraint?: Constraint;
}

/** ALTER TABLE (and ALTER FOREIGN TABLE / MATERIALIZED VIEW) subcommands in statement order. */
export const alterCommands = defineFact('alter-commands', (ctx, facts): AlterCommand[] => {
  const created = facts.get(createdInFile);
  const out: AlterCommand[] = [];
  for (const stmt of ctx.statements) {
    const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
    if (!alter || !alter.relation || (alter.objtype !== 'OBJECT_TABLE' && alter.objtype !== 'OBJECT_FOREIGN_TABLE' && alter.objtype !== 'OBJECT_MATVIEW'))
      continue;
    const cmds = (alter.cmds ?? []).map((c) => as<AlterTableCmd>(c, 'AlterTableCmd'));
    // Ranges need the statement's tokens: they are found when a rule first reads them.
    const ranges = once(() => alterCommandRanges(ctx.parsed, stmt, alter.relation, cmds.length));
    const table = created.resolve(alter.relation, stmt);
    const transient = created.isTransient(alter.relation, stmt);
    const tableRange = once(() => rangeVarRange(ctx.parsed, alter.relation, stmt));
    cmds.forEach((cmd, index) => {
      if (!cmd) return;
      const command: AlterCommand = {
        stmt,
        alter,
        cmd,
        index,
        // Placeholders: lazyField below replaces both ranges.
        range: { start: stmt.start, end: stmt.end },
        table,
        display: relationText(alter.relation),
        tableRange: { start: stmt.start, end: stmt.end },
        transient,
        column: cmd.subtype === 'AT_AddColumn' ? as<ColumnDef>(cmd.def, 'ColumnDef') : undefined,
        constraint: cmd.subtype === 'AT_AddConstraint' ? as<Constraint>(cmd.def, 'Constraint') : undefined,
      };
      lazyField(command, 'range', () => ranges()?.[index] ?? { start: stmt.start, end: stmt.end });
      lazyField(command, 'tableRange', tableRange);
      out.push(command);
    });
  }
  return out;
});

/** The constraints attached to a column definition, unwrapped. */
export function columnConstraints(def: ColumnDef | undefined): Constraint[] {
  return (def?.constraints ?? []).map((c) => as<Constraint>(c, 'Constraint')).filter((c): c is Constraint => !!c);
}
