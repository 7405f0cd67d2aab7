// The schema document's functions, types and sequences, read from the static catalog.
import type { ColumnDef, Constraint, FunctionParameter, TypeName } from '@pgsql/types';
import { as, constValue, defElems, str } from '../parse/ast';
import type { Catalog, FunctionDef, Sequence } from '../catalog/types';
import { formatTypeName, normalizeBody, normalizeExprNode } from './normalize';
import type { FunctionJson, SequenceJson, TypeJson } from './types';

function params(f: FunctionDef): FunctionParameter[] {
  const node = (f.node ?? {}) as { parameters?: unknown[] };
  return (node.parameters ?? []).map((p) => as<FunctionParameter>(p, 'FunctionParameter')).filter((p): p is FunctionParameter => !!p);
}

const IN_MODES = new Set([undefined, 'FUNC_PARAM_IN', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC', 'FUNC_PARAM_DEFAULT']);
const OUT_MODES = new Set(['FUNC_PARAM_OUT', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_TABLE']);

/** `schema.name(integer, text)`: the identity PostgreSQL gives a function (its input argument types). */
export function functionSignature(f: FunctionDef): string {
  const types = params(f)
    .filter((p) => IN_MODES.has(p.mode))
    .map((p) => formatTypeName(p.argType));
  return `${f.key}(${types.join(', ')})`;
}

/** What pg_get_function_result prints: `integer`, `SETOF text`, `TABLE(id integer, name text)`, `record`. */
function returnsText(f: FunctionDef): string | undefined {
  if (f.kind === 'procedure') return undefined;
  const all = params(f);
  const table = all.filter((p) => p.mode === 'FUNC_PARAM_TABLE');
  if (table.length) return `TABLE(${table.map((p) => `${p.name} ${formatTypeName(p.argType)}`).join(', ')})`;
  const ret = (f.node as { returnType?: TypeName } | undefined)?.returnType;
  if (ret) return formatTypeName(ret);
  const outs = all.filter((p) => OUT_MODES.has(p.mode ?? ''));
  if (outs.length === 1) return formatTypeName(outs[0].argType);
  return outs.length ? 'record' : undefined;
}

function functionJson(f: FunctionDef): FunctionJson {
  const opts = defElems((f.node as { options?: unknown[] } | undefined)?.options);
  const out: FunctionJson = { kind: f.kind, language: f.language.toLowerCase() };
  const returns = returnsText(f);
  if (returns) out.returns = returns;
  const volatility = str(opts.get('volatility'));
  if (volatility === 'immutable' || volatility === 'stable') out.volatility = volatility;
  if (as<{ boolval?: boolean }>(opts.get('strict'), 'Boolean')?.boolval) out.strict = true;
  if (f.securityDefiner) out.securityDefiner = true;
  if (f.searchPath?.length) out.searchPath = f.searchPath.map((s) => s.replace(/^"|"$/g, ''));
  const body = normalizeBody(f.body?.text);
  if (body) out.body = body;
  const grants: Record<string, string[]> = {};
  if (f.publicExecute) grants.public = ['EXECUTE'];
  for (const g of f.grants) grants[g.grantee] = ['EXECUTE'];
  if (Object.keys(grants).length) out.grants = grants;
  return out;
}

export function functionsJson(catalog: Catalog): Record<string, FunctionJson> {
  const out: Record<string, FunctionJson> = {};
  for (const list of catalog.functions.values()) {
    // Functions in pg_temp live only as long as the migration's session.
    for (const f of list) if (f.schema !== 'pg_temp') out[functionSignature(f)] = functionJson(f);
  }
  return out;
}

function domainJson(node: { typeName?: TypeName; constraints?: unknown[] }): TypeJson {
  const out: TypeJson = { kind: 'domain', type: formatTypeName(node.typeName) };
  const checks: string[] = [];
  for (const c of node.constraints ?? []) {
    const con = as<Constraint>(c, 'Constraint');
    if (con?.contype === 'CONSTR_NOTNULL') out.notNull = true;
    else if (con?.contype === 'CONSTR_DEFAULT') out.default = normalizeExprNode(con.raw_expr);
    else if (con?.contype === 'CONSTR_CHECK') checks.push(normalizeExprNode(con.raw_expr) ?? '');
  }
  if (checks.length) out.checks = checks.sort();
  return out;
}

export function typesJson(catalog: Catalog): Record<string, TypeJson> {
  const out: Record<string, TypeJson> = {};
  for (const [key, e] of catalog.enums) out[key] = { kind: 'enum', values: [...e.values] };
  for (const [key, t] of catalog.types ?? []) {
    const node = t.node as Record<string, unknown>;
    if (t.kind === 'domain') out[key] = domainJson(node);
    else if (t.kind === 'composite') {
      const cols = ((node.coldeflist as unknown[] | undefined) ?? []).map((c) => as<ColumnDef>(c, 'ColumnDef')).filter((c): c is ColumnDef => !!c);
      out[key] = { kind: 'composite', attributes: Object.fromEntries(cols.map((c) => [c.colname ?? '', formatTypeName(c.typeName)])) };
    } else {
      const subtype = as<TypeName>(defElems(node.params).get('subtype'), 'TypeName');
      out[key] = { kind: 'range', subtype: formatTypeName(subtype) };
    }
  }
  return out;
}

const TYPE_MAX: Record<string, bigint> = { smallint: 32767n, integer: 2147483647n, bigint: 9223372036854775807n };

function seqNumber(v: unknown): bigint | undefined {
  const u = as<{ ival?: number }>(v, 'Integer');
  if (u) return BigInt(u.ival ?? 0);
  const f = as<{ fval?: string }>(v, 'Float');
  if (f?.fval) return BigInt(f.fval);
  const c = constValue(v);
  return typeof c === 'number' ? BigInt(c) : undefined;
}

function sequenceJson(seq: Sequence): SequenceJson {
  const opts = defElems((seq.node as { options?: unknown[] } | undefined)?.options ?? seq.options);
  const asType = as<TypeName>(opts.get('as'), 'TypeName');
  const type = asType ? formatTypeName(asType) : (seq.dataType ?? 'bigint');
  const typeMax = TYPE_MAX[type] ?? TYPE_MAX.bigint;
  const increment = seqNumber(opts.get('increment')) ?? 1n;
  const min = seqNumber(opts.get('minvalue')) ?? (increment > 0n ? 1n : -typeMax - 1n);
  const max = seqNumber(opts.get('maxvalue')) ?? (increment > 0n ? typeMax : -1n);
  const start = seqNumber(opts.get('start')) ?? (increment > 0n ? min : max);
  const out: SequenceJson = {
    type,
    start: String(start),
    increment: String(increment),
    min: String(min),
    max: String(max),
    cache: String(seqNumber(opts.get('cache')) ?? 1n),
  };
  if (as<{ boolval?: boolean }>(opts.get('cycle'), 'Boolean')?.boolval) out.cycle = true;
  if (seq.ownedBy) out.ownedBy = `${seq.ownedBy.table}.${seq.ownedBy.column}`;
  return out;
}

/** Standalone and serial sequences; identity columns' sequences belong to their column. */
export function sequencesJson(catalog: Catalog): Record<string, SequenceJson> {
  const out: Record<string, SequenceJson> = {};
  for (const [key, seq] of catalog.sequences ?? []) if (seq.implicit !== 'identity') out[key] = sequenceJson(seq);
  return out;
}
