// Inverses of RENAME and SET SCHEMA: the same statement with the names swapped back.
import type { ObjectWithArgs, RangeVar } from '@pgsql/types';
import { QuoteUtils } from 'pgsql-deparser';
import { resolveTable, tableKey } from '../catalog/build';
import { as, strs } from '../parse/ast';
import { cloneNode } from '../catalog/rewrite';
import { deparse, strNode, type Json } from './sql';
import type { InvertContext, Inverse } from './types';

const ON_RELATION = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);
const INSIDE_TABLE = new Set(['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE']);

/** Replaces the last name of a qualified name list. */
function withLastName(list: unknown, name: string): Json[] {
  const parts = strs(list);
  parts[parts.length - 1] = name;
  return parts.map(strNode);
}

export function invertRename(ctx: InvertContext, v: Json): Inverse {
  const type = String(v.renameType);
  const n = cloneNode(v) as Json;
  const newname = String(v.newname);
  if (ON_RELATION.has(type)) {
    const rv = v.relation as RangeVar;
    const key = tableKey(rv, ctx.state, ctx.catalog);
    if (type === 'OBJECT_INDEX') {
      const ix = ctx.catalog.indexes.get(`${rv.schemaname ?? key.split('.')[0]}.${rv.relname}`);
      if (ix && ctx.created.tables.has(ix.table)) return { note: `covered by dropping ${ix.table}` };
    }
    n.relation = { ...rv, relname: newname };
    n.newname = rv.relname;
    n.missing_ok = false;
    return { sql: [deparse({ RenameStmt: n })], restores: [key] };
  }
  if (INSIDE_TABLE.has(type)) {
    const rv = v.relation as RangeVar | undefined;
    const key = rv ? tableKey(rv, ctx.state, ctx.catalog) : '';
    if (rv && ctx.created.tables.has(key)) return { note: `covered by dropping ${key}` };
    if (type === 'OBJECT_TRIGGER' && rv) {
      // pgsql-deparser drops the ON clause of ALTER TRIGGER … RENAME, so this one is written out.
      const q = QuoteUtils.quoteIdentifier;
      const rel = [rv.schemaname, rv.relname]
        .filter((x): x is string => !!x)
        .map(q)
        .join('.');
      return { sql: [`ALTER TRIGGER ${q(newname)} ON ${rel} RENAME TO ${q(String(v.subname))}`] };
    }
    n.subname = newname;
    n.newname = v.subname;
    n.missing_ok = false;
    return { sql: [deparse({ RenameStmt: n })] };
  }
  if (type === 'OBJECT_SCHEMA') {
    n.subname = newname;
    n.newname = v.subname;
    return { sql: [deparse({ RenameStmt: n })] };
  }
  const owa = as<ObjectWithArgs>(v.object, 'ObjectWithArgs');
  if (owa) {
    const names = strs(owa.objname);
    n.object = { ObjectWithArgs: { ...owa, objname: withLastName(owa.objname, newname) } };
    n.newname = names[names.length - 1];
    return { sql: [deparse({ RenameStmt: n })] };
  }
  const list = as<{ items?: unknown[] }>(v.object, 'List');
  const tn = as<{ names?: unknown[] }>(v.object, 'TypeName');
  if (list || tn) {
    const names = strs(list?.items ?? tn?.names);
    n.object = list ? { List: { items: withLastName(list.items, newname) } } : { TypeName: { ...tn, names: withLastName(tn?.names, newname) } };
    n.newname = names[names.length - 1];
    return { sql: [deparse({ RenameStmt: n })] };
  }
  const s =
    typeof v.object === 'object' && v.object && 'String' in (v.object as Json) ? String((v.object as { String: { sval: string } }).String.sval) : undefined;
  if (s !== undefined) {
    n.object = strNode(newname);
    n.newname = s;
    return { sql: [deparse({ RenameStmt: n })] };
  }
  return { irreversible: `RENAME of ${type.replace(/^OBJECT_/, '').toLowerCase()}: pgdba cannot undo this yet` };
}

/** ALTER … SET SCHEMA: move it back from the new schema to where it was. */
export function invertSetSchema(ctx: InvertContext, v: Json): Inverse {
  const n = cloneNode(v) as Json;
  const target = String(v.newschema);
  const sp = ctx.state.searchPath;
  const rv = v.relation as RangeVar | undefined;
  if (rv) {
    const t = resolveTable(ctx.catalog, rv.schemaname, rv.relname ?? '', sp);
    const from = rv.schemaname ?? t?.schema ?? sp[0] ?? 'public';
    n.relation = { ...rv, schemaname: target };
    n.newschema = from;
    return { sql: [deparse({ AlterObjectSchemaStmt: n })] };
  }
  const owa = as<ObjectWithArgs>(v.object, 'ObjectWithArgs');
  const list = as<{ items?: unknown[] }>(v.object, 'List');
  const tn = as<{ names?: unknown[] }>(v.object, 'TypeName');
  const names = strs(owa?.objname ?? list?.items ?? tn?.names);
  if (!names.length) return { irreversible: 'SET SCHEMA of this kind of object: pgdba cannot undo this yet' };
  const from = names.length > 1 ? names[names.length - 2] : (sp[0] ?? 'public');
  const moved = [target, names[names.length - 1]].map(strNode);
  n.object = owa ? { ObjectWithArgs: { ...owa, objname: moved } } : list ? { List: { items: moved } } : { TypeName: { ...tn, names: moved } };
  n.newschema = from;
  return { sql: [deparse({ AlterObjectSchemaStmt: n })] };
}
