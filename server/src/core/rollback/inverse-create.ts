// Inverses of CREATE statements: DROP what is new, or restore the previous definition of what CREATE OR REPLACE replaced.
import type { CreateFunctionStmt, CreateTrigStmt, FunctionParameter, IndexStmt, RangeVar, TypeName } from '@pgsql/types';
import { tableKey } from '../catalog/build';
import { chooseIndexName } from '../catalog/extras-table';
import { as, strs, typeNameText } from '../parse/ast';
import { createTriggerSql, hasStar, outputNames, recreateFunction, recreateView, relationKeys } from './recreate';
import { deparse, dropStmt, nameList, splitKey, strNode, typeName, type Json } from './sql';
import { coveredByTable } from './covered';
import type { InvertContext, Inverse } from './types';

const list = (items: Json[]) => ({ List: { items } });

function qualify(names: string[], sp: readonly string[]): string {
  return names.length > 1 ? `${names[names.length - 2]}.${names[names.length - 1]}` : `${sp[0] ?? 'public'}.${names[0]}`;
}

export function invertCreateTable(ctx: InvertContext, v: Json, kind: 'table' | 'matview'): Inverse {
  const rv = (v.into ? (v.into as { rel?: RangeVar }).rel : v.relation) as RangeVar;
  const key = tableKey(rv, ctx.state);
  if (v.if_not_exists && ctx.catalog.tables.has(key)) return { note: `${key} already existed: nothing to undo` };
  const objtype = kind === 'matview' || v.objtype === 'OBJECT_MATVIEW' ? 'OBJECT_MATVIEW' : 'OBJECT_TABLE';
  return { sql: [dropStmt(objtype, [list(nameList(key, ctx.state.searchPath))])] };
}

export function invertCreateView(ctx: InvertContext, v: Json): Inverse {
  const key = tableKey(v.view as RangeVar, ctx.state);
  const sp = ctx.state.searchPath;
  const prev = ctx.catalog.tables.get(key);
  const drop = dropStmt('OBJECT_VIEW', [list(nameList(key, sp))]);
  if (!prev) return { sql: [drop] };
  if (ctx.created.tables.has(key)) return { note: `${key} was created earlier in this migration` };
  if (!prev.node || prev.kind !== 'view') return { sql: [drop], irreversible: `the previous definition of view ${key} is not known` };
  const before = outputNames(prev.node);
  const after = outputNames(v);
  // CREATE OR REPLACE VIEW can only add columns at the end; going back to fewer columns needs DROP + CREATE.
  const reads = relationKeys(ctx.catalog, prev.node, sp);
  if (before && after && before.join(',') === after.join(','))
    return { blocks: [{ restores: [key], reads, star: hasStar(prev.node), sql: recreateView(ctx.catalog, prev, sp, true).slice(0, 1) }] };
  return { sql: [drop], blocks: [{ restores: [key], reads, star: hasStar(prev.node), sql: recreateView(ctx.catalog, prev, sp) }] };
}

export function invertCreateIndex(ctx: InvertContext, s: IndexStmt): Inverse {
  const table = tableKey(s.relation, ctx.state, ctx.catalog);
  const schema = s.relation?.schemaname ?? splitKey(table).schema;
  const name = s.idxname ?? chooseIndexName(ctx.catalog, schema, s.relation?.relname ?? 'idx', s);
  const key = `${schema}.${name}`;
  if (s.if_not_exists && ctx.catalog.indexes.has(key)) return { note: `index ${key} already existed: nothing to undo` };
  const covered = s.concurrent ? undefined : coveredByTable(ctx, table);
  if (covered) return { note: covered };
  // An index built CONCURRENTLY (so as not to block writes) is dropped CONCURRENTLY for the same reason.
  return { sql: [dropStmt('OBJECT_INDEX', [list(nameList(key, ctx.state.searchPath))], { concurrent: s.concurrent === true })] };
}

function inputArgs(params: unknown[] | undefined): FunctionParameter[] {
  return (params ?? [])
    .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
    .filter((p): p is FunctionParameter => !!p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
}

/** What CREATE OR REPLACE may not change: parameter names and modes, OUT/TABLE columns, the return type. */
function shape(node: unknown): string {
  const n = node as CreateFunctionStmt;
  const params = (n.parameters ?? [])
    .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
    .map((p) => `${p?.mode}:${p?.name ?? ''}:${typeNameText(p?.argType)}`);
  return `${params.join(',')}->${n.returnType ? typeNameText(n.returnType) : ''}`;
}

export function invertCreateFunction(ctx: InvertContext, s: CreateFunctionStmt): Inverse {
  const names = strs(s.funcname);
  const key = qualify(names, ctx.state.searchPath);
  const args = inputArgs(s.parameters);
  const argTypes = args.map((p) => typeNameText(p.argType));
  const sig = `${key}(${argTypes.join(',')})`;
  const prev = (ctx.catalog.functions.get(key) ?? []).find((f) => f.argTypes.join(',') === argTypes.join(','));
  const objtype = s.is_procedure ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION';
  const object = { ObjectWithArgs: { objname: nameList(key, ctx.state.searchPath), objargs: args.map((p) => ({ TypeName: p.argType })) } };
  const drop = dropStmt(objtype, [object]);
  if (!prev) return { sql: [drop] };
  if (ctx.created.functions.has(sig)) return { note: `${sig} was created earlier in this migration` };
  if (!prev.node) return { sql: [], irreversible: `the previous definition of ${sig} is not known` };
  if (shape(prev.node) === shape(s)) return { sql: recreateFunction(prev, ctx.state.searchPath, true).slice(0, 1) };
  return { sql: [drop, ...recreateFunction(prev, ctx.state.searchPath, false)] };
}

export function invertCreateTrigger(ctx: InvertContext, s: CreateTrigStmt): Inverse {
  const table = tableKey(s.relation, ctx.state, ctx.catalog);
  const t = ctx.catalog.tables.get(table);
  const prev = t?.triggers?.find((x) => x.name === s.trigname);
  const covered = coveredByTable(ctx, table);
  if (covered) return { note: covered };
  if (prev && s.replace && t) return { sql: [createTriggerSql(t, prev, ctx.state.searchPath, true)] };
  return { sql: [dropStmt('OBJECT_TRIGGER', [list([...nameList(table, ctx.state.searchPath), strNode(s.trigname ?? '')])])] };
}

export function invertCreatePolicy(ctx: InvertContext, v: Json): Inverse {
  const table = tableKey(v.table as RangeVar, ctx.state, ctx.catalog);
  const covered = coveredByTable(ctx, table);
  if (covered) return { note: covered };
  return { sql: [dropStmt('OBJECT_POLICY', [list([...nameList(table, ctx.state.searchPath), strNode(String(v.policy_name))])])] };
}

export function invertCreateSequence(ctx: InvertContext, v: Json): Inverse {
  const key = tableKey(v.sequence as RangeVar, ctx.state);
  if (v.if_not_exists && ctx.catalog.sequences?.has(key)) return { note: `sequence ${key} already existed: nothing to undo` };
  return {
    sql: [dropStmt('OBJECT_SEQUENCE', [list(nameList(key, ctx.state.searchPath))])],
    // OWNED BY a column of a table this migration creates: dropping the table drops the sequence.
    finalNote: (final, created) => {
      const owner = final.sequences?.get(key)?.ownedBy?.table;
      return owner && created.tables.has(owner) ? `covered by dropping ${owner}, which owns it` : undefined;
    },
  };
}

export function invertCreateType(ctx: InvertContext, kind: string, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  const names =
    kind === 'CompositeTypeStmt'
      ? [((v.typevar as RangeVar).schemaname ?? sp[0]) as string, (v.typevar as RangeVar).relname ?? '']
      : strs(kind === 'CreateDomainStmt' ? v.domainname : v.typeName);
  const key = qualify(names, sp);
  const removeType = kind === 'CreateDomainStmt' ? 'OBJECT_DOMAIN' : 'OBJECT_TYPE';
  return { sql: [dropStmt(removeType, [{ TypeName: typeName(nameListStrings(key, sp)) }])] };
}

function nameListStrings(key: string, sp: readonly string[]): string[] {
  return nameList(key, sp).map((n) => (n.String as { sval: string }).sval);
}

/** Other CREATEs whose inverse is a plain DROP by name. */
export function invertCreateOther(ctx: InvertContext, kind: string, v: Json): Inverse | undefined {
  const sp = ctx.state.searchPath;
  switch (kind) {
    case 'CreateSchemaStmt': {
      const name = String(v.schemaname ?? '');
      if (v.if_not_exists && ctx.catalog.schemas.has(name)) return { note: `schema ${name} already existed: nothing to undo` };
      return { sql: [dropStmt('OBJECT_SCHEMA', [strNode(name)])] };
    }
    case 'CreateExtensionStmt': {
      const name = String(v.extname ?? '');
      if (v.if_not_exists && ctx.catalog.extensions.has(name)) return { note: `extension ${name} already existed: nothing to undo` };
      return { sql: [dropStmt('OBJECT_EXTENSION', [strNode(name)])] };
    }
    case 'CreateStatsStmt': {
      const names = strs(v.defnames);
      if (!names.length) return { irreversible: 'the statistics object has no name; drop the one PostgreSQL named by hand' };
      return { sql: [dropStmt('OBJECT_STATISTIC_EXT', [list(names.map(strNode))])] };
    }
    case 'RuleStmt': {
      const table = tableKey(v.relation as RangeVar, ctx.state, ctx.catalog);
      if (v.replace) return { irreversible: `CREATE OR REPLACE RULE ${String(v.rulename)}: the previous rule is not known` };
      return { sql: [dropStmt('OBJECT_RULE', [list([...nameList(table, sp), strNode(String(v.rulename))])])] };
    }
    case 'CreateEventTrigStmt':
      return { sql: [dropStmt('OBJECT_EVENT_TRIGGER', [strNode(String(v.trigname))])] };
    case 'CreatePublicationStmt':
      return { sql: [dropStmt('OBJECT_PUBLICATION', [strNode(String(v.pubname))])] };
    case 'CreateRoleStmt':
      return { sql: [deparse({ DropRoleStmt: { roles: [{ RoleSpec: { roletype: 'ROLESPEC_CSTRING', rolename: String(v.role) } }] } })] };
    case 'CreateCastStmt':
      return { sql: [dropStmt('OBJECT_CAST', [list([{ TypeName: v.sourcetype }, { TypeName: v.targettype }])])] };
    case 'DefineStmt': {
      if (v.kind === 'OBJECT_AGGREGATE') {
        const args = (as<{ items?: unknown[] }>((v.args as unknown[] | undefined)?.[0], 'List')?.items ?? []).map((p) => ({
          TypeName: as<FunctionParameter>(p, 'FunctionParameter')?.argType,
        }));
        return { sql: [dropStmt('OBJECT_AGGREGATE', [{ ObjectWithArgs: { objname: v.defnames, objargs: args } }])] };
      }
      if (v.kind === 'OBJECT_COLLATION' || v.kind === 'OBJECT_TSCONFIGURATION' || v.kind === 'OBJECT_TSDICTIONARY') {
        return { sql: [dropStmt(String(v.kind), [list(v.defnames as Json[])])] };
      }
      if (v.kind === 'OBJECT_TYPE')
        return { sql: [dropStmt('OBJECT_TYPE', [{ TypeName: { names: v.defnames, typemod: -1 } as TypeName }], { cascade: false })] };
      return undefined;
    }
    default:
      return undefined;
  }
}
