// Normal forms that make a schema read from SQL text and one read from pg_catalog compare equal: expressions are parsed
// and deparsed by libpg-query (casts, qualifiers and IN/BETWEEN/LIKE spellings folded), types printed as format_type does.
import { parseSync } from 'libpg-query';
import type { TypeName } from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import { as, strs, unwrap } from '../parse/ast';

/** Schemas whose qualifier PostgreSQL leaves out with `search_path = public, pg_catalog` (what introspection sets). */
const VISIBLE = new Set(['public', 'pg_catalog']);

type Json = Record<string, unknown>;

function sval(s: string): Json {
  return { A_Const: { sval: { sval: s } } };
}

/** The text of a constant, whatever its kind: PostgreSQL prints `'-1'::integer` where the source said `-1`. */
function constText(c: Json): string | undefined {
  if (c.isnull) return undefined;
  // Booleans print as text too: PostgreSQL folds `'false'` on a boolean column to `false`.
  if (c.boolval !== undefined) return (c.boolval as Json).boolval ? 'true' : 'false';
  const v =
    (c.sval as Json | undefined)?.sval ?? (c.ival as Json | undefined)?.ival ?? (c.fval as Json | undefined)?.fval ?? (c.bsval as Json | undefined)?.bsval;
  if (v !== undefined) return String(v);
  return '0'; // ival 0 is an empty object
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d:\d\d(?:\.\d+)?))?(?:\+00(?::00)?|Z)?$/;

/**
 * PostgreSQL folds a typed literal when it stores it: `'1970-01-01'` on a timestamptz column comes back as
 * `'1970-01-01 00:00:00+00'` (with TimeZone UTC) and an empty bytea as `'\x'`. Midnight and a zero offset go, so that
 * both spellings read the same.
 */
function canonicalLiteral(text: string): string {
  if (text === '\\x') return '';
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  return m[2] && m[2] !== '00:00:00' ? `${m[1]} ${m[2]}` : m[1];
}

const NEXTVAL = new Set(['nextval', 'currval', 'setval']);

const MONTHS: Record<string, number> = { year: 12, years: 12, y: 12, yr: 12, yrs: 12, month: 1, months: 1, mon: 1, mons: 1 };
const DAYS: Record<string, number> = { week: 7, weeks: 7, w: 7, day: 1, days: 1, d: 1 };
const SECONDS: Record<string, number> = {
  hour: 3600,
  hours: 3600,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  minute: 60,
  minutes: 60,
  min: 60,
  mins: 60,
  m: 60,
  second: 1,
  seconds: 1,
  sec: 1,
  secs: 1,
  s: 1,
};

/**
 * An interval literal as PostgreSQL prints it back (IntervalStyle postgres): `'12 months'` is stored as `1 year`,
 * `'2 weeks'` as `14 days`, `'90 minutes'` as `01:30:00`. Only whole, non-negative amounts of named units are
 * rewritten; anything else is left as written.
 */
export function canonicalInterval(text: string): string {
  const words = text.trim().toLowerCase().split(/\s+/);
  if (words.length % 2 !== 0 || !words.length) return text;
  let months = 0;
  let days = 0;
  let seconds = 0;
  for (let i = 0; i < words.length; i += 2) {
    if (!/^\d+$/.test(words[i])) return text;
    const n = Number(words[i]);
    const unit = words[i + 1];
    if (MONTHS[unit]) months += n * MONTHS[unit];
    else if (DAYS[unit]) days += n * DAYS[unit];
    else if (SECONDS[unit]) seconds += n * SECONDS[unit];
    else return text;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  if (months >= 12) parts.push(plural(Math.floor(months / 12), 'year', 'years'));
  if (months % 12) parts.push(plural(months % 12, 'mon', 'mons'));
  if (days) parts.push(plural(days, 'day', 'days'));
  if (seconds || !parts.length) {
    const two = (n: number) => String(n).padStart(2, '0');
    parts.push(`${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`);
  }
  return parts.join(' ');
}

/** Rewrites one node into its normal form (children first); returns the replacement. */
function fold(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fold);
  if (node === null || typeof node !== 'object') return node;
  const u = unwrap(node);
  if (!u) {
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) if (k !== 'location' && !k.endsWith('_list_start') && !k.endsWith('_list_end')) out[k] = fold(v);
    return out;
  }
  const v = fold(u.value) as Json;
  switch (u.kind) {
    case 'TypeCast': {
      // PostgreSQL adds casts the source did not write (`'a'::text`, `(0)::numeric`); drop all casts on both sides.
      // An interval literal is kept in the form PostgreSQL stores it in.
      const typeName = strs((v.typeName as Json | undefined)?.names).pop();
      const text = typeName === 'interval' ? ((as<Json>(v.arg, 'A_Const')?.sval as Json | undefined)?.sval as string | undefined) : undefined;
      return text === undefined ? v.arg : sval(canonicalInterval(text));
    }
    case 'A_Const': {
      const text = constText(v);
      return text === undefined ? { A_Const: v } : sval(canonicalLiteral(text));
    }
    case 'ColumnRef': {
      // Policies and views come back with table-qualified columns.
      const fields = v.fields as unknown[];
      return { ColumnRef: { ...v, fields: fields.length > 1 && unwrap(fields[fields.length - 1])?.kind === 'String' ? fields.slice(-1) : fields } };
    }
    case 'FuncCall': {
      const names = strs(v.funcname);
      const funcname = names.length > 1 && VISIBLE.has(names[0]) ? (v.funcname as unknown[]).slice(1) : v.funcname;
      let args = v.args as unknown[] | undefined;
      const last = names[names.length - 1];
      if (NEXTVAL.has(last) && args?.length) {
        const seq = as<Json>(args[0], 'A_Const');
        const name = (seq?.sval as Json | undefined)?.sval;
        if (typeof name === 'string') args = [sval(name.replace(/^public\./, '')), ...args.slice(1)];
      }
      return { FuncCall: { ...v, funcname, args } };
    }
    case 'A_Expr': {
      if (v.kind === 'AEXPR_IN') {
        const op = strs(v.name)[0];
        const items = as<{ items?: unknown[] }>(v.rexpr, 'List')?.items ?? [];
        return { A_Expr: { kind: op === '=' ? 'AEXPR_OP_ANY' : 'AEXPR_OP_ALL', name: v.name, lexpr: v.lexpr, rexpr: { A_ArrayExpr: { elements: items } } } };
      }
      if (v.kind === 'AEXPR_LIKE' || v.kind === 'AEXPR_ILIKE') return { A_Expr: { ...v, kind: 'AEXPR_OP' } };
      if (v.kind === 'AEXPR_BETWEEN' || v.kind === 'AEXPR_NOT_BETWEEN') {
        const [lo, hi] = as<{ items?: unknown[] }>(v.rexpr, 'List')?.items ?? [];
        const cmp = (name: string, r: unknown) => ({ A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: name } }], lexpr: v.lexpr, rexpr: r } });
        const not = v.kind === 'AEXPR_NOT_BETWEEN';
        return { BoolExpr: { boolop: not ? 'OR_EXPR' : 'AND_EXPR', args: [cmp(not ? '<' : '>=', lo), cmp(not ? '>' : '<=', hi)] } };
      }
      return { A_Expr: v };
    }
    case 'BoolExpr': {
      // (a AND b) AND c and a AND (b AND c) are one expression to PostgreSQL.
      const args = (v.args as unknown[]).flatMap((a) =>
        as<Json>(a, 'BoolExpr')?.boolop === v.boolop && v.boolop !== 'NOT_EXPR' ? (as<Json>(a, 'BoolExpr')?.args as unknown[]) : [a],
      );
      return { BoolExpr: { ...v, args } };
    }
    default:
      return { [u.kind]: v };
  }
}

function deparseNode(node: unknown): string | undefined {
  try {
    return deparseSync(node as never)
      .replace(/\s+/g, ' ')
      .trim();
  } catch {
    return undefined;
  }
}

/** An expression AST in normal form, as SQL text. */
export function normalizeExprNode(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  return deparseNode(fold(node));
}

const exprCache = new Map<string, string>();

/** An expression's text (from pg_get_expr or from the source) in normal form; unparsable text is kept, whitespace collapsed. */
export function normalizeExpr(text: string | undefined | null): string | undefined {
  if (text === undefined || text === null) return undefined;
  const hit = exprCache.get(text);
  if (hit !== undefined) return hit;
  let out: string | undefined;
  try {
    const stmt = (parseSync(`SELECT ${text}`) as { stmts?: { stmt?: unknown }[] }).stmts?.[0]?.stmt;
    const target = as<{ targetList?: unknown[] }>(stmt, 'SelectStmt')?.targetList;
    if (target?.length === 1) out = normalizeExprNode(as<{ val?: unknown }>(target[0], 'ResTarget')?.val);
  } catch {
    out = undefined;
  }
  out ??= text.replace(/\s+/g, ' ').trim();
  exprCache.set(text, out);
  return out;
}

/** Parses one statement (e.g. `ALTER TABLE x ADD CONSTRAINT c <pg_get_constraintdef>`); undefined when it does not parse. */
export function parseOne(sql: string): { kind: string; value: Record<string, unknown> } | undefined {
  try {
    return unwrap((parseSync(sql) as { stmts?: { stmt?: unknown }[] }).stmts?.[0]?.stmt);
  } catch {
    return undefined;
  }
}

/** A function or trigger body compared by its words: indentation and line breaks do not change a function. */
export function normalizeBody(text: string | undefined | null): string | undefined {
  return text === undefined || text === null ? undefined : text.replace(/\s+/g, ' ').trim();
}

// format_type's names for the parser's internal type names (src/backend/utils/adt/format_type.c).
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  decimal: 'numeric',
};

const WITH_PRECISION = /^(timestamp|time)( with(out)? time zone)$/;

/** A TypeName as format_type prints it: `integer`, `character varying(255)`, `timestamp(3) with time zone`, `text[]`. */
export function formatTypeName(t: TypeName | undefined): string {
  if (!t) return '';
  let names = strs(t.names);
  if (names.length > 1 && VISIBLE.has(names[0])) names = names.slice(1);
  const base = names.join('.');
  const mods = (t.typmods ?? []).map((m) => {
    const c = as<Json>(m, 'A_Const');
    return c ? constText(c) : normalizeExprNode(m);
  });
  let name = TYPE_NAMES[base] ?? base;
  // char without a length is character(1); interval's typmods encode fields and precision, left as written.
  if (base === 'bpchar' && !mods.length && names.length === 1) mods.push('1');
  const m = WITH_PRECISION.exec(name);
  if (m && mods.length) name = `${m[1]}(${mods.join(',')})${m[2]}`;
  else if (mods.length && base !== 'interval') name = `${name}(${mods.join(',')})`;
  if (t.arrayBounds?.length) name += '[]';
  return t.setof ? `SETOF ${name}` : name;
}

const typeCache = new Map<string, string>();

/** A type written as SQL text (`varchar(20)`, `public.status[]`) in format_type's spelling. */
export function normalizeTypeText(text: string | undefined): string {
  if (!text) return '';
  const hit = typeCache.get(text);
  if (hit !== undefined) return hit;
  const stmt = parseOne(`SELECT NULL::${text}`);
  const target = (stmt?.value.targetList as unknown[] | undefined)?.[0];
  const cast = as<{ typeName?: TypeName }>(as<{ val?: unknown }>(target, 'ResTarget')?.val, 'TypeCast');
  const out = cast?.typeName ? formatTypeName(cast.typeName) : text;
  typeCache.set(text, out);
  return out;
}

/** schema.name of a qualified name, with `public` for an unqualified one. */
export function qualifiedKey(names: string[]): string {
  return names.length > 1 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `public.${names[0] ?? ''}`;
}

/** A name as PostgreSQL prints it under `search_path = public`: public objects unqualified. */
export function visibleName(names: string[]): string {
  return names.length > 1 && VISIBLE.has(names[names.length - 2]) ? names[names.length - 1] : names.slice(-2).join('.');
}
