// Names a query uses that the project's schema does not define (relations, columns, functions), for the unknown-* rules; silent where the schema is visibly incomplete.
import { platformOf, platformSchemasOf } from '../projects/platform';
import type { Catalog, FunctionDef, Table } from '../catalog/types';
import { extensionNames, systemObjects } from '../intel/builtins';
import { statementNames, type NameRef, type StatementNames } from '../intel/refs';
import type { Node } from '@pgsql/types';
import { as, strs, unwrap, walk } from '../parse/ast';
import { ByteOffsetMap } from '../parse/offsets';
import { scanTokens, tokensCovering, type Statement } from '../parse/parse';
import { defineFact, type FileFacts } from './file-facts';
import { bodyOf, routineOf } from './routines';

export interface UnknownName {
  kind: 'relation' | 'column' | 'function';
  start: number;
  end: number;
  name: string;
  /** The closest known name, for "did you mean". */
  suggestion?: string;
  /** For a function: it exists, but takes another number of arguments. */
  arity?: { given: number; expected: string };
  /** For a column: the relation it was looked up in. */
  relation?: string;
}

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);
const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid']);

/** What the project knows beyond its catalog, and whether it knows enough to call a name unknown. */
interface Knowledge {
  catalog: Catalog;
  /** A function name of PostgreSQL or of the project's extensions (the project's own are in the catalog). */
  hasFunction(name: string): boolean;
  /** A relation name of PostgreSQL, the project's extensions, its catalog, or one this file creates itself. */
  hasRelation(name: string): boolean;
  /** An extension pgdba has no object list for: its functions and relations cannot be known. */
  opaqueExtensions: boolean;
  /**
   * A schema a platform made before the first migration (Supabase's auth, storage…): pgdba models the part of it
   * migrations use, not all of it, nor the platform's later versions, so names there that it lacks are not reported.
   */
  platformSchema(schema: string): boolean;
}

// Per file, so nothing here copies PostgreSQL's thousands of names: lookups go through the shared sets.
const knowledgeFact = defineFact('unknown-names-knowledge', (ctx): Knowledge => {
  const system = systemObjects();
  const extensions = [...ctx.catalog.extensions].map(extensionNames);
  let own: Set<string> | undefined;
  const ownRelations = () => {
    if (own) return own;
    own = new Set<string>();
    for (const t of ctx.catalog.tables.values()) own.add(t.name);
    // Relations this file creates itself (temporary tables, tables a script creates then reads).
    for (const s of ctx.statements) {
      // The kind first: reading `node` of every statement would undo the lazy AST shifting of an edit.
      if (s.kind !== 'CreateStmt' && s.kind !== 'CreateTableAsStmt' && s.kind !== 'ViewStmt') continue;
      const rel =
        as<{ relation?: { relname?: string } }>(s.node, 'CreateStmt')?.relation ??
        as<{ into?: { rel?: { relname?: string } } }>(s.node, 'CreateTableAsStmt')?.into?.rel ??
        as<{ view?: { relname?: string } }>(s.node, 'ViewStmt')?.view;
      if (rel?.relname) own.add(rel.relname);
    }
    return own;
  };
  return {
    catalog: ctx.catalog,
    hasFunction: (name) => system.functions.has(name) || extensions.some((e) => e?.functions.has(name)),
    hasRelation: (name) => system.relations.has(name) || extensions.some((e) => e?.relations.has(name)) || ownRelations().has(name),
    opaqueExtensions: extensions.some((e) => !e),
    platformSchema: (schema) => platformSchemasOf(ctx.catalog).has(schema),
  };
});

const memoFact = defineFact('unknown-names-memo', () => new Map<Statement, UnknownName[]>());

/** Levenshtein distance, bounded: Infinity once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...cur) > max) return Infinity;
    prev = cur;
  }
  return prev[b.length];
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase(), max);
    if (d <= max && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

/** FROM items whose columns pgdba cannot list (subqueries, functions, VALUES, join aliases, CTEs), by alias. */
function opaqueSources(statement: Statement, names: StatementNames): { aliases: Set<string>; any: boolean; outputs: Set<string> } {
  const aliases = new Set<string>(names.ctes);
  const outputs = new Set<string>();
  let any = names.ctes.size > 0;
  walk(statement.node, (kind, v) => {
    const alias = (v.alias as { aliasname?: string } | undefined)?.aliasname;
    if (kind === 'RangeSubselect' || kind === 'RangeFunction' || kind === 'RangeTableFunc' || (kind === 'JoinExpr' && alias)) {
      any = true;
      if (alias) aliases.add(alias);
    }
    if (kind === 'ResTarget' && typeof v.name === 'string') outputs.add(v.name);
    return undefined;
  });
  return { aliases, any, outputs };
}

function tableFor(catalog: Catalog, schema: string | undefined, name: string): Table | undefined {
  if (schema) return catalog.tables.get(`${schema}.${name}`);
  const hits = [...catalog.tables.values()].filter((t) => t.name === name);
  return hits.length === 1 ? hits[0] : hits.find((t) => t.schema === 'public');
}

/**
 * A table whose column list the catalog holds completely (views, inheritance children, empty partitions and what a
 * platform made aside: pgdba lists the columns migrations use, and the platform may have added some since).
 */
function listsColumns(t: Table | undefined): t is Table {
  if (!t || (t.kind !== 'table' && t.kind !== 'foreign-table') || platformOf(t.loc.file)) return false;
  const inherits = (as<{ inhRelations?: unknown[] }>(t.node, 'CreateStmt')?.inhRelations ?? []).length > 0;
  return !inherits && !(t.partitionOf && t.columns.size === 0);
}

function checkColumn(
  ref: NameRef,
  names: StatementNames,
  opaque: ReturnType<typeof opaqueSources>,
  k: Knowledge,
  statement: Statement,
): UnknownName | undefined {
  if (SYSTEM_COLUMNS.has(ref.name) || names.relations.has(ref.name)) return undefined;
  const parts = ref.qualifier?.split('.');
  if (parts) {
    const q = parts[parts.length - 1];
    if (opaque.aliases.has(q) || q === 'new' || q === 'old') return undefined;
    const excluded = q === 'excluded' && statement.kind === 'InsertStmt';
    const rel = excluded
      ? [...names.relations.values()][0]
      : (names.relations.get(q) ?? { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name: q });
    const t = rel && tableFor(k.catalog, rel.schema, rel.name);
    if (!listsColumns(t) || t.columns.has(ref.name)) return undefined;
    return { kind: 'column', start: ref.start, end: ref.end, name: ref.name, relation: t.key, suggestion: closest(ref.name, t.columns.keys()) };
  }
  if (opaque.any || opaque.outputs.has(ref.name)) return undefined;
  const tables = [...names.relations.values()].map((r) => tableFor(k.catalog, r.schema, r.name));
  if (!tables.length || !tables.every(listsColumns)) return undefined;
  if ((tables as Table[]).some((t) => t.columns.has(ref.name))) return undefined;
  const candidates = (tables as Table[]).flatMap((t) => [...t.columns.keys()]);
  return {
    kind: 'column',
    start: ref.start,
    end: ref.end,
    name: ref.name,
    relation: (tables as Table[]).map((t) => t.key).join(', '),
    suggestion: closest(ref.name, candidates),
  };
}

function checkFunction(ref: NameRef, call: { args: number; star: boolean } | undefined, k: Knowledge): UnknownName | undefined {
  if (ref.schema && SYSTEM_SCHEMAS.has(ref.schema))
    return systemObjects().functions.has(ref.name) ? undefined : { kind: 'function', start: ref.start, end: ref.end, name: ref.name };
  if (ref.schema && !k.catalog.schemas.has(ref.schema)) return undefined;
  const own = [...k.catalog.functions.entries()]
    .filter(([key]) => key.endsWith(`.${ref.name}`) && (!ref.schema || key === `${ref.schema}.${ref.name}`))
    .flatMap(([, l]) => l);
  if (!own.length) {
    if (k.hasFunction(ref.name) || k.opaqueExtensions || (ref.schema && k.platformSchema(ref.schema))) return undefined;
    return {
      kind: 'function',
      start: ref.start,
      end: ref.end,
      name: ref.name,
      suggestion: closest(
        ref.name,
        [...k.catalog.functions.values()].flatMap((l) => l.map((f) => f.name)),
      ),
    };
  }
  if (!call || call.star || (k.hasFunction(ref.name) && !ref.schema)) return undefined;
  if (own.some((f) => accepts(f, call.args))) return undefined;
  const expected = [...new Set(own.map((f) => (f.defaults ? `${f.argTypes.length - f.defaults}–${f.argTypes.length}` : String(f.argTypes.length))))].join(
    ' or ',
  );
  return { kind: 'function', start: ref.start, end: ref.end, name: ref.name, arity: { given: call.args, expected } };
}

function accepts(f: FunctionDef, n: number): boolean {
  const max = f.argTypes.length;
  const min = max - (f.defaults ?? 0) - (f.variadic ? 1 : 0);
  return n >= min && (f.variadic || n <= max);
}

/** Argument counts of the statement's function calls, by the call's name position. */
function calls(statement: Statement): Map<number, { args: number; star: boolean }> {
  const out = new Map<number, { args: number; star: boolean }>();
  walk(statement.node, (kind, v) => {
    if (kind === 'FuncCall' && typeof v.location === 'number')
      out.set(v.location, { args: ((v.args as unknown[]) ?? []).length, star: v.agg_star === true || v.func_variadic === true });
    return undefined;
  });
  return out;
}

/** Names a statement's name references leave unknown; `variables` are PL/pgSQL variables and parameters (never columns). */
function checkNames(statement: Statement, names: StatementNames, k: Knowledge, variables: Set<string>, created: Set<string>): UnknownName[] {
  const out: UnknownName[] = [];
  const opaque = opaqueSources(statement, names);
  const callArgs = calls(statement);
  for (const ref of names.refs) {
    if (ref.kind === 'relation' && !(!ref.schema && names.ctes.has(ref.name))) {
      if (ref.schema && !SYSTEM_SCHEMAS.has(ref.schema) && (!k.catalog.schemas.has(ref.schema) || k.platformSchema(ref.schema))) continue;
      if (created.has(ref.name) || (k.hasRelation(ref.name) && (!ref.schema || tableFor(k.catalog, ref.schema, ref.name) || SYSTEM_SCHEMAS.has(ref.schema))))
        continue;
      if (k.opaqueExtensions) continue;
      out.push({
        kind: 'relation',
        start: ref.start,
        end: ref.end,
        name: ref.name,
        suggestion: closest(
          ref.name,
          [...k.catalog.tables.values()].map((t) => t.name),
        ),
      });
    } else if (ref.kind === 'column') {
      if (variables.has(ref.name) || (ref.qualifier && variables.has(ref.qualifier.split('.')[0]))) continue;
      const u = checkColumn(ref, names, opaque, k, statement);
      if (u) out.push(u);
    } else if (ref.kind === 'function') {
      const at = Math.max(-1, ...[...callArgs.keys()].filter((a) => a <= ref.start));
      const u = checkFunction(ref, callArgs.get(at), k);
      if (u) out.push(u);
    }
  }
  out.push(...targetColumns(statement, k));
  return out;
}

/** The unknown names of one DML statement (cached per statement for the three rules that report them). */
export function unknownNamesOf(facts: FileFacts, statement: Statement): UnknownName[] {
  const memo = facts.get(memoFact);
  const hit = memo.get(statement);
  if (hit) return hit;
  const k = facts.get(knowledgeFact);
  // Nothing to compare with: a project whose schema pgdba has not seen.
  const out =
    DML.has(statement.kind) && k.catalog.tables.size > 0
      ? checkNames(statement, statementNames(statement, tokensCovering(facts.ctx.parsed, statement.start, statement.end)), k, new Set(), new Set())
      : [];
  memo.set(statement, out);
  return out;
}

const bodyMemoFact = defineFact('unknown-names-bodies', () => new Map<Statement, UnknownName[]>());

/**
 * The unknown names in the body of the function a CREATE FUNCTION statement defines, when it is the function's current
 * definition (an older body replaced later may name what no longer exists). Dynamic EXECUTE strings are not checked.
 */
export function bodyUnknownNamesOf(facts: FileFacts, statement: Statement): UnknownName[] {
  const memo = facts.get(bodyMemoFact);
  const hit = memo.get(statement);
  if (hit) return hit;
  const out: UnknownName[] = [];
  const k = facts.get(knowledgeFact);
  const routine = statement.kind === 'CreateFunctionStmt' ? routineOf(facts, statement) : undefined;
  // A pg_temp function lives only for the session that created it (a migration's helper): later schema changes do not reach it.
  if (routine?.definition && routine.name?.schema !== 'pg_temp' && k.catalog.tables.size > 0) {
    const body = bodyOf(facts, routine);
    const params = (as<{ parameters?: unknown[] }>(statement.node, 'CreateFunctionStmt')?.parameters ?? []).map(
      (p) => as<{ name?: string }>(p, 'FunctionParameter')?.name ?? '',
    );
    const variables = new Set([...body.variables.map((v) => v.name.toLowerCase()), ...params.filter(Boolean), routine.name?.name ?? '']);
    const created = new Set<string>();
    for (const sql of body.sql) {
      if (sql.start === undefined || sql.kind !== 'statement' || sql.dynamic) continue;
      const tokens = scanTokens(sql.text, new ByteOffsetMap(sql.text), sql.start) ?? [];
      for (const node of sql.statements) {
        const kind = unwrap(node)?.kind ?? '';
        const created1 =
          as<{ relation?: { relname?: string } }>(node, 'CreateStmt')?.relation?.relname ??
          as<{ into?: { rel?: { relname?: string } } }>(node, 'CreateTableAsStmt')?.into?.rel?.relname;
        if (created1) created.add(created1);
        if (!DML.has(kind)) continue;
        const inner: Statement = { index: statement.index, node: node as Node, kind, start: sql.start, end: sql.start + sql.text.length, text: sql.text };
        out.push(...checkNames(inner, statementNames(inner, tokens), k, variables, created));
      }
    }
  }
  memo.set(statement, out);
  return out;
}

/** INSERT column lists and UPDATE SET targets against the target table. */
function targetColumns(statement: Statement, k: Knowledge): UnknownName[] {
  const ins = as<{ relation?: { schemaname?: string; relname?: string }; cols?: unknown[] }>(statement.node, 'InsertStmt');
  const upd = as<{ relation?: { schemaname?: string; relname?: string }; targetList?: unknown[] }>(statement.node, 'UpdateStmt');
  const rel = ins?.relation ?? upd?.relation;
  const t = rel?.relname ? tableFor(k.catalog, rel.schemaname || undefined, rel.relname) : undefined;
  if (!listsColumns(t)) return [];
  const out: UnknownName[] = [];
  for (const target of (ins ? ins.cols : upd?.targetList) ?? []) {
    const r = as<{ name?: string; location?: number; indirection?: unknown[] }>(target, 'ResTarget');
    if (!r?.name || typeof r.location !== 'number' || t.columns.has(r.name) || strs(r.indirection).length) continue;
    out.push({
      kind: 'column',
      start: r.location,
      end: r.location + r.name.length,
      name: r.name,
      relation: t.key,
      suggestion: closest(r.name, t.columns.keys()),
    });
  }
  return out;
}

/** What the unknown-* rules look at in a statement: a query file's DML, and the body of any current function definition. */
export function unknownNamesFor(facts: FileFacts, statement: Statement): UnknownName[] {
  const own = facts.ctx.file.role === 'plain' ? unknownNamesOf(facts, statement) : [];
  return [...own, ...bodyUnknownNamesOf(facts, statement)];
}

/** The report of one unknown name: "did you mean" with a rename fix when a close name exists (not for a wrong arity). */
export function unknownReport(u: UnknownName): {
  start: number;
  end: number;
  messageId: string;
  data: Record<string, string | number>;
  fix?: { title: string; edits: { start: number; end: number; newText: string }[] };
} {
  const messageId = u.arity ? 'arity' : u.suggestion ? 'suggest' : 'unknown';
  return {
    start: u.start,
    end: u.end,
    messageId,
    data: { name: u.name, relation: u.relation ?? '', suggestion: u.suggestion ?? '', given: u.arity?.given ?? 0, expected: u.arity?.expected ?? '' },
    fix: u.suggestion && !u.arity ? { title: `Change to ${u.suggestion}`, edits: [{ start: u.start, end: u.end, newText: u.suggestion }] } : undefined,
  };
}
