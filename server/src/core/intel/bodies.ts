// The SQL inside a CREATE FUNCTION body (SQL and PL/pgSQL) as statements placed in the file, so names in function bodies are found like any other.
import type { Node } from '@pgsql/types';
import type { Catalog } from '../catalog/types';
import { defaultConfig } from '../config';
import { FileFacts } from '../facts/file-facts';
import { bodyOf, routineOf } from '../facts/routines';
import { unwrap } from '../parse/ast';
import { ByteOffsetMap } from '../parse/offsets';
import { scanTokens, type Statement } from '../parse/parse';
import type { IntelFile } from './resolve';
import { statementNames, type StatementNames } from './refs';

const memo = new WeakMap<Statement, { start: number; list: { statement: Statement; names: StatementNames }[] }>();
const config = defaultConfig();

/** The statements a routine's body runs, each with its names; bodies that cannot be placed in the file give none. */
export function bodyStatements(file: IntelFile, statement: Statement, catalog: Catalog): { statement: Statement; names: StatementNames }[] {
  const hit = memo.get(statement);
  if (hit && hit.start === statement.start) return hit.list;
  const out: { statement: Statement; names: StatementNames }[] = [];
  try {
    const facts = new FileFacts({
      file: { path: file.path, role: 'plain', transaction: 'none' },
      parsed: file.parsed,
      statements: [statement],
      catalog,
      config,
    });
    const routine = routineOf(facts, statement);
    if (!routine) return out;
    for (const sql of bodyOf(facts, routine).sql) {
      if (sql.start === undefined || sql.kind !== 'statement') continue;
      const tokens = scanTokens(sql.text, new ByteOffsetMap(sql.text), sql.start) ?? [];
      for (const node of sql.statements) {
        const kind = unwrap(node)?.kind ?? '';
        const inner: Statement = { index: statement.index, node: node as Node, kind, start: sql.start, end: sql.start + sql.text.length, text: sql.text };
        out.push({ statement: inner, names: statementNames(inner, tokens) });
      }
    }
  } catch {
    // A body that cannot be analysed names nothing: the statement itself is still indexed.
  }
  memo.set(statement, { start: statement.start, list: out });
  return out;
}
