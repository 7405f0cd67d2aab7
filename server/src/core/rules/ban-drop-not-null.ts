// ban-drop-not-null: DROP NOT NULL lets new rows hold NULL where the running application assumes a value.
import { alterCommands } from '../facts/alter-commands';
import { createdInFile } from '../facts/created-in-file';
import { defineRule } from './rule';

export default defineRule({
  id: 'ban-drop-not-null',
  category: 'migration-compat',
  severity: 'info',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    drop: 'DROP NOT NULL on {table}.{column}: rows written from now on may hold NULL, which code that reads the column as never-null (and its generated types) does not expect.',
  },
  docs: {
    summary: 'ALTER COLUMN … DROP NOT NULL on an existing column in an up migration.',
    why: 'Readers written against the old schema assume the column always has a value; once new code writes NULLs, those readers break. It is usually the first step of removing a column, which is fine when the readers were updated first.',
    help: 'Update every reader to handle NULL before dropping the constraint, then suppress this with a reason.',
    bad: ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;'],
    good: [
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      "ALTER TABLE users ADD COLUMN nick text NOT NULL DEFAULT '';\nALTER TABLE users ALTER COLUMN nick DROP NOT NULL;",
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'ban-drop-not-null', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'banDropNotNull', relation: 'quieter' },
  ],
  check(ctx) {
    if (ctx.file.role === 'migration-down') return;
    const created = ctx.facts.get(createdInFile);
    for (const c of ctx.facts.get(alterCommands)) {
      if (c.cmd.subtype !== 'AT_DropNotNull' || !c.cmd.name || c.transient) continue;
      if (created.isNewColumn(c.alter.relation ?? {}, c.cmd.name, c.stmt)) continue;
      ctx.report({ ...c.range, messageId: 'drop', data: { table: c.display, column: c.cmd.name }, statement: c.stmt });
    }
  },
});
