// Small builders for rollback SQL: AST nodes for names and statements, rendered with pgsql-deparser.
import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';

export type Json = Record<string, unknown>;

/** Renders one statement (or clause) node; pretty for the long ones people read (CREATE TABLE, views, functions). */
export function deparse(node: unknown, pretty = false): string {
  return deparseSync(node as never, { pretty })
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

export const strNode = (s: string): Json => ({ String: { sval: s } });

/** Splits a catalog key `schema.name` (the name may itself hold dots). */
export function splitKey(key: string): { schema: string; name: string } {
  const i = key.indexOf('.');
  return i < 0 ? { schema: 'public', name: key } : { schema: key.slice(0, i), name: key.slice(i + 1) };
}

/** The name as the down script should write it: unqualified when its schema is first on the search path. */
export function nameParts(key: string, searchPath: readonly string[]): string[] {
  const { schema, name } = splitKey(key);
  return schema === (searchPath[0] ?? 'public') ? [name] : [schema, name];
}

export function nameList(key: string, searchPath: readonly string[]): Json[] {
  return nameParts(key, searchPath).map(strNode);
}

export function rangeVar(key: string, searchPath: readonly string[]): Json {
  const parts = nameParts(key, searchPath);
  return parts.length === 2
    ? { schemaname: parts[0], relname: parts[1], inh: true, relpersistence: 'p' }
    : { relname: parts[0], inh: true, relpersistence: 'p' };
}

export function typeName(parts: string[]): Json {
  return { names: parts.map(strNode), typemod: -1 };
}

/** DROP <kind> name [CASCADE]; `objects` are already in the node shape the kind wants. */
export function dropStmt(removeType: string, objects: unknown[], extra: { concurrent?: boolean; cascade?: boolean } = {}): string {
  return deparse({
    DropStmt: {
      objects,
      removeType,
      behavior: extra.cascade ? 'DROP_CASCADE' : 'DROP_RESTRICT',
      ...(extra.concurrent ? { concurrent: true } : {}),
    },
  });
}

export function alterTable(key: string, searchPath: readonly string[], cmds: Json[], objtype = 'OBJECT_TABLE'): string {
  return deparse({ AlterTableStmt: { relation: rangeVar(key, searchPath), cmds: cmds.map((c) => ({ AlterTableCmd: c })), objtype } });
}

/** A type written as SQL (e.g. `varchar(20)[]`), as a TypeName node. */
export function parseTypeName(sql: string): Json | undefined {
  const cast = parseExpr(`NULL::${sql}`) as { TypeCast?: { typeName?: Json } } | undefined;
  return cast?.TypeCast?.typeName;
}

/** An expression written as SQL, as an AST node. */
export function parseExpr(sql: string): Json | undefined {
  try {
    const r = parseSync(`SELECT ${sql}`) as { stmts?: { stmt?: { SelectStmt?: { targetList?: { ResTarget?: { val?: Json } }[] } } }[] };
    return r.stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
  } catch {
    return undefined;
  }
}

/** A comment line for the down script (each line of `text` prefixed with `-- `). */
export function sqlComment(text: string): string {
  return text
    .split('\n')
    .map((l) => `-- ${l}`.trimEnd())
    .join('\n');
}

/** The marker every irreversible step carries, so reviewers (and the missing-rollback rule) can find it. */
export function irreversibleComment(why: string): string {
  return sqlComment(`pgdba: irreversible: ${why}`);
}
