// Column definitions written in the file (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE) with the exact range of each type name.
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, RangeVar, TypeName } from '@pgsql/types';
import { as, constValue, strs } from '../parse/ast';
import { tokenIndexAt, tokensCovering, type ParsedSql, type Statement } from '../parse/parse';
import { isBlank, plainWordEnd, skipBlanks } from '../parse/plain-text';
import { createdInFile } from './created-in-file';
import { defineFact } from './file-facts';
import { lazyField } from './lazy';
import { relationText, type Range } from './relations';

export interface ColumnType {
  stmt: Statement;
  /** How the type was written: a new table's column, an added column, or a type change. */
  via: 'create' | 'add' | 'alter';
  table: RangeVar;
  tableText: string;
  column: string;
  def: ColumnDef;
  typeName: TypeName;
  /** The type's last name part, lower-case (int4, varchar, timestamp, bigserial, …). */
  base: string;
  /** The type as written, e.g. `timestamp(3) without time zone`. */
  range: Range;
  /** The column is (part of) the table's PRIMARY KEY in this statement. */
  primaryKey: boolean;
  /** The column is GENERATED … AS IDENTITY. */
  identity: boolean;
  /** Its values come from a sequence: identity, serial, or a nextval() default in the final schema. */
  sequenceBacked: boolean;
  /**
   * The workspace's final schema still has this column with this base type. False when a later migration changed
   * the type or dropped the column: design advice about this definition is then history.
   */
  current: boolean;
}

const TYPE_WORDS = new Set(['with', 'without', 'time', 'zone', 'varying', 'precision']);

/** The end of `(digits, …)` or `[digits]` at `p` (only digits, commas and blanks inside); -1 for anything else. */
function plainListEnd(text: string, p: number, close: string): number {
  let i = p + 1;
  while (i < text.length && (isBlank(text[i]) || text[i] === ',' || (text[i] >= '0' && text[i] <= '9'))) i++;
  return text[i] === close ? i + 1 : -1;
}

/**
 * typeRange read from the text when its tokens are beyond doubt: plain words (the type name and `with time zone`
 * and the like), a list of integer modifiers, and `[]`s, separated by blanks; -1 when only the scanner can tell.
 * As typeRange, it stops at the first token that is none of those (a comment too, which typeRange does not skip).
 */
export function plainTypeEnd(text: string, at: number): number {
  let end = plainWordEnd(text, at);
  if (end < 0) return -1;
  let modsSeen = false;
  let bracket = false;
  for (;;) {
    const p = skipBlanks(text, end);
    const c = text[p];
    if (c === undefined) return end;
    const code = c.charCodeAt(0);
    // After a blank may come a \v (blank or not, depending on the scanner) or a non-ASCII word: leave it to the scanner.
    if (code <= 0x20 || code >= 0x7f || c === '.') return -1;
    if (c === '[') {
      const e = plainListEnd(text, p, ']');
      if (e < 0) return -1;
      end = e;
      bracket = true;
      continue;
    }
    if (bracket) return end;
    if (c === '(' && !modsSeen) {
      const e = plainListEnd(text, p, ')');
      if (e < 0) return -1;
      end = e;
      modsSeen = true;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const e = plainWordEnd(text, p);
      if (e < 0) return -1;
      if (!TYPE_WORDS.has(text.slice(p, e).toLowerCase())) return end;
      end = e;
      continue;
    }
    return end;
  }
}

/** The text range of a type name starting at its location: words, a (modifier) list, `with time zone`, and `[]`s. */
export function typeRange(parsed: ParsedSql, at: number): Range {
  const plain = plainTypeEnd(parsed.text, at);
  if (plain >= 0) return { start: at, end: plain };
  const toks = tokensCovering(parsed, at);
  let i = tokenIndexAt(toks, at);
  if (!toks[i] || toks[i].start !== at) return { start: at, end: at + 1 };
  let end = toks[i].end;
  i++;
  const words = () => {
    while (toks[i] && (TYPE_WORDS.has(toks[i].text.toLowerCase()) || (toks[i].text === '.' && toks[i + 1]))) {
      if (toks[i].text === '.') i++;
      end = toks[i].end;
      i++;
    }
  };
  words();
  if (toks[i]?.text === '(') {
    let depth = 0;
    for (; i < toks.length; i++) {
      if (toks[i].text === '(') depth++;
      if (toks[i].text === ')') depth--;
      if (depth === 0) break;
    }
    if (toks[i]) end = toks[i].end;
    i++;
    words();
  }
  while (toks[i]?.text === '[') {
    while (toks[i] && toks[i].text !== ']') i++;
    if (toks[i]) end = toks[i].end;
    i++;
  }
  return { start: at, end };
}

function constraintsOf(def: ColumnDef): Constraint[] {
  return (def.constraints ?? []).map((c) => as<Constraint>(c, 'Constraint')).filter((c): c is Constraint => !!c);
}

/** The base name of a catalog type string such as `pg_catalog.varchar(255)[]` → `varchar`. */
function catalogBase(type: string): string {
  const name = type.replace(/\(.*$/, '').replace(/\[\]/g, '').trim().toLowerCase().split('.').pop() ?? '';
  return ALIASES[name] ?? name;
}

export const columnTypes = defineFact('column-types', (ctx, facts): ColumnType[] => {
  const created = facts.get(createdInFile);
  const out: ColumnType[] = [];
  const push = (stmt: Statement, via: ColumnType['via'], table: RangeVar, def: ColumnDef | undefined, column: string | undefined, pkCols: Set<string>) => {
    const t = def?.typeName;
    if (!def || !t || !column || typeof t.location !== 'number' || t.location < stmt.start) return;
    const cons = constraintsOf(def);
    const base = (strs(t.names).pop() ?? '').toLowerCase();
    // A table missing from the catalog may live outside the workspace: keep reporting it.
    const finalTable = ctx.catalog.tables.get(created.resolve(table, stmt));
    const final = finalTable?.columns.get(column);
    const at = t.location;
    const columnType: ColumnType = {
      stmt,
      via,
      table,
      tableText: relationText(table),
      column,
      def,
      typeName: t,
      base,
      current: !finalTable || (final !== undefined && catalogBase(final.type) === (ALIASES[base] ?? base)),
      // Placeholder: the range needs the statement's tokens, so lazyField below finds it when a rule first reads it.
      range: { start: at, end: at + 1 },
      // pg_dump style adds the key later (ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY): the final schema knows it.
      primaryKey:
        pkCols.has(column) ||
        cons.some((c) => c.contype === 'CONSTR_PRIMARY') ||
        !!finalTable?.constraints.some((k) => k.type === 'primary' && k.columns.length === 1 && k.columns[0] === column),
      identity: cons.some((c) => c.contype === 'CONSTR_IDENTITY'),
      sequenceBacked:
        base.includes('serial') || cons.some((c) => c.contype === 'CONSTR_IDENTITY') || !!final?.identity || /\bnextval\s*\(/i.test(final?.default ?? ''),
    };
    out.push(lazyField(columnType, 'range', () => typeRange(ctx.parsed, at)));
  };
  for (const stmt of ctx.statements) {
    // Kind first: reading `node` would force the lazy location shift of every statement after an edit.
    if (stmt.kind !== 'CreateStmt' && stmt.kind !== 'AlterTableStmt') continue;
    const create = as<CreateStmt>(stmt.node, 'CreateStmt');
    if (create?.relation) {
      const pk = new Set<string>();
      for (const e of create.tableElts ?? []) {
        const con = as<Constraint>(e, 'Constraint');
        if (con?.contype === 'CONSTR_PRIMARY') for (const k of strs(con.keys)) pk.add(k);
      }
      for (const e of create.tableElts ?? []) {
        const def = as<ColumnDef>(e, 'ColumnDef');
        push(stmt, 'create', create.relation, def, def?.colname, pk);
      }
    }
    const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
    if (alter?.relation && alter.objtype === 'OBJECT_TABLE') {
      for (const c of alter.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        const def = as<ColumnDef>(cmd?.def, 'ColumnDef');
        if (cmd?.subtype === 'AT_AddColumn') push(stmt, 'add', alter.relation, def, def?.colname, new Set());
        if (cmd?.subtype === 'AT_AlterColumnType') push(stmt, 'alter', alter.relation, def, cmd.name, new Set());
      }
    }
  }
  return out;
});

export interface TypeInfo {
  base: string;
  mods: number[];
  array: boolean;
}

const ALIASES: Record<string, string> = {
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  decimal: 'numeric',
  int: 'int4',
  integer: 'int4',
  int4: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'bit varying': 'varbit',
};

export function typeInfo(t: TypeName | undefined): TypeInfo {
  const names = strs(t?.names).filter((n) => n !== 'pg_catalog');
  const base = names.join('.').toLowerCase();
  const mods = (t?.typmods ?? []).map((m) => constValue(m)).filter((v): v is number => typeof v === 'number');
  return { base: ALIASES[base] ?? base, mods, array: (t?.arrayBounds ?? []).length > 0 };
}

/** A catalog type string (`varchar(255)`, `pg_catalog.int4`, `text[]`, `my_enum`) as TypeInfo. */
export function typeInfoFromText(type: string): TypeInfo {
  const array = /\[\]\s*$/.test(type);
  const mods = (/\(([^)]*)\)/.exec(type)?.[1] ?? '')
    .split(',')
    .map((m) => Number(m.trim()))
    .filter((n) => Number.isFinite(n) && String(n) !== '');
  return { base: catalogBase(type), mods: /\(/.test(type) ? mods : [], array };
}

/** Targets that any string-like source reaches without a rewrite: PostgreSQL relabels varchar(n) → text / unbounded varchar. */
export const UNBOUNDED_TEXT = new Set(['text', 'varchar', 'citext']);

/**
 * Whether changing `from` to `to` rewrites the table (ATColumnChangeRequiresRewrite in tablecmds.c): binary-coercible
 * casts and length/precision increases handled by the type's support function (varchar, numeric, varbit, timestamp
 * precision) are metadata-only. https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
export function typeChangeRewrites(from: TypeInfo, to: TypeInfo): boolean {
  if (from.array !== to.array) return true;
  const f = from.base;
  const t = to.base;
  if (f === t) {
    if (to.mods.length === 0) return !['varchar', 'numeric', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval'].includes(t);
    if (from.mods.length === 0) return true;
    if (t === 'varchar' || t === 'varbit') return to.mods[0] < from.mods[0];
    if (t === 'numeric') return (to.mods[1] ?? 0) !== (from.mods[1] ?? 0) || to.mods[0] < from.mods[0];
    if (['timestamp', 'timestamptz', 'time', 'timetz', 'interval'].includes(t)) return to.mods[0] < from.mods[0];
    return to.mods.join() !== from.mods.join();
  }
  if ((f === 'varchar' || f === 'text' || f === 'citext') && UNBOUNDED_TEXT.has(t) && to.mods.length === 0) return false;
  if (f === 'cidr' && t === 'inet') return false;
  if (f === 'xml' && t === 'text') return false;
  return true;
}
