// The SQL a PL/pgSQL routine or DO block runs, as parsed statements: every PLpgSQL_expr of libpg-query's PL/pgSQL tree,
// with expressions parsed as SELECTs and a string literal given to EXECUTE parsed as the statement it holds.
import { parsePlPgSQLSync } from 'libpg-query';
import { as, walk } from './ast';
import { parseSql, type Statement } from './parse';

function queries(tree: unknown, out: string[] = []): string[] {
  if (Array.isArray(tree)) for (const t of tree) queries(t, out);
  else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      if (k === 'query' && typeof v === 'string') out.push(v);
      else queries(v, out);
    }
  }
  return out;
}

/** A lone string constant (`EXECUTE 'CREATE ROLE app'`), whose text is itself SQL. */
function literalSql(stmt: Statement): string | undefined {
  const select = as<{ targetList?: unknown[]; fromClause?: unknown[] }>(stmt.node, 'SelectStmt');
  if (!select || select.fromClause || select.targetList?.length !== 1) return undefined;
  let found: string | undefined;
  let consts = 0;
  walk(select.targetList, (kind, value) => {
    if (kind === 'A_Const') {
      consts++;
      found = (value.sval as { sval?: string } | undefined)?.sval;
    }
    return undefined;
  });
  return consts === 1 ? found : undefined;
}

/**
 * The statements a routine's PL/pgSQL runs; `definition` is a whole CREATE FUNCTION / DO statement. Undefined when it does
 * not compile (its statements are unknown).
 */
export function plpgsqlStatements(definition: string): Statement[] | undefined {
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(definition);
  } catch {
    return undefined;
  }
  const out: Statement[] = [];
  for (const q of queries(tree)) {
    const p = parseSql(q);
    const statements = p.errors.length ? parseSql(`SELECT ${q}`).statements : p.statements;
    for (const s of statements) {
      out.push(s);
      const inner = literalSql(s);
      if (inner) out.push(...parseSql(inner).statements);
    }
  }
  return out;
}
