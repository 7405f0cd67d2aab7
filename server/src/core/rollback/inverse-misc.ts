// Inverses of ALTER TYPE … ADD/RENAME VALUE, ALTER SEQUENCE, ALTER FUNCTION, ALTER POLICY, ALTER DOMAIN, and of data changes.
import type { AlterEnumStmt, ObjectWithArgs, RangeVar, TypeName } from '@pgsql/types';
import { QuoteUtils } from 'pgsql-deparser';
import { tableKey } from '../catalog/build';
import { findSequence } from '../catalog/extras-objects';
import { makeObjectName } from '../catalog/names';
import { cloneNode, relationsIn } from '../catalog/rewrite';
import type { Table } from '../catalog/types';
import { as, defElems, listName, strs, typeNameText, walk } from '../parse/ast';
import { createPolicySql, recreateEnum, relSql, typeDependents } from './recreate';
import { deparse, dropStmt, nameList, strNode, type Json } from './sql';
import type { InvertContext, Inverse } from './types';

const q = (s: string) => QuoteUtils.quoteIdentifier(s);

/** PostgreSQL cannot drop an enum value: re-create the type without it and convert the columns that use it. */
export function invertEnum(ctx: InvertContext, s: AlterEnumStmt): Inverse {
  const sp = ctx.state.searchPath;
  const names = strs(s.typeName);
  const key = `${names.length > 1 ? names[names.length - 2] : sp[0]}.${names[names.length - 1]}`;
  if (ctx.created.types.has(key)) return { note: `covered by dropping type ${key}` };
  const e = ctx.catalog.enums.get(key);
  const typeSql = nameList(key, sp)
    .map((n) => q((n.String as { sval: string }).sval))
    .join('.');
  if (s.oldVal !== undefined && s.oldVal !== null) {
    return { sql: [deparse({ AlterEnumStmt: { typeName: s.typeName, oldVal: s.newVal, newVal: s.oldVal } })] };
  }
  if (!e) return { irreversible: `enum ${key} is not in the schema built from earlier migrations, and PostgreSQL cannot drop an enum value` };
  if (s.skipIfNewValExists && e.values.includes(String(s.newVal))) return { note: `'${s.newVal}' was already in ${key}: nothing to undo` };
  const short = key.slice(key.indexOf('.') + 1);
  const pattern = new RegExp(`^("?${key.split('.')[0]}"?\\.)?"?${short.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?((\\[\\])*)$`);
  const users: { table: Table; column: string; array: string; default?: string }[] = [];
  for (const t of ctx.catalog.tables.values()) {
    for (const c of t.columns.values()) {
      const m = pattern.exec(c.typeSql ?? c.type);
      if (m && (names.length > 1 || m[1] === undefined || key.startsWith(`${sp[0]}.`)))
        users.push({ table: t, column: c.name, array: m[2] ?? '', default: c.default });
    }
  }
  const blockers = [
    ...users.filter((u) => u.table.kind !== 'table').map((u) => `${u.table.kind} ${u.table.key}`),
    ...[...ctx.catalog.tables.values()]
      .filter((v) => (v.kind === 'view' || v.kind === 'materialized-view') && users.some((u) => relationsIn(v.node).some((r) => r.name === u.table.name)))
      .map((v) => `view ${v.key}`),
    ...[...ctx.catalog.functions.values()]
      .flat()
      .filter((f) => [...f.argTypes, f.returns ?? ''].some((t) => pattern.test(t.replace(/^setof /, ''))))
      .map((f) => `function ${f.key}`),
  ];
  const why = `PostgreSQL cannot drop the enum value '${s.newVal}' from ${key}`;
  if (blockers.length) return { irreversible: `${why}, and re-creating the type is blocked by ${[...new Set(blockers)].join(', ')}` };
  const old = makeObjectName(short, undefined, 'pgdba_old');
  // Indexes and CHECKs comparing such a column with a value of the type would compare across two types: re-create them.
  const deps = users.map((u) => typeDependents(ctx.catalog, u.table, u.column, sp));
  const sql = [...deps.flatMap((d) => d.drop), `ALTER TYPE ${typeSql} RENAME TO ${q(old)}`, ...recreateEnum({ ...e, comment: e.comment }, sp)];
  for (const u of users) {
    const col = `${relSql(u.table.key, sp)}`;
    if (u.default !== undefined) sql.push(`ALTER TABLE ${col} ALTER COLUMN ${q(u.column)} DROP DEFAULT`);
    sql.push(`ALTER TABLE ${col} ALTER COLUMN ${q(u.column)} TYPE ${typeSql}${u.array} USING ${q(u.column)}::text${u.array}::${typeSql}${u.array}`);
    if (u.default !== undefined) sql.push(`ALTER TABLE ${col} ALTER COLUMN ${q(u.column)} SET DEFAULT ${u.default}`);
  }
  const oldKey = `${key.split('.')[0]}.${old}`;
  sql.push(dropStmt('OBJECT_TYPE', [{ TypeName: { names: nameList(oldKey, sp), typemod: -1 } }]));
  sql.push(...deps.flatMap((d) => d.create));
  return { sql, warning: `${why}: the type is re-created without it; rows holding '${s.newVal}' must be changed first` };
}

/** The value a sequence option has when it is not set (CREATE SEQUENCE defaults). */
function sequenceDefault(name: string): Json | undefined {
  switch (name) {
    case 'increment':
      return { DefElem: { defname: 'increment', arg: { Integer: { ival: 1 } } } };
    case 'cache':
      return { DefElem: { defname: 'cache', arg: { Integer: { ival: 1 } } } };
    case 'cycle':
      return { DefElem: { defname: 'cycle', arg: { Boolean: { boolval: false } } } };
    case 'minvalue':
    case 'maxvalue':
      return { DefElem: { defname: name } };
    case 'as':
      return { DefElem: { defname: 'as', arg: { TypeName: { names: [strNode('pg_catalog'), strNode('int8')], typemod: -1 } } } };
    default:
      return undefined;
  }
}

export function invertAlterSequence(ctx: InvertContext, v: Json): Inverse {
  const rv = v.sequence as RangeVar;
  const seq = rv.relname ? findSequence(ctx.catalog, rv.schemaname, rv.relname, ctx.state) : undefined;
  if (!seq)
    return v.missing_ok
      ? { note: 'the sequence did not exist: nothing to undo' }
      : { irreversible: `sequence ${rv.relname} is not in the schema built from earlier migrations` };
  if (ctx.created.sequences.has(seq.key)) return { note: `covered by dropping ${seq.key}` };
  const before = defElems((seq.node as Json | undefined)?.options);
  const options: Json[] = [];
  const lost: string[] = [];
  for (const o of (v.options as unknown[] | undefined) ?? []) {
    const d = as<{ defname?: string }>(o, 'DefElem');
    const name = d?.defname ?? '';
    if (name === 'restart' || name === 'start') {
      lost.push(name);
      continue;
    }
    if (name === 'owned_by') {
      const owner = seq.ownedBy ? [...nameList(seq.ownedBy.table, ctx.state.searchPath), strNode(seq.ownedBy.column)] : [strNode('none')];
      options.push({ DefElem: { defname: 'owned_by', arg: { List: { items: owner } } } });
      continue;
    }
    if (before.has(name)) options.push({ DefElem: { defname: name, arg: before.get(name) } });
    else if (name === 'as' && seq.dataType) options.push({ DefElem: { defname: 'as', arg: { TypeName: { names: [strNode(seq.dataType)], typemod: -1 } } } });
    else {
      const def = sequenceDefault(name);
      if (def) options.push(def);
      else lost.push(name);
    }
  }
  const sql = options.length ? [deparse({ AlterSeqStmt: { sequence: rv, options } })] : [];
  return { sql, irreversible: lost.length ? `the sequence's previous ${lost.join(', ')} is not known (its current value is data)` : undefined };
}

const FUNCTION_DEFAULTS: Record<string, unknown> = {
  volatility: { String: { sval: 'volatile' } },
  strict: { Boolean: { boolval: false } },
  security: { Boolean: { boolval: false } },
  leakproof: { Boolean: { boolval: false } },
  parallel: { String: { sval: 'unsafe' } },
};

export function invertAlterFunction(ctx: InvertContext, v: Json): Inverse {
  const o = v.func as ObjectWithArgs;
  const lq = listName(o.objname);
  const key = `${lq?.schema ?? ctx.state.searchPath[0]}.${lq?.name}`;
  const args = o.objargs?.map((t) => typeNameText(as<TypeName>(t, 'TypeName')));
  const f = (ctx.catalog.functions.get(key) ?? []).find((x) => !args || x.argTypes.join(',') === args.join(','));
  if (!f) return { irreversible: `function ${key} is not in the schema built from earlier migrations: its previous settings are not known` };
  if (ctx.created.functions.has(`${key}(${f.argTypes.join(',')})`)) return { note: `covered by dropping ${key}` };
  const before = defElems((f.node as Json | undefined)?.options);
  const actions: Json[] = [];
  const unknown: string[] = [];
  for (const a of (v.actions as unknown[] | undefined) ?? []) {
    const d = as<{ defname?: string; arg?: unknown }>(a, 'DefElem');
    const name = d?.defname ?? '';
    if (name === 'security') actions.push({ DefElem: { defname: 'security', arg: { Boolean: { boolval: f.securityDefiner } } } });
    else if (name === 'set') {
      const set = as<{ name?: string }>(d?.arg, 'VariableSetStmt');
      const prevSet = ((f.node as Json | undefined)?.options as unknown[] | undefined)
        ?.map((x) => as<{ defname?: string; arg?: unknown }>(x, 'DefElem'))
        .find((x) => x?.defname === 'set' && as<{ name?: string }>(x.arg, 'VariableSetStmt')?.name === set?.name);
      if (set?.name === 'search_path' && f.searchPath) {
        const args = f.searchPath.map((p) => ({ A_Const: { sval: { sval: p } } }));
        actions.push({ DefElem: { defname: 'set', arg: { VariableSetStmt: { kind: 'VAR_SET_VALUE', name: 'search_path', args } } } });
      } else if (prevSet && set?.name !== 'search_path') actions.push({ DefElem: { defname: 'set', arg: prevSet.arg } });
      else if (set?.name) actions.push({ DefElem: { defname: 'set', arg: { VariableSetStmt: { kind: 'VAR_RESET', name: set.name } } } });
      else unknown.push('configuration settings');
    } else if (before.has(name)) actions.push({ DefElem: { defname: name, arg: before.get(name) } });
    else if (FUNCTION_DEFAULTS[name]) actions.push({ DefElem: { defname: name, arg: FUNCTION_DEFAULTS[name] } });
    else unknown.push(name);
  }
  const n = cloneNode(v) as Json;
  n.actions = actions;
  const sql = actions.length ? [deparse({ AlterFunctionStmt: n })] : [];
  return { sql, irreversible: unknown.length ? `the previous ${unknown.join(', ')} of ${key} is not known` : undefined };
}

export function invertAlterPolicy(ctx: InvertContext, v: Json): Inverse {
  const key = tableKey(v.table as RangeVar, ctx.state, ctx.catalog);
  const t = ctx.catalog.tables.get(key);
  if (t && ctx.created.tables.has(key)) return { note: `covered by dropping ${key}` };
  const p = t?.policies.find((x) => x.name === v.policy_name);
  const sql = t && p ? createPolicySql(t, p, ctx.state.searchPath) : undefined;
  if (!sql) return { irreversible: `policy ${String(v.policy_name)} is not known: its previous definition cannot be restored` };
  // ALTER POLICY cannot remove a WITH CHECK or USING clause it added: drop and re-create the previous policy.
  return { sql: [dropStmt('OBJECT_POLICY', [{ List: { items: [...nameList(key, ctx.state.searchPath), strNode(String(v.policy_name))] } }]), sql] };
}

export function invertAlterDomain(ctx: InvertContext, v: Json): Inverse {
  const names = strs(v.typeName);
  const key = `${names.length > 1 ? names[names.length - 2] : ctx.state.searchPath[0]}.${names[names.length - 1]}`;
  if (ctx.created.types.has(key)) return { note: `covered by dropping ${key}` };
  const t = ctx.catalog.types?.get(key);
  if (!t || t.kind !== 'domain') return { irreversible: `domain ${key} is not in the schema built from earlier migrations` };
  const cons = ((t.node as Json).constraints as unknown[] | undefined) ?? [];
  const find = (type: string) => cons.map((c) => as<Json>(c, 'Constraint')).find((c) => c?.contype === type);
  const base = { typeName: v.typeName, behavior: 'DROP_RESTRICT' };
  switch (v.subtype) {
    case 'T': {
      const d = find('CONSTR_DEFAULT');
      return { sql: [deparse({ AlterDomainStmt: { ...base, subtype: 'T', ...(d ? { def: d.raw_expr } : {}) } })] };
    }
    case 'N':
      return find('CONSTR_NOTNULL') ? { sql: [deparse({ AlterDomainStmt: { ...base, subtype: 'O' } })] } : { note: 'was nullable before' };
    case 'O':
      return find('CONSTR_NOTNULL') ? { note: 'was NOT NULL before' } : { sql: [deparse({ AlterDomainStmt: { ...base, subtype: 'N' } })] };
    case 'C': {
      const name = as<{ conname?: string }>(v.def, 'Constraint')?.conname ?? makeObjectName(names[names.length - 1], undefined, 'check');
      return { sql: [deparse({ AlterDomainStmt: { ...base, subtype: 'X', name } })] };
    }
    case 'X': {
      const c = cons.find((x) => as<{ conname?: string }>(x, 'Constraint')?.conname === v.name);
      if (!c) return { irreversible: `domain constraint ${String(v.name)} is not known` };
      return { sql: [deparse({ AlterDomainStmt: { ...base, subtype: 'C', def: c } })] };
    }
    default:
      return { note: 'validation leaves nothing to undo' };
  }
}

/** INSERT of constant rows → DELETE of those rows; other data changes cannot be undone. */
export function invertInsert(ctx: InvertContext, v: Json): Inverse {
  const rv = v.relation as RangeVar;
  const key = tableKey(rv, ctx.state, ctx.catalog);
  if (ctx.created.tables.has(key)) return { note: `covered by dropping ${key}` };
  const rows = (as<{ valuesLists?: unknown[] }>(v.selectStmt, 'SelectStmt')?.valuesLists ?? []).map((l) => as<{ items?: unknown[] }>(l, 'List')?.items ?? []);
  const table = ctx.catalog.tables.get(key);
  let cols = ((v.cols as unknown[] | undefined) ?? []).map((c) => as<{ name?: string }>(c, 'ResTarget')?.name ?? '');
  const guessed = !cols.length;
  if (guessed && table) cols = [...table.columns.keys()];
  if (!rows.length || !cols.length) return { irreversible: `INSERT into ${key} from a query: the inserted rows cannot be told apart from others` };
  const constant = (e: unknown): boolean => {
    let ok = true;
    walk(e, (kind) => {
      if (!['A_Const', 'TypeCast', 'TypeName', 'String', 'A_Expr', 'Integer', 'Float', 'A_ArrayExpr'].includes(kind)) ok = false;
    });
    return ok;
  };
  const conds: Json[] = [];
  for (const row of rows) {
    const parts: Json[] = [];
    row.forEach((val, i) => {
      const col = cols[i];
      if (!col || !constant(val)) return;
      const ref = { ColumnRef: { fields: [strNode(col)] } };
      if (as<{ isnull?: boolean }>(val, 'A_Const')?.isnull) parts.push({ NullTest: { arg: ref, nulltesttype: 'IS_NULL' } });
      else parts.push({ A_Expr: { kind: 'AEXPR_OP', name: [strNode('=')], lexpr: ref, rexpr: val } });
    });
    if (!parts.length) return { irreversible: `INSERT into ${key} of computed values: the inserted rows cannot be identified` };
    conds.push(parts.length === 1 ? parts[0] : { BoolExpr: { boolop: 'AND_EXPR', args: parts } });
  }
  const where = conds.length === 1 ? conds[0] : { BoolExpr: { boolop: 'OR_EXPR', args: conds } };
  const sql = deparse({ DeleteStmt: { relation: rv, whereClause: where } });
  const warnings = [
    v.onConflictClause ? 'ON CONFLICT: rows that existed before the migration match too and are deleted' : '',
    guessed ? `the INSERT names no columns: the DELETE assumes ${key}'s columns in declaration order` : '',
  ].filter(Boolean);
  return { sql: [sql], warning: warnings.join('; ') || undefined };
}

/** UPDATE, DELETE, TRUNCATE, MERGE, COPY: the previous data is gone. */
export function invertDataChange(ctx: InvertContext, kind: string, v: Json): Inverse {
  const rels: RangeVar[] =
    kind === 'TruncateStmt'
      ? ((v.relations as unknown[] | undefined) ?? []).map((r) => as<RangeVar>(r, 'RangeVar')).filter((r): r is RangeVar => !!r)
      : v.relation
        ? [v.relation as RangeVar]
        : [];
  const keys = rels.map((r) => tableKey(r, ctx.state, ctx.catalog));
  if (keys.length && keys.every((k) => ctx.created.tables.has(k))) return { note: 'covered by dropping the table' };
  const verb = kind.replace(/Stmt$/, '').toUpperCase();
  return { irreversible: `${verb}${keys.length ? ` on ${keys.join(', ')}` : ''} changes data; the previous rows are not known` };
}

/** SELECT only matters for the functions it calls (setval, a helper that creates triggers…). */
export function invertSelect(v: Json): Inverse {
  const calls = new Set<string>();
  walk(v, (kind, value) => {
    if (kind === 'FuncCall') calls.add(strs(value.funcname).join('.'));
  });
  const effects = [...calls].filter((c) => !/^(pg_catalog\.)?(count|max|min|sum|avg|coalesce|now|current_setting|format|lower|upper|length)$/.test(c));
  if (!effects.length) return { note: 'a query changes nothing' };
  return { irreversible: `the effects of ${effects.map((c) => `${c}()`).join(', ')} are not undone` };
}
