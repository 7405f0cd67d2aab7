// ban-drop-column: DROP COLUMN breaks every running query and application version that still reads or writes the column.
import { alterCommands } from '../facts/alter-commands';
import { createdInFile } from '../facts/created-in-file';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-drop-column',
  category: 'migration-compat',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    drop: 'DROP COLUMN {column} removes it from {table} for the application version still running, whose queries naming it fail from this moment (and takes an ACCESS EXCLUSIVE lock).',
  },
  docs: {
    summary: 'DROP COLUMN on an existing table in an up migration.',
    why: 'During a deploy the old application version keeps running against the new schema. A dropped column makes its SELECTs and INSERTs that name the column fail. Down migrations and columns added earlier in the same file are not flagged: undoing your own change is what they are for.',
    help: 'Deploy code that no longer uses the column first, then drop it in a later migration (and suppress this with a reason).',
    bad: ['ALTER TABLE users DROP COLUMN legacy_flag;'],
    good: ['ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;', 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'ban-drop-column', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'banDropColumn', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const created = ctx.facts.get(createdInFile);
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.cmd.subtype !== 'AT_DropColumn' || !c.cmd.name || c.transient) continue;
      if (created.isNewColumn(c.alter.relation ?? {}, c.cmd.name, c.stmt)) continue;
      ctx.report({ ...c.range, messageId: 'drop', data: { column: c.cmd.name, table: c.display }, statement: c.stmt });
    }
  },
});
