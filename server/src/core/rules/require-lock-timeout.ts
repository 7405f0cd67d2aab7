// require-lock-timeout: a lock that blocks reads or writes requested with no lock_timeout can stall all traffic while it waits.
import { blocks, blocksTraffic, lockTimeouts, statementLocks, type LockTaken } from '../facts/locks';
import { indentAt, lineStart } from '../facts/relations';
import type { Statement } from '../parse/parse';
import { defineRule } from './rule';

export default defineRule({
  id: 'require-lock-timeout',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    missing:
      'This statement requests the {lock} lock on {table} with no lock_timeout set: while it waits behind any running transaction, every {blocked} on {table} queues behind it{more}.',
  },
  docs: {
    summary: 'A lock that blocks reads or writes, requested with no lock_timeout set earlier in the file or transaction.',
    why: 'DDL waits for every transaction already using the table, and while it waits, every new query that conflicts with its lock queues behind it: one slow report query plus an ALTER TABLE is an outage. With lock_timeout the migration gives up after a few seconds instead, and can be retried. Only statements on tables that exist before the migration count; reported once per file, at the first such statement.',
    help: "Set lock_timeout (for example SET lock_timeout = '5s') before the first statement that takes a strong lock, and retry the migration when it times out.",
    bad: ['ALTER TABLE users ADD COLUMN nickname text;'],
    good: [
      "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
      'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN nickname text;',
    ],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'require-timeout-settings', relation: 'quieter' },
    { tool: 'postgres-language-server', rule: 'lockTimeoutWarning', relation: 'quieter' },
    { tool: 'eugene', rule: 'E9', relation: 'same' },
  ],
  check(ctx) {
    const locks = ctx.facts.get(statementLocks);
    const timeouts = ctx.facts.get(lockTimeouts);
    let first: { stmt: Statement; lock: LockTaken } | undefined;
    let more = 0;
    for (const stmt of ctx.statements) {
      if (timeouts.covered(stmt)) continue;
      const lock = locks.of(stmt).find((l) => !l.isNew && blocksTraffic(l.mode));
      if (!lock) continue;
      if (first) more++;
      else first = { stmt, lock };
    }
    if (!first) return;
    const { stmt, lock } = first;
    const blocked = blocks(lock.mode).reads ? 'read and write' : 'write';
    const at = lineStart(ctx.parsed.text, stmt.start);
    const indent = indentAt(ctx.parsed.text, stmt.start);
    const onItsLine = ctx.parsed.text.slice(at, stmt.start).trim() === '';
    const insertAt = onItsLine ? at : stmt.start;
    const fix = {
      title: 'Set lock_timeout before it',
      edits: [{ start: insertAt, end: insertAt, newText: `${onItsLine ? indent : ''}SET lock_timeout = '5s';\n${onItsLine ? '' : indent}` }],
    };
    const data = { lock: lock.mode, table: lock.display, blocked, more: more ? ` (and ${more} later statement${more === 1 ? '' : 's'} in this file)` : '' };
    ctx.report({ ...lock.range, messageId: 'missing', data, statement: stmt, fix });
  },
});
