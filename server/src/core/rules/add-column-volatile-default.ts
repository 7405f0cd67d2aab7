// add-column-volatile-default: ADD COLUMN with a volatile DEFAULT (any DEFAULT before PostgreSQL 11) rewrites the table.
import type { Constraint } from '@pgsql/types';
import { alterCommands, columnConstraints } from '../facts/alter-commands';
import { as, strs, walk } from '../parse/ast';
import type { Catalog } from '../catalog/types';
import { defineRule } from './rule';

/** Built-in functions marked VOLATILE in pg_proc that show up in column defaults. */
const VOLATILE = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
  'txid_current',
  'pg_current_xact_id',
  'gen_random_bytes',
  'random_normal',
  'uuidv4',
  'uuidv7',
]);

/**
 * The first volatile function in a default expression. A workspace function is volatile unless declared STABLE or
 * IMMUTABLE (CREATE FUNCTION defaults to VOLATILE); so is a function qualified with a schema the workspace does not
 * define (an extension's or another project's: its volatility is unknown, and PostgreSQL's default is VOLATILE).
 * Unqualified unknown names are mostly pg_catalog built-ins (lower, date_trunc…), whose volatility pg_proc gives.
 */
function volatileCall(expr: unknown, catalog: Catalog): { name: string; certain: boolean } | undefined {
  let found: { name: string; certain: boolean } | undefined;
  walk(expr, (kind, value) => {
    if (found || kind !== 'FuncCall') return;
    const parts = strs(value.funcname);
    const name = parts[parts.length - 1]?.toLowerCase() ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (VOLATILE.has(name) && (!schema || schema === 'pg_catalog' || !catalog.functions.has(`${schema}.${name}`))) {
      found = { name, certain: true };
      return;
    }
    const defs = [...catalog.functions.entries()].filter(([k]) => (schema ? k === `${schema}.${name}` : k.endsWith(`.${name}`))).flatMap(([, d]) => d);
    if (defs.length) {
      if (defs.some((d) => (d.volatility ?? 'volatile') === 'volatile')) found = { name: parts.join('.'), certain: false };
    } else if (schema && schema !== 'pg_catalog') {
      found = { name: parts.join('.'), certain: false };
    }
  });
  return found;
}

function isNullDefault(con: Constraint): boolean {
  return as<{ isnull?: boolean }>(con.raw_expr, 'A_Const')?.isnull === true;
}

export default defineRule({
  id: 'add-column-volatile-default',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    volatile:
      'ADD COLUMN {column} with DEFAULT {fn}(…) rewrites every row of {table} under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL, because {fn} is volatile.',
    userFunction:
      'ADD COLUMN {column} with DEFAULT {fn}(…) rewrites every row of {table} under an ACCESS EXCLUSIVE lock unless {fn} is declared STABLE or IMMUTABLE (functions are VOLATILE by default).',
    beforePg11:
      'ADD COLUMN {column} with a DEFAULT rewrites every row of {table} under an ACCESS EXCLUSIVE lock before PostgreSQL 11, blocking reads, writes and DDL.',
  },
  docs: {
    summary: 'ADD COLUMN with a volatile DEFAULT (any non-null DEFAULT before PostgreSQL 11) on an existing table.',
    why: 'Since PostgreSQL 11 a non-volatile DEFAULT is stored once in the catalog and ADD COLUMN is instant. A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()) must be computed per row, so the whole table is rewritten under ACCESS EXCLUSIVE. Before PostgreSQL 11 every non-null default rewrites. now() and CURRENT_TIMESTAMP are stable, so they are fine.',
    help: 'Add the column without a default, set the default in a separate statement, then backfill existing rows in batches.',
    bad: ['ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();'],
    good: ['ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();', 'ALTER TABLE users ADD COLUMN active boolean DEFAULT true;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'adding-field-with-default', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'addingFieldWithDefault', relation: 'same' },
  ],
  check(ctx) {
    const old = ctx.config.postgres.version < 11;
    for (const c of ctx.facts.get(alterCommands)) {
      if (!c.column || c.transient) continue;
      for (const con of columnConstraints(c.column)) {
        if (con.contype !== 'CONSTR_DEFAULT' || isNullDefault(con)) continue;
        // Only a reported default needs its range (from the statement's tokens).
        const range = () => {
          const at = typeof con.location === 'number' && con.location >= c.range.start ? con.location : c.range.start;
          return { start: at, end: c.range.end };
        };
        const data = { column: c.column.colname ?? '', table: c.display };
        if (old) {
          ctx.report({ ...range(), messageId: 'beforePg11', data, statement: c.stmt });
          continue;
        }
        const v = volatileCall(con.raw_expr, ctx.catalog);
        if (v) ctx.report({ ...range(), messageId: v.certain ? 'volatile' : 'userFunction', data: { ...data, fn: v.name }, statement: c.stmt });
      }
    }
  },
});
