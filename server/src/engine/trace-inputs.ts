// What a lock trace runs: the parsed statements of a migration, each marked when PostgreSQL refuses it inside a
// transaction block (CONCURRENTLY, CREATE/DROP DATABASE, ALTER SYSTEM), so the trace skips it instead of failing.
import type { IndexStmt } from '@pgsql/types';
import { as } from '../core/parse/ast';
import type { Statement } from '../core/parse/parse';
import type { TraceInput } from './trace';

/** Statements that PostgreSQL refuses inside a transaction block. */
export function isConcurrent(stmt: Statement): boolean {
  const v = (stmt.node as unknown as Record<string, Record<string, unknown>>)[stmt.kind] ?? {};
  if (stmt.kind === 'IndexStmt') return (v as IndexStmt).concurrent === true;
  if (stmt.kind === 'DropStmt') return v.concurrent === true;
  if (stmt.kind === 'ReindexStmt') return JSON.stringify(v.params ?? []).includes('"concurrently"');
  if (stmt.kind === 'AlterTableStmt') return JSON.stringify(v.cmds ?? []).includes('"concurrent":true');
  if (stmt.kind === 'VacuumStmt') return as<{ is_vacuumcmd?: boolean }>(stmt.node, 'VacuumStmt')?.is_vacuumcmd === true;
  return stmt.kind === 'CreatedbStmt' || stmt.kind === 'DropdbStmt' || stmt.kind === 'AlterSystemStmt';
}

export function traceInputs(statements: Statement[]): TraceInput[] {
  return statements.map((s) => ({ index: s.index, start: s.start, end: s.end, text: s.text, kind: s.kind, concurrent: isConcurrent(s) }));
}
