// security-definer-search-path: a SECURITY DEFINER routine must pin a search_path that untrusted roles cannot put objects in.
import type { VariableSetStmt } from '@pgsql/types';
import { searchPathOf } from '../catalog/functions';
import type { Catalog } from '../catalog/types';
import type { RoutineBody } from '../facts/plpgsql';
import { bodyOf, routinesFact, type Routine } from '../facts/routines';
import { as, constValue, strs, walk } from '../parse/ast';
import { tokensCovering, type ParsedSql, type Statement } from '../parse/parse';
import { defineRule, type Fix, type RuleContext } from './rule';

/** Schemas any role may create objects in: `public` (CREATE granted to PUBLIC before PostgreSQL 15) and `$user`. */
const UNTRUSTED = new Set(['public', '$user']);

/** PostgreSQL's default search_path, what `FROM CURRENT` captures when the migration never set one. */
const DEFAULT_PATH = ['$user', 'public'];

/** Built-in type names a body may use unqualified (they live in pg_catalog, so a pinned pg_catalog keeps them). */
const BUILTIN_TYPES = new Set([
  ...(
    'bigint bigserial bit boolean bool box bytea char character cidr circle date daterange decimal double float float4 float8 inet int int2 int4 int8 ' +
    'int4range int8range integer interval json jsonb jsonpath line lseg macaddr money name numeric numrange oid path point polygon real record ' +
    'refcursor regclass regproc regtype regnamespace regrole smallint serial text time timestamp timestamptz timetz tsquery tsrange tstzrange ' +
    'tsvector uuid varchar void xml trigger event_trigger anyelement anyarray'
  ).split(' '),
  'character varying',
  'double precision',
  'bit varying',
  'timestamp with time zone',
  'timestamp without time zone',
  'time with time zone',
  'time without time zone',
]);

/** A search_path entry as PostgreSQL reads it: quoted names keep their case, others fold to lower case. */
function entry(raw: string): string {
  const t = raw.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length > 1 ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
}

/** A search_path given as one string (set_config, a GUC file), split and case-folded as SplitIdentifierString does. */
export function normalizePath(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map(entry)
    .filter((p) => p !== '');
}

/**
 * A `SET search_path = …` argument list: each argument is one schema name as written (search_path is GUC_LIST_QUOTE, so
 * `SET search_path = 'pg_catalog, pg_temp'` is the single schema "pg_catalog, pg_temp"). Empty names match no schema.
 */
export function setPath(args: string[]): string[] {
  return args.filter((p) => p !== '');
}

interface Verdict {
  messageId: 'missing' | 'untrusted' | 'pgTemp' | 'fromCurrent';
  data: Record<string, string>;
}

/** Why a pinned path is unsafe, or undefined when it is safe: no untrusted schema, and pg_temp last (PostgreSQL docs, "Writing SECURITY DEFINER Functions Safely"). */
export function judgePath(path: string[]): { messageId: 'untrusted' | 'pgTemp'; schema?: string } | undefined {
  const bad = path.find((p) => UNTRUSTED.has(p));
  if (bad) return { messageId: 'untrusted', schema: bad };
  // Without an explicit pg_temp the temporary schema is searched first for tables and types.
  if (path[path.length - 1] !== 'pg_temp') return { messageId: 'pgTemp' };
  return undefined;
}

/** The session search_path in effect before `at` (SET search_path / set_config), for `SET search_path FROM CURRENT`. */
function sessionPath(parsed: ParsedSql, at: Statement): string[] {
  let path = DEFAULT_PATH;
  for (const s of parsed.statements) {
    if (s.start >= at.start) break;
    const set = as<VariableSetStmt>(s.node, 'VariableSetStmt');
    if (set?.name === 'search_path') {
      if (set.kind === 'VAR_SET_VALUE') path = setPath((set.args ?? []).map(constValue).filter((v): v is string => typeof v === 'string'));
      else if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') path = DEFAULT_PATH;
    } else if (s.kind === 'SelectStmt') {
      walk(s.node, (kind, v) => {
        const args = Array.isArray(v.args) ? v.args : [];
        if (
          kind === 'FuncCall' &&
          strs(v.funcname).pop() === 'set_config' &&
          constValue(args[0]) === 'search_path' &&
          typeof constValue(args[1]) === 'string'
        ) {
          path = normalizePath([constValue(args[1]) as string]);
        }
      });
    }
  }
  return path;
}

function verdict(
  ctx: RuleContext,
  path: string[] | undefined,
  clause: VariableSetStmt | undefined,
  stmt: Statement,
  kind: string,
  name: string,
  qualifiedOnly: () => boolean,
): Verdict | undefined {
  const data = { kind, name };
  if (path === undefined && clause?.kind === 'VAR_SET_CURRENT') {
    const current = sessionPath(ctx.parsed, stmt);
    const j = judgePath(current);
    return j ? { messageId: 'fromCurrent', data: { ...data, path: current.join(', ') || "''" } } : undefined;
  }
  if (path === undefined) return { messageId: 'missing', data };
  const norm = setPath(path);
  const j = judgePath(norm);
  if (!j) return undefined;
  // `SET search_path = ''` leaves only the implicit pg_temp and pg_catalog: safe when the body names every table and type with its schema.
  if (j.messageId === 'pgTemp' && norm.length === 0 && qualifiedOnly()) return undefined;
  return { messageId: j.messageId, data: { ...data, path: norm.join(', ') || "''", schema: j.schema ?? '' } };
}

function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

/** A type name from PL/pgSQL or the AST without modifiers, array marks or %ROWTYPE / %TYPE. */
function bareType(t: string): string {
  return t
    .replace(/%(row)?type$/i, '')
    .replace(/\(.*\)$/, '')
    .replace(/(\[\])+$/, '')
    .trim()
    .toLowerCase();
}

/**
 * The path to pin so that every unqualified name the body uses still resolves as it did: pg_catalog first (where it is
 * implicitly anyway), then the trusted schemas those names live in (the routine's own schema included), then pg_temp.
 * Undefined when that cannot be known or needs an untrusted schema: then the names must be qualified by hand.
 */
export function safePathFor(r: Routine, b: RoutineBody, schema: string, pinned: string[] | undefined, catalog: Catalog): string | undefined {
  if (b.problems.length || !['plpgsql', 'sql', 'c', 'internal'].includes(r.language)) return undefined;
  if ((r.language === 'plpgsql' || r.language === 'sql') && !r.body && b.sql.length === 0) return undefined;
  const needed = new Set<string>();
  if (!UNTRUSTED.has(schema)) needed.add(schema);
  // Unqualified names resolve through the pinned path when there is one, else (usually) the routine's schema and public.
  const lookIn = pinned ? setPath(pinned).filter((p) => p !== 'pg_catalog' && p !== 'pg_temp' && p !== '$user') : [schema, 'public'];
  const extensions = [...catalog.extensions].some((e) => e !== 'plpgsql');
  let unknown = false;
  const local = new Set<string>();
  for (const q of b.sql)
    walk(q.statements, (kind, v) => {
      const rel =
        kind === 'CreateStmt' || kind === 'CreateTableAsStmt'
          ? ((v.relation ?? (v.into as { rel?: unknown } | undefined)?.rel) as { relname?: string } | undefined)
          : undefined;
      if (rel?.relname) local.add(rel.relname);
    });
  for (const q of b.sql) {
    for (const t of q.tables) {
      // pg_class, pg_tables…: system catalogs live in pg_catalog, which stays first.
      if (t.schema || t.name.startsWith('pg_')) continue;
      const found = lookIn.find((s) => catalog.tables.has(`${s}.${t.name}`));
      if (found) needed.add(found);
      else if (!local.has(t.name)) unknown = true;
    }
    walk(q.statements, (kind, v) => {
      if (kind === 'FuncCall') {
        const parts = strs(v.funcname);
        if (parts.length !== 1) return;
        const found = lookIn.find((s) => catalog.functions.has(`${s}.${parts[0]}`));
        if (found) needed.add(found);
        else if (extensions) unknown = true; // may be an extension's function installed in public
      } else if (kind === 'TypeName') {
        const parts = strs(v.names);
        if (parts.length === 1) typeNeed(parts[0]);
      }
    });
  }
  function typeNeed(raw: string): void {
    const t = bareType(raw);
    if (!t || t.includes('.') || BUILTIN_TYPES.has(t)) return;
    const found = lookIn.find((s) => catalog.enums.has(`${s}.${t}`) || catalog.tables.has(`${s}.${t}`));
    if (found) needed.add(found);
    else if (extensions) unknown = true;
  }
  for (const v of b.variables) if (!v.param) typeNeed(v.type);
  if (unknown || [...needed].some((s) => UNTRUSTED.has(s))) return undefined;
  return ['pg_catalog', ...[...needed].map(quoteIdent), 'pg_temp'].join(', ');
}

function fixFor(ctx: RuleContext, clause: { start: number; end: number } | undefined, insertAt: number, path: string): Fix {
  const set = `SET search_path = ${path}`;
  const title = `Pin ${set}`;
  if (clause) return { title, edits: [{ start: clause.start, end: clause.end, newText: set }] };
  const text = ctx.parsed.text;
  const lineStart = text.lastIndexOf('\n', insertAt - 1) + 1;
  const before = text.slice(lineStart, insertAt);
  // Keep the layout: before a keyword that starts its own line the option gets a line of its own; at a statement's end it follows a space.
  let newText = `${set} `;
  if (/^\s*$/.test(before) && lineStart > 0) newText = `${set}\n${before}`;
  else if (!/\s/.test(text[insertAt - 1] ?? ' ')) newText = ` ${set}`;
  return { title, edits: [{ start: insertAt, end: insertAt, newText }] };
}

/** Type names the grammar itself qualifies with pg_catalog (keywords such as integer), as PL/pgSQL reports declared types. */
const KEYWORD_TYPES =
  /^(smallint|integer|int|bigint|real|float|double precision|numeric|decimal|boolean|character varying|varchar|character|char|timestamp|time|interval|bit)( |\(|\[|$)/;

/**
 * Whether a SQL or PL/pgSQL body names every table and type with its schema, so that no name is looked up in the
 * implicit pg_temp (searched first for relations and types, never for functions or operators).
 */
function qualifiesEveryName(r: Routine, b: RoutineBody): boolean {
  if (b.problems.length || !['plpgsql', 'sql'].includes(r.language) || (!r.body && !r.sqlBody)) return false;
  let ok = b.sql.every((q) => q.tables.every((t) => t.schema !== undefined));
  for (const q of b.sql)
    walk(q.statements, (kind, v) => {
      // TypeCast and ColumnDef hold their TypeName unwrapped.
      const t = kind === 'TypeName' ? v : kind === 'TypeCast' || kind === 'ColumnDef' ? (v.typeName as Record<string, unknown> | undefined) : undefined;
      if (t && strs(t.names).length < 2) ok = false;
    });
  for (const v of b.variables) if (v.declared && !v.type.includes('.') && !KEYWORD_TYPES.test(v.type.toLowerCase())) ok = false;
  return ok;
}

function samePath(a: string[] | undefined, b: string[] | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export default defineRule({
  id: 'security-definer-search-path',
  category: 'security-definer',
  severity: 'error',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    missing:
      "SECURITY DEFINER {kind} {name} does not pin search_path: it runs with its owner's privileges but resolves unqualified names through the caller's search_path, so a caller can shadow them with their own (or temporary) objects.",
    untrusted:
      "SECURITY DEFINER {kind} {name} pins search_path = {path}, and {schema} is a schema other roles may create objects in (every role could create in public before PostgreSQL 15): they can shadow the names the {kind} uses and run code with its owner's privileges.",
    pgTemp:
      'SECURITY DEFINER {kind} {name} pins search_path = {path} without pg_temp last: the temporary schema is then searched first for tables and types, so any caller can shadow them with temporary objects.',
    fromCurrent:
      "SECURITY DEFINER {kind} {name} pins search_path FROM CURRENT, which captures the migration session's {path}: it lets untrusted or temporary schemas in.",
  },
  docs: {
    summary: 'SECURITY DEFINER function or procedure without a safe, pinned search_path.',
    why:
      "A SECURITY DEFINER routine runs with its owner's privileges. Without `SET search_path`, unqualified names resolve through the caller's path; a path that includes `public` or `$user` lets anyone who can create objects there shadow them; and unless `pg_temp` is listed last, the session's temporary schema is searched first for tables and types, so every caller can shadow them with temporary objects (PostgreSQL docs, \"Writing SECURITY DEFINER Functions Safely\"; pgspot PS003/PS004). " +
      "The quick fix pins `pg_catalog, <schemas the body needs>, pg_temp`: pg_catalog first changes nothing (it is searched first when omitted), the routine's own schema and the schemas of the tables, functions and types the body names unqualified are kept so the body still resolves the same objects, and pg_temp goes last. When those names live in `public`, no quick fix is offered: qualify them (public.users) and pin `pg_catalog, pg_temp`.",
    help: 'Add SET search_path = pg_catalog, pg_temp (plus the trusted schemas the body needs, before pg_temp) and schema-qualify the names the body uses.',
    bad: [
      'CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;',
      'CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$ SELECT true $$;',
      'CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT true $$;',
    ],
    good: [
      'CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT true $$;',
      'CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;\nALTER FUNCTION app.is_admin() SET search_path = pg_catalog, app, pg_temp;',
      'CREATE FUNCTION app.now_utc() RETURNS timestamp LANGUAGE sql AS $$ SELECT now() $$;',
    ],
  },
  sources: [
    { tool: 'pgspot', rule: 'PS003', relation: 'same' },
    { tool: 'pgspot', rule: 'PS004', relation: 'same' },
  ],
  check(ctx) {
    const { routines, alters } = ctx.facts.get(routinesFact);
    interface Target {
      routine?: Routine;
      schema: string;
      range: { start: number; end: number };
      stmt: Statement;
      clause: Routine['searchPathClause'];
      insertAt: number;
      /** Whether pinning the path in this statement decides the routine's final search_path. */
      decides: boolean;
      finalPath: string[] | undefined;
      kind: string;
      name: string;
    }
    const check = (t: Target) => {
      const v = verdict(
        ctx,
        t.finalPath,
        t.clause?.set,
        t.stmt,
        t.kind,
        t.name,
        () => !!t.routine && qualifiesEveryName(t.routine, bodyOf(ctx.facts, t.routine)),
      );
      if (!v) return;
      const path = t.routine && t.decides ? safePathFor(t.routine, bodyOf(ctx.facts, t.routine), t.schema, t.finalPath, ctx.catalog) : undefined;
      ctx.report({ ...t.range, messageId: v.messageId, data: v.data, statement: t.stmt, fix: path ? fixFor(ctx, t.clause, t.insertAt, path) : undefined });
    };
    // Down and verify parts never reach the catalog: judge their statements as written.
    const inCatalog = ctx.file.role === 'migration-up' || ctx.file.role === 'plain';
    for (const r of routines) {
      if (r.kind === 'do' || !r.name) continue;
      const def = r.definition;
      // Functions made definer by a later ALTER are reported at that ALTER.
      if (inCatalog ? !def || !r.securityDefiner || !def.securityDefiner || def.definerSetAt : !r.securityDefiner) continue;
      // Read only now: the clause and the ranges are placed with the statement's tokens.
      const own = searchPathOf(r.searchPathClause?.set);
      const base = { routine: r, range: r.nameRange, stmt: r.statement, clause: r.searchPathClause, insertAt: r.optionInsertAt, kind: r.kind };
      if (inCatalog && def) {
        check({ ...base, schema: def.schema, decides: samePath(own, def.searchPath), finalPath: def.searchPath, name: `${def.schema}.${def.name}` });
      } else {
        check({
          ...base,
          schema: r.name.schema ?? 'public',
          decides: true,
          finalPath: own,
          name: r.name.schema ? `${r.name.schema}.${r.name.name}` : r.name.name,
        });
      }
    }
    for (const a of alters) {
      const def = a.definitions[0];
      // ALTER … SECURITY DEFINER [RESTRICT]: a new option goes before RESTRICT, or at the end.
      const toks = tokensCovering(ctx.parsed, a.statement.start, a.statement.end).filter((t) => t.start >= a.statement.start && t.end <= a.statement.end);
      const last = toks[toks.length - 1];
      const insertAt = last && /^restrict$/i.test(last.text) ? last.start : a.statement.end;
      const decides = a.searchPathClause ? samePath(searchPathOf(a.searchPathClause.set), def.searchPath) : def.searchPath === undefined;
      check({
        routine: routines.find((r) => r.definition === def),
        schema: def.schema,
        range: a.nameRange,
        stmt: a.statement,
        clause: a.searchPathClause,
        insertAt,
        decides,
        finalPath: def.searchPath,
        kind: def.kind,
        name: `${def.schema}.${def.name}`,
      });
    }
  },
});
