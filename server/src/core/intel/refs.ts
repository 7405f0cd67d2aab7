// The names a statement mentions (relations, columns, functions, indexes, types), each with its text range and whether it defines the object: what go to definition, references and hover resolve.
import { as, listName, str, strs, walk, type QName } from '../parse/ast';
import { tokensCovering, type ParsedSql, type Statement, type Token } from '../parse/parse';

export type RefKind = 'relation' | 'column' | 'function' | 'index' | 'type';

export interface NameRef {
  kind: RefKind;
  /** String offsets of the written name (for a column: the column name alone; qualified names: the last part). */
  start: number;
  end: number;
  name: string;
  schema?: string;
  /** A column's qualifier as written (`o` in `o.total`), or the table a definition belongs to (`schema.name`). */
  qualifier?: string;
  /** For a column defined or altered by DDL: the table it belongs to. */
  table?: QName;
  /** The statement defines (or redefines) the object here. */
  definition?: boolean;
}

/** The relations a statement reads or writes, by the name column references qualify with (alias, else name). */
export interface StatementNames {
  statement: Statement;
  refs: NameRef[];
  /** alias or relation name → relation; unaliased relations also under their name. */
  relations: Map<string, QName>;
  /** WITH names of the statement: never catalog relations. */
  ctes: Set<string>;
}

const IDENT_LIKE = /^("([^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)$/;

export function isIdentToken(t: Token | undefined): boolean {
  return !!t && (t.name === 'IDENT' || (t.keyword !== 'NO_KEYWORD' && IDENT_LIKE.test(t.text)));
}

/** Folds an identifier token as PostgreSQL does: quoted keeps its case, unquoted is lower-cased. */
export function identName(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/** The identifier tokens of a dotted name starting at `at` (`a`, `a.b`, `a.b.c`). */
function dotted(tokens: Token[], at: number): Token[] {
  let i = tokens.findIndex((t) => t.start === at);
  if (i < 0) i = tokens.findIndex((t) => t.start > at && isIdentToken(t));
  const out: Token[] = [];
  while (i >= 0 && isIdentToken(tokens[i])) {
    out.push(tokens[i]);
    if (tokens[i + 1]?.text !== '.' || !isIdentToken(tokens[i + 2])) break;
    i += 2;
  }
  return out;
}

/** The first identifier token equal to `name` at or after `from` (names that carry no location of their own). */
function findName(tokens: Token[], from: number, name: string): Token | undefined {
  return tokens.find((t) => t.start >= from && isIdentToken(t) && identName(t.text) === name);
}

function qualified(name: QName): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

/** Every name the statement mentions. `tokens` are the statement's tokens (for names the AST does not place). */
export function statementNames(statement: Statement, tokens: Token[]): StatementNames {
  const refs: NameRef[] = [];
  const relations = new Map<string, QName>();
  const ctes = new Set<string>();
  const push = (kind: RefKind, tok: Token | undefined, name: string, extra: Partial<NameRef> = {}) => {
    if (tok) refs.push({ kind, start: tok.start, end: tok.end, name, ...extra });
  };
  const owner = as<{ relation?: { schemaname?: string; relname?: string; location?: number } }>(
    statement.node,
    statement.kind === 'CreateStmt' ? 'CreateStmt' : 'AlterTableStmt',
  )?.relation;
  const defining: QName | undefined = owner?.relname ? { schema: owner.schemaname || undefined, name: owner.relname } : undefined;
  const rangeVar = (v: Record<string, unknown>) => {
    const name = { schema: (v.schemaname as string) || undefined, name: String(v.relname ?? '') };
    const toks = dotted(tokens, Number(v.location ?? -1));
    const alias = (v.alias as { aliasname?: string } | undefined)?.aliasname;
    relations.set(alias ?? name.name, name);
    push('relation', toks[toks.length - 1], name.name, { schema: name.schema, definition: statement.kind === 'CreateStmt' && v.location === owner?.location });
  };
  walk(statement.node, (kind, v) => {
    // Fields such as `relation` hold a RangeVar without its wrapper: the walk only visits wrapped nodes.
    for (const key in v) {
      const field = v[key] as Record<string, unknown> | undefined;
      if (field && typeof field === 'object' && !Array.isArray(field) && 'relname' in field) rangeVar(field);
    }
    switch (kind) {
      case 'CommonTableExpr':
        if (typeof v.ctename === 'string') ctes.add(v.ctename);
        break;
      case 'RangeVar':
        rangeVar(v);
        break;
      case 'ColumnRef': {
        const fields = (v.fields as unknown[]) ?? [];
        const names = fields.map((f) => str(f));
        const last = names[names.length - 1];
        if (!last || last === '*') break;
        const toks = dotted(tokens, Number(v.location ?? -1));
        if (toks.length !== names.length) break;
        push('column', toks[toks.length - 1], last, { qualifier: names.length > 1 ? names.slice(0, -1).join('.') : undefined });
        break;
      }
      case 'FuncCall': {
        const name = listName(v.funcname);
        const toks = dotted(tokens, Number(v.location ?? -1));
        if (name) push('function', toks[toks.length - 1], name.name, { schema: name.schema });
        break;
      }
      case 'ColumnDef': {
        const colname = String(v.colname ?? '');
        const at = Number(v.location ?? -1);
        if (defining && colname)
          push('column', tokens.find((t) => t.start === at) ?? findName(tokens, at, colname), colname, { table: defining, definition: true });
        break;
      }
      case 'TypeName': {
        const names = strs(v.names);
        if (names[0] === 'pg_catalog' || !names.length) break;
        const toks = dotted(tokens, Number(v.location ?? -1));
        const name = names[names.length - 1];
        if (toks.length && identName(toks[toks.length - 1].text) === name)
          push('type', toks[toks.length - 1], name, { schema: names.length > 1 ? names[0] : undefined });
        break;
      }
      default:
        break;
    }
    return undefined;
  });
  addDdlNames(statement, tokens, refs, relations);
  return { statement, refs: refs.sort((a, b) => a.start - b.start), relations, ctes };
}

/** DDL names that carry no location: ALTER TABLE's column commands, index names, function names. */
function addDdlNames(statement: Statement, tokens: Token[], refs: NameRef[], relations: Map<string, QName>): void {
  const alter = as<{ relation?: { schemaname?: string; relname?: string; location?: number }; cmds?: unknown[] }>(statement.node, 'AlterTableStmt');
  if (alter?.relation?.relname) {
    const table = { schema: alter.relation.schemaname || undefined, name: alter.relation.relname };
    let from = alter.relation.location ?? statement.start;
    for (const c of alter.cmds ?? []) {
      const cmd = as<{ name?: string; subtype?: string; def?: unknown }>(c, 'AlterTableCmd');
      if (!cmd?.name || cmd.subtype === 'AT_AddConstraint' || /Constraint|Trig|Rule|Owner|Tablespace|Inherit/.test(cmd.subtype ?? '')) continue;
      const tok = findName(tokens, from, cmd.name);
      if (tok) {
        refs.push({ kind: 'column', start: tok.start, end: tok.end, name: cmd.name, table, qualifier: qualified(table) });
        from = tok.end;
      }
    }
  }
  const rename = as<{ renameType?: string; relation?: { schemaname?: string; relname?: string; location?: number }; subname?: string; newname?: string }>(
    statement.node,
    'RenameStmt',
  );
  if (rename?.renameType === 'OBJECT_COLUMN' && rename.relation?.relname && rename.subname) {
    const table = { schema: rename.relation.schemaname || undefined, name: rename.relation.relname };
    const tok = findName(tokens, rename.relation.location ?? statement.start, rename.subname);
    if (tok) refs.push({ kind: 'column', start: tok.start, end: tok.end, name: rename.subname, table, qualifier: qualified(table) });
  }
  const index = as<{ idxname?: string; relation?: { schemaname?: string; relname?: string }; indexParams?: unknown[] }>(statement.node, 'IndexStmt');
  if (index?.idxname) {
    const tok = findName(tokens, statement.start, index.idxname);
    if (tok)
      refs.push({ kind: 'index', start: tok.start, end: tok.end, name: index.idxname, schema: index.relation?.schemaname || undefined, definition: true });
  }
  if (index?.relation?.relname) {
    const table = { schema: index.relation.schemaname || undefined, name: index.relation.relname };
    relations.set(table.name, table);
    const after = refs.find((r) => r.kind === 'relation')?.end ?? statement.start;
    for (const p of index.indexParams ?? []) {
      const name = as<{ name?: string }>(p, 'IndexElem')?.name;
      const tok = name ? findName(tokens, after, name) : undefined;
      if (tok && name) refs.push({ kind: 'column', start: tok.start, end: tok.end, name, table, qualifier: qualified(table) });
    }
  }
  const fn = as<{ funcname?: unknown[] }>(statement.node, 'CreateFunctionStmt');
  const fname = fn ? listName(fn.funcname) : undefined;
  if (fname) {
    const tok = findName(tokens, statement.start, fname.name);
    if (tok) refs.push({ kind: 'function', start: tok.start, end: tok.end, name: fname.name, schema: fname.schema, definition: true });
  }
  const drop = as<{ removeType?: string; objects?: unknown[] }>(statement.node, 'DropStmt');
  const dropKind = drop && DROP_KINDS[drop.removeType ?? ''];
  if (drop && dropKind) {
    let from = statement.start;
    for (const o of drop.objects ?? []) {
      const list =
        as<{ items?: unknown[] }>(o, 'List')?.items ??
        as<{ objname?: unknown[] }>(o, 'ObjectWithArgs')?.objname ??
        as<{ names?: unknown[] }>(o, 'TypeName')?.names;
      const name = listName(list);
      const tok = name ? findName(tokens, from, name.name) : undefined;
      if (!tok || !name) continue;
      refs.push({ kind: dropKind, start: tok.start, end: tok.end, name: name.name, schema: name.schema });
      from = tok.end;
    }
  }
  const enumType =
    as<{ typeName?: unknown[] }>(statement.node, 'CreateEnumStmt') ??
    as<{ typevar?: { relname?: string; schemaname?: string } }>(statement.node, 'CompositeTypeStmt');
  const tname = enumType && 'typeName' in enumType ? listName(enumType.typeName) : undefined;
  if (tname) {
    const tok = findName(tokens, statement.start, tname.name);
    if (tok) refs.push({ kind: 'type', start: tok.start, end: tok.end, name: tname.name, schema: tname.schema, definition: true });
  }
}

const DROP_KINDS: Record<string, RefKind> = {
  OBJECT_TABLE: 'relation',
  OBJECT_VIEW: 'relation',
  OBJECT_MATVIEW: 'relation',
  OBJECT_FOREIGN_TABLE: 'relation',
  OBJECT_INDEX: 'index',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
};

const cache = new WeakMap<Statement, { start: number; text: string; names: StatementNames }>();

/** The names of one statement of a parsed file (cached per statement object: an edit re-derives only what it touched). */
export function namesOf(parsed: ParsedSql, statement: Statement): StatementNames {
  const hit = cache.get(statement);
  // A statement an edit above moved keeps its object: its cached offsets are stale then.
  if (hit && hit.start === statement.start && hit.text === statement.text) return hit.names;
  const names = statementNames(statement, tokensCovering(parsed, statement.start, statement.end));
  cache.set(statement, { start: statement.start, text: statement.text, names });
  return names;
}
