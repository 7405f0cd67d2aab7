// Catalog effects of function and procedure DDL: CREATE/ALTER/DROP FUNCTION, GRANT/REVOKE EXECUTE, default privileges.
import type { CreateFunctionStmt, FunctionParameter, ObjectWithArgs, TypeName, VariableSetStmt } from '@pgsql/types';
import { as, constValue, defElems, listName, str, strs, typeNameText } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { ApplyState } from './build';
import { grantees, loc, privileges } from './build';
import type { Catalog, FunctionDef } from './types';

function fnKey(list: unknown, state: ApplyState): { key: string; schema: string; name: string } {
  const q = listName(list) ?? { name: '' };
  const schema = q.schema ?? state.searchPath[0] ?? 'public';
  return { key: `${schema}.${q.name}`, schema, name: q.name };
}

function inArgTypes(params: unknown[] | undefined): string[] {
  return (params ?? [])
    .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
    .filter((p): p is FunctionParameter => !!p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => typeNameText(p.argType));
}

/** How many IN arguments a call may leave out (those with DEFAULT), and whether the last one is VARIADIC. */
function arity(params: unknown[] | undefined): { defaults?: number; variadic?: boolean } {
  const ins = (params ?? [])
    .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
    .filter((p): p is FunctionParameter => !!p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
  const defaults = ins.filter((p) => p.defexpr !== undefined).length;
  const variadic = ins.some((p) => p.mode === 'FUNC_PARAM_VARIADIC');
  return { ...(defaults ? { defaults } : {}), ...(variadic ? { variadic } : {}) };
}

/** The search_path a `SET search_path …` clause pins, or undefined for `FROM CURRENT` / RESET. */
export function searchPathOf(set: VariableSetStmt | undefined): string[] | undefined {
  if (!set || set.name !== 'search_path' || set.kind !== 'VAR_SET_VALUE') return undefined;
  // Each argument is one schema name, as written (search_path is GUC_LIST_QUOTE: `SET search_path = 'a, b'` names ONE
  // schema "a, b"; the parser has already folded unquoted names to lower case).
  return (set.args ?? []).map((a) => constValue(a)).filter((v): v is string => typeof v === 'string');
}

/** Where the body text begins in the file: just after the opening quote of the string that follows AS. */
function bodyStart(stmt: Statement, asLocation: number, body: string): number {
  const rel = Math.max(0, asLocation - stmt.start);
  const after = stmt.text.slice(rel);
  const m = /^\s*as\s*(\$[A-Za-z_0-9]*\$|')/i.exec(after);
  if (m) return stmt.start + rel + m[0].length;
  const idx = stmt.text.indexOf(body);
  return idx >= 0 ? stmt.start + idx : stmt.start;
}

function findOverload(catalog: Catalog, key: string, argTypes: string[] | undefined): FunctionDef[] {
  const all = catalog.functions.get(key) ?? [];
  if (!argTypes) return all; // no argument list: every overload of that name
  return all.filter((f) => f.argTypes.join(',') === argTypes.join(','));
}

function objectArgTypes(o: ObjectWithArgs): string[] | undefined {
  if (o.args_unspecified) return undefined;
  if (o.objfuncargs) return inArgTypes(o.objfuncargs);
  return (o.objargs ?? []).map((t) => typeNameText(as<TypeName>(t, 'TypeName')));
}

function volatilityOf(arg: unknown): FunctionDef['volatility'] {
  const v = str(arg)?.toLowerCase();
  return v === 'immutable' || v === 'stable' || v === 'volatile' ? v : undefined;
}

function createFunction(catalog: Catalog, s: CreateFunctionStmt, stmt: Statement, state: ApplyState): void {
  const { key, schema, name } = fnKey(s.funcname, state);
  const opts = defElems(s.options);
  const asItems = strs(as<{ items?: unknown[] }>(opts.get('as'), 'List')?.items);
  // Two items mean a C function (obj_file, link_symbol): no body to analyse.
  const bodyText = asItems.length === 1 ? asItems[0] : undefined;
  const asDef = (s.options ?? []).map((o) => as<{ defname?: string; location?: number }>(o, 'DefElem')).find((d) => d?.defname === 'as');
  const argTypes = inArgTypes(s.parameters);
  const sets = (s.options ?? [])
    .map((o) => as<{ defname?: string; arg?: unknown }>(o, 'DefElem'))
    .filter((d) => d?.defname === 'set')
    .map((d) => as<VariableSetStmt>(d?.arg, 'VariableSetStmt'));
  const searchPath = sets.map(searchPathOf).find((p) => p !== undefined);
  const def: FunctionDef = {
    key,
    schema,
    name,
    argTypes,
    kind: s.is_procedure ? 'procedure' : 'function',
    language: (str(opts.get('language')) ?? 'sql').toLowerCase(),
    securityDefiner: as<{ boolval?: boolean }>(opts.get('security'), 'Boolean')?.boolval === true,
    volatility: volatilityOf(opts.get('volatility')) ?? 'volatile',
    searchPath,
    loc: loc(state, stmt.start, stmt.end),
    publicExecute: !revokedByDefault(catalog, schema),
    grants: [],
    returns: s.returnType ? typeNameText(s.returnType) : undefined,
    ...arity(s.parameters),
  };
  if (bodyText !== undefined && asDef) {
    def.body = { text: bodyText, start: bodyStart(stmt, asDef.location ?? stmt.start, bodyText), file: state.file };
  }
  const others = (catalog.functions.get(key) ?? []).filter((f) => f.argTypes.join(',') !== argTypes.join(','));
  const previous = (catalog.functions.get(key) ?? []).find((f) => f.argTypes.join(',') === argTypes.join(','));
  if (previous && s.replace) {
    // CREATE OR REPLACE keeps the function's privileges (PostgreSQL docs, CREATE FUNCTION: "ownership and permissions do not change").
    def.publicExecute = previous.publicExecute;
    def.grants = previous.grants;
  }
  catalog.functions.set(key, [...others, def]);
}

function alterFunction(catalog: Catalog, v: Record<string, unknown>, stmt: Statement, state: ApplyState): void {
  const o = v.func as ObjectWithArgs | undefined;
  if (!o) return;
  const { key } = fnKey(o.objname, state);
  const targets = findOverload(catalog, key, objectArgTypes(o));
  for (const d of (v.actions as unknown[] | undefined) ?? []) {
    const e = as<{ defname?: string; arg?: unknown }>(d, 'DefElem');
    if (!e) continue;
    for (const f of targets) {
      if (e.defname === 'security') {
        const on = as<{ boolval?: boolean }>(e.arg, 'Boolean')?.boolval === true;
        if (on && !f.securityDefiner) f.definerSetAt = loc(state, stmt.start, stmt.end);
        f.securityDefiner = on;
      } else if (e.defname === 'volatility') {
        f.volatility = volatilityOf(e.arg) ?? f.volatility;
      } else if (e.defname === 'set') {
        const set = as<VariableSetStmt>(e.arg, 'VariableSetStmt');
        if (set?.name === 'search_path') f.searchPath = set.kind === 'VAR_SET_VALUE' ? searchPathOf(set) : undefined;
        if (set?.kind === 'VAR_RESET_ALL') f.searchPath = undefined;
      }
    }
  }
}

function grantOnFunctions(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const objtype = v.objtype;
  if (objtype !== 'OBJECT_FUNCTION' && objtype !== 'OBJECT_PROCEDURE' && objtype !== 'OBJECT_ROUTINE') return;
  const roles = grantees(v.grantees);
  const privs = privileges(v.privileges);
  if (!privs.includes('EXECUTE') && !privs.includes('ALL')) return;
  let targets: FunctionDef[] = [];
  if (v.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    for (const schema of strs(v.objects)) {
      for (const list of catalog.functions.values()) targets.push(...list.filter((f) => f.schema === schema));
    }
  } else {
    for (const obj of (v.objects as unknown[] | undefined) ?? []) {
      const o = as<ObjectWithArgs>(obj, 'ObjectWithArgs');
      if (o) targets = targets.concat(findOverload(catalog, fnKey(o.objname, state).key, objectArgTypes(o)));
    }
  }
  for (const f of targets) {
    for (const r of roles) {
      if (r === 'public') f.publicExecute = v.is_grant === true;
      if (v.is_grant) f.grants.push({ privileges: ['EXECUTE'], grantee: r });
      else f.grants = f.grants.filter((g) => g.grantee !== r);
    }
  }
}

function defaultPrivileges(catalog: Catalog, v: Record<string, unknown>): void {
  const action = v.action as Record<string, unknown> | undefined;
  if (!action || (action.objtype !== 'OBJECT_FUNCTION' && action.objtype !== 'OBJECT_ROUTINE')) return;
  if (!grantees(action.grantees).includes('public')) return;
  const schemas = strs(as<{ items?: unknown[] }>(defElems(v.options).get('schemas'), 'List')?.items);
  // Without IN SCHEMA the default applies to every schema; '*' stands for that.
  for (const s of schemas.length ? schemas : ['*']) {
    if (action.is_grant) catalog.defaultRevokeExecute.delete(s);
    else catalog.defaultRevokeExecute.add(s);
  }
}

function dropFunctions(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const t = v.removeType;
  if (t !== 'OBJECT_FUNCTION' && t !== 'OBJECT_PROCEDURE' && t !== 'OBJECT_ROUTINE') return;
  for (const obj of (v.objects as unknown[] | undefined) ?? []) {
    const o = as<ObjectWithArgs>(obj, 'ObjectWithArgs');
    if (!o) continue;
    const { key } = fnKey(o.objname, state);
    const gone = new Set(findOverload(catalog, key, objectArgTypes(o)));
    const left = (catalog.functions.get(key) ?? []).filter((f) => !gone.has(f));
    if (left.length) catalog.functions.set(key, left);
    else catalog.functions.delete(key);
  }
}

/** Applies function-related statements; ignores everything else. */
export function applyFunctionStatement(catalog: Catalog, kind: string, v: Record<string, unknown>, stmt: Statement, state: ApplyState): void {
  switch (kind) {
    case 'CreateFunctionStmt':
      createFunction(catalog, v as CreateFunctionStmt, stmt, state);
      break;
    case 'AlterFunctionStmt':
      alterFunction(catalog, v, stmt, state);
      break;
    case 'GrantStmt':
      grantOnFunctions(catalog, v, state);
      break;
    case 'AlterDefaultPrivilegesStmt':
      defaultPrivileges(catalog, v);
      break;
    case 'DropStmt':
      dropFunctions(catalog, v, state);
      break;
    default:
      break;
  }
}

/** Does a function's schema have EXECUTE revoked from PUBLIC by default privileges? */
export function revokedByDefault(catalog: Catalog, schema: string): boolean {
  return catalog.defaultRevokeExecute.has(schema) || catalog.defaultRevokeExecute.has('*');
}
