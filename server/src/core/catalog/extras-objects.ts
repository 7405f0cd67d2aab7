// Catalog effects of triggers, policies, sequences, composite/domain/range types and comments: what rollbacks re-create.
import type { ObjectWithArgs, RangeVar, TypeName } from '@pgsql/types';
import { as, listName, str, strs, typeNameText } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { ApplyState } from './build';
import { loc, resolveTable, tableKey } from './build';
import { sequencesOf } from './extras-table';
import { cloneNode } from './rewrite';
import { keysWhere, takeWhere } from '../rollback/cow-map';
import type { Catalog, FunctionDef, Table, TypeDef } from './types';

export function typesOf(catalog: Catalog): Map<string, TypeDef> {
  catalog.types ??= new Map();
  return catalog.types;
}

function commentsOf(catalog: Catalog): Map<string, string> {
  catalog.comments ??= new Map();
  return catalog.comments;
}

/** schema.name of a qualified name list, unqualified names in the first search_path schema. */
export function qualified(list: unknown, state: ApplyState): string | undefined {
  const q = listName(list);
  return q ? `${q.schema ?? state.searchPath[0] ?? 'public'}.${q.name}` : undefined;
}

/** A table named by a list whose last item is something else (a trigger, policy or column): [schema.]table.thing. */
function tableOfList(catalog: Catalog, items: string[], state: ApplyState): { table?: Table; last: string } {
  const last = items[items.length - 1];
  const rel = items.slice(0, -1);
  const name = rel[rel.length - 1];
  const schema = rel.length > 1 ? rel[rel.length - 2] : undefined;
  return { table: name ? resolveTable(catalog, schema, name, state.searchPath) : undefined, last };
}

function objectItems(object: unknown): string[] {
  return strs(as<{ items?: unknown[] }>(object, 'List')?.items);
}

export function createTrigger(catalog: Catalog, v: Record<string, unknown>, stmt: Statement, state: ApplyState): void {
  const table = catalog.tables.get(tableKey(v.relation as RangeVar, state, catalog));
  const name = v.trigname as string | undefined;
  if (!table || !name) return;
  const others = (table.triggers ?? []).filter((t) => t.name !== name);
  table.triggers = [...others, { name, node: v, loc: loc(state, stmt.start, stmt.end) }];
}

export function alterPolicy(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const table = catalog.tables.get(tableKey(v.table as RangeVar, state, catalog));
  const p = table?.policies.find((x) => x.name === v.policy_name);
  if (!p || !p.node) return;
  const node = cloneNode(p.node) as Record<string, unknown>;
  for (const k of ['roles', 'qual', 'with_check']) if (v[k] !== undefined) node[k] = v[k];
  p.node = node;
}

function seqOptions(node: Record<string, unknown>, options: unknown[]): void {
  const list = ((node.options as unknown[] | undefined) ?? []).filter((o) => {
    const name = as<{ defname?: string }>(o, 'DefElem')?.defname;
    return !options.some((n) => as<{ defname?: string }>(n, 'DefElem')?.defname === name);
  });
  node.options = [...list, ...options.filter((o) => as<{ defname?: string }>(o, 'DefElem')?.defname !== 'owned_by')];
}

function ownedBy(options: unknown, state: ApplyState, catalog: Catalog): { table: string; column: string } | null | undefined {
  for (const o of (options as unknown[] | undefined) ?? []) {
    const d = as<{ defname?: string; arg?: unknown }>(o, 'DefElem');
    if (d?.defname !== 'owned_by') continue;
    const items = objectItems(d.arg);
    if (items.length === 1 && items[0].toLowerCase() === 'none') return null;
    const { table, last } = tableOfList(catalog, items, state);
    return table ? { table: table.key, column: last } : undefined;
  }
  return undefined;
}

export function createSequence(catalog: Catalog, v: Record<string, unknown>, stmt: Statement, state: ApplyState): void {
  const rv = v.sequence as RangeVar | undefined;
  if (!rv?.relname) return;
  const schema = rv.schemaname ?? state.searchPath[0] ?? 'public';
  const key = `${schema}.${rv.relname}`;
  if (v.if_not_exists && sequencesOf(catalog).has(key)) return;
  const node = cloneNode(v);
  node.options = ((node.options as unknown[]) ?? []).filter((o) => as<{ defname?: string }>(o, 'DefElem')?.defname !== 'owned_by');
  const owner = ownedBy(v.options, state, catalog);
  sequencesOf(catalog).set(key, { key, schema, name: rv.relname, node, ownedBy: owner ?? undefined, loc: loc(state, stmt.start, stmt.end) });
}

export function alterSequence(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const rv = v.sequence as RangeVar | undefined;
  const seq = rv?.relname ? findSequence(catalog, rv.schemaname, rv.relname, state) : undefined;
  if (!seq) return;
  const owner = ownedBy(v.options, state, catalog);
  if (owner === null) seq.ownedBy = undefined;
  else if (owner) seq.ownedBy = owner;
  if (!seq.node) {
    // A serial column's sequence has no statement of its own: its ALTER SEQUENCE options are kept beside it.
    const node = { options: seq.options ?? [] };
    seqOptions(node, (v.options as unknown[] | undefined) ?? []);
    seq.options = node.options;
    return;
  }
  const node = cloneNode(seq.node) as Record<string, unknown>;
  seqOptions(node, (v.options as unknown[] | undefined) ?? []);
  seq.node = node;
}

export function findSequence(catalog: Catalog, schema: string | undefined, name: string, state: ApplyState) {
  for (const s of schema ? [schema] : state.searchPath) {
    const seq = catalog.sequences?.get(`${s}.${name}`);
    if (seq) return seq;
  }
  return undefined;
}

export function createType(catalog: Catalog, kind: TypeDef['kind'], v: Record<string, unknown>, stmt: Statement, state: ApplyState): void {
  const key =
    kind === 'composite'
      ? (() => {
          const rv = v.typevar as RangeVar | undefined;
          return rv?.relname ? `${rv.schemaname ?? state.searchPath[0]}.${rv.relname}` : undefined;
        })()
      : qualified(kind === 'domain' ? v.domainname : v.typeName, state);
  if (key) typesOf(catalog).set(key, { key, kind, node: v, loc: loc(state, stmt.start, stmt.end) });
}

export function alterDomain(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const key = qualified(v.typeName, state);
  const t = key ? typesOf(catalog).get(key) : undefined;
  if (!t || t.kind !== 'domain') return;
  const node = cloneNode(t.node) as Record<string, unknown>;
  let cons = ((node.constraints as unknown[] | undefined) ?? []).slice();
  const isType = (c: unknown, type: string) => as<{ contype?: string }>(c, 'Constraint')?.contype === type;
  switch (v.subtype) {
    case 'T':
      cons = cons.filter((c) => !isType(c, 'CONSTR_DEFAULT'));
      if (v.def) cons.push({ Constraint: { contype: 'CONSTR_DEFAULT', raw_expr: v.def } });
      break;
    case 'N':
      cons = cons.filter((c) => !isType(c, 'CONSTR_NOTNULL'));
      break;
    case 'O':
      cons.push({ Constraint: { contype: 'CONSTR_NOTNULL' } });
      break;
    case 'C':
      if (v.def) cons.push(v.def);
      break;
    case 'X':
      cons = cons.filter((c) => as<{ conname?: string }>(c, 'Constraint')?.conname !== v.name);
      break;
    default:
      return;
  }
  node.constraints = cons;
  t.node = node;
}

/** DROP TYPE / DROP DOMAIN (enums included), DROP TRIGGER, DROP POLICY, DROP SEQUENCE. */
export function dropObjects(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  for (const o of (v.objects as unknown[] | undefined) ?? []) {
    switch (v.removeType) {
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const names = strs(as<TypeName>(o, 'TypeName')?.names);
        const name = names[names.length - 1];
        const schemas = names.length > 1 ? [names[names.length - 2]] : state.searchPath;
        for (const s of schemas) {
          if (catalog.enums.delete(`${s}.${name}`) || typesOf(catalog).delete(`${s}.${name}`)) break;
        }
        break;
      }
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY': {
        const { table, last } = tableOfList(catalog, objectItems(o), state);
        if (!table) break;
        if (v.removeType === 'OBJECT_TRIGGER') table.triggers = (table.triggers ?? []).filter((t) => t.name !== last);
        else table.policies = table.policies.filter((p) => p.name !== last);
        break;
      }
      case 'OBJECT_SEQUENCE': {
        const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items);
        const seq = q && findSequence(catalog, q.schema, q.name, state);
        if (seq) sequencesOf(catalog).delete(seq.key);
        break;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE': {
        // DROP FUNCTION … CASCADE takes the triggers that call it.
        const key = v.behavior === 'DROP_CASCADE' ? qualified(as<ObjectWithArgs>(o, 'ObjectWithArgs')?.objname, state) : undefined;
        if (!key) break;
        const calls = (tr: { node?: unknown }) => qualified((tr.node as { funcname?: unknown }).funcname, state) === key;
        for (const k of keysWhere(catalog.tables, (t) => !!t.triggers?.some(calls))) {
          const t = catalog.tables.get(k)!;
          t.triggers = t.triggers?.filter((tr) => !calls(tr));
        }
        break;
      }
      default:
        break;
    }
  }
}

/** RENAME of triggers, policies, types, domains, functions and procedures. */
export function renameObject(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const newname = v.newname as string;
  switch (v.renameType) {
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY': {
      const table = catalog.tables.get(tableKey(v.relation as RangeVar, state, catalog));
      if (!table) return;
      const list: { name: string; node?: unknown }[] = v.renameType === 'OBJECT_TRIGGER' ? (table.triggers ?? []) : table.policies;
      const item = list.find((x) => x.name === v.subname);
      if (!item) return;
      item.name = newname;
      if (item.node) {
        const node = cloneNode(item.node) as Record<string, unknown>;
        node[v.renameType === 'OBJECT_TRIGGER' ? 'trigname' : 'policy_name'] = newname;
        item.node = node;
      }
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const items = objectItems(v.object).length ? objectItems(v.object) : strs(as<TypeName>(v.object, 'TypeName')?.names);
      const key = qualified(
        items.map((s) => ({ String: { sval: s } })),
        state,
      );
      if (!key) return;
      const schema = key.split('.')[0];
      const e = catalog.enums.get(key);
      if (e) {
        catalog.enums.delete(key);
        e.key = `${schema}.${newname}`;
        catalog.enums.set(e.key, e);
      }
      const t = typesOf(catalog).get(key);
      if (t) {
        typesOf(catalog).delete(key);
        t.key = `${schema}.${newname}`;
        typesOf(catalog).set(t.key, t);
      }
      if (e || t) renameTypeInColumns(catalog, key, newname);
      return;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const o = as<ObjectWithArgs>(v.object, 'ObjectWithArgs');
      const key = o && qualified(o.objname, state);
      const list = key ? catalog.functions.get(key) : undefined;
      if (!key || !list) return;
      const schema = key.split('.')[0];
      const args = o.objfuncargs ? undefined : o.objargs?.map((a) => typeNameText(as<TypeName>(a, 'TypeName')));
      const moved = list.filter((f) => !args || f.argTypes.join(',') === args.join(','));
      const left = list.filter((f) => !moved.includes(f));
      if (left.length) catalog.functions.set(key, left);
      else catalog.functions.delete(key);
      const newKey = `${schema}.${newname}`;
      for (const f of moved) renameFunction(f, newKey, newname);
      // Triggers call their function by OID: they follow the rename.
      const calls = (tr: { node?: unknown }) => qualified((tr.node as { funcname?: unknown }).funcname, state) === key;
      for (const t of takeWhere(catalog.tables, (t) => !!t.triggers?.some(calls))) {
        for (const tr of t.triggers ?? []) {
          const names = strs((tr.node as { funcname?: unknown }).funcname);
          if (qualified((tr.node as { funcname?: unknown }).funcname, state) !== key) continue;
          names[names.length - 1] = newname;
          tr.node = { ...(tr.node as object), funcname: names.map((s) => ({ String: { sval: s } })) };
        }
      }
      catalog.functions.set(newKey, [...(catalog.functions.get(newKey) ?? []), ...moved]);
      return;
    }
    default:
      return;
  }
}

function renameFunction(f: FunctionDef, key: string, name: string): void {
  f.key = key;
  f.name = name;
  if (!f.node) return;
  const node = cloneNode(f.node) as Record<string, unknown>;
  const names = strs(node.funcname);
  names[names.length - 1] = name;
  node.funcname = names.map((s) => ({ String: { sval: s } }));
  f.node = node;
}

/** Columns of a renamed type print the new name (PostgreSQL stores the type by OID). */
function renameTypeInColumns(catalog: Catalog, oldKey: string, newname: string): void {
  const [schema, oldName] = [oldKey.slice(0, oldKey.indexOf('.')), oldKey.slice(oldKey.indexOf('.') + 1)];
  const re = new RegExp(`^(${schema}\\.)?"?${oldName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?(?=\\[|\\(|$)`);
  // Every match holds the old name: looking for it first spares the pattern on nearly every column of the catalog.
  const names = (text: string) => text.includes(oldName) && re.test(text);
  const uses = (t: Table) => {
    for (const c of t.columns.values()) if (names(c.type) || (c.typeSql && names(c.typeSql))) return true;
    return false;
  };
  // Read first, take for changing only the tables with such a column (catalog copies clone only those).
  for (const key of keysWhere(catalog.tables, uses)) {
    for (const c of catalog.tables.get(key)!.columns.values()) {
      if (names(c.type)) c.type = c.type.replace(re, (_m, q: string | undefined) => `${q ?? ''}${newname}`);
      if (c.typeSql && names(c.typeSql)) c.typeSql = c.typeSql.replace(re, (_m, q: string | undefined) => `${q ?? ''}${newname}`);
    }
  }
}

/** COMMENT ON …: kept on the object (tables, columns, indexes, functions, types, sequences, triggers) or by name. */
export function comment(catalog: Catalog, v: Record<string, unknown>, state: ApplyState): void {
  const text = typeof v.comment === 'string' ? v.comment : undefined;
  const items = objectItems(v.object);
  switch (v.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const q = listName(as<{ items?: unknown[] }>(v.object, 'List')?.items);
      const t = q && resolveTable(catalog, q.schema, q.name, state.searchPath);
      if (t) t.comment = text;
      return;
    }
    case 'OBJECT_COLUMN': {
      const { table, last } = tableOfList(catalog, items, state);
      const c = table?.columns.get(last);
      if (c) c.comment = text;
      return;
    }
    case 'OBJECT_TRIGGER': {
      const { table, last } = tableOfList(catalog, items, state);
      const tr = table?.triggers?.find((t) => t.name === last);
      if (tr) tr.comment = text;
      return;
    }
    case 'OBJECT_INDEX':
    case 'OBJECT_SEQUENCE': {
      const q = listName(as<{ items?: unknown[] }>(v.object, 'List')?.items);
      if (!q) return;
      for (const s of q.schema ? [q.schema] : state.searchPath) {
        const obj = v.objtype === 'OBJECT_INDEX' ? catalog.indexes.get(`${s}.${q.name}`) : catalog.sequences?.get(`${s}.${q.name}`);
        if (obj) {
          obj.comment = text;
          return;
        }
      }
      return;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const o = as<ObjectWithArgs>(v.object, 'ObjectWithArgs');
      const key = o && qualified(o.objname, state);
      const args = o?.objargs?.map((a) => typeNameText(as<TypeName>(a, 'TypeName')));
      for (const f of (key && catalog.functions.get(key)) || []) if (!args || f.argTypes.join(',') === args.join(',')) f.comment = text;
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const key = qualified(as<TypeName>(v.object, 'TypeName')?.names, state);
      const obj = key ? (catalog.enums.get(key) ?? typesOf(catalog).get(key)) : undefined;
      if (obj) obj.comment = text;
      return;
    }
    case 'OBJECT_SCHEMA':
    case 'OBJECT_EXTENSION': {
      const name = str(v.object);
      if (!name) return;
      const key = `${v.objtype === 'OBJECT_SCHEMA' ? 'schema' : 'extension'} ${name}`;
      if (text === undefined) commentsOf(catalog).delete(key);
      else commentsOf(catalog).set(key, text);
      return;
    }
    default:
      return;
  }
}
