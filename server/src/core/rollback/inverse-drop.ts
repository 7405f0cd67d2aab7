// Inverse of DROP: re-create what was dropped from the catalog as it stood before (data, once gone, is marked irreversible).
import type { ObjectWithArgs, TypeName } from '@pgsql/types';
import { resolveTable } from '../catalog/build';
import { relationsIn } from '../catalog/rewrite';
import type { Catalog, FunctionDef, Table } from '../catalog/types';
import { as, listName, str, strs, typeNameText } from '../parse/ast';
import {
  addConstraintSql,
  commentSql,
  createIndexSql,
  createPolicySql,
  createTriggerSql,
  recreateEnum,
  recreateFunction,
  recreateSequence,
  recreateTable,
  recreateType,
  recreateView,
  hasStar,
  relationKeys,
} from './recreate';
import { deparse, nameList, strNode, type Json } from './sql';
import type { InvertContext, Inverse } from './types';

const RELATIONS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'foreign table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
};

function items(o: unknown): string[] {
  return strs(as<{ items?: unknown[] }>(o, 'List')?.items);
}

function missing(v: Json, what: string): Inverse {
  if (v.missing_ok) return { note: `${what} did not exist in the schema built from earlier migrations: nothing to restore` };
  return { irreversible: `${what} is not in the schema built from earlier migrations, so its definition is not known` };
}

function merge(parts: Inverse[]): Inverse {
  const join = (k: 'irreversible' | 'warning' | 'note') => [...new Set(parts.map((p) => p[k]).filter(Boolean))].join('; ') || undefined;
  return {
    sql: parts.flatMap((p) => p.sql ?? []),
    restores: parts.flatMap((p) => p.restores ?? []),
    blocks: parts.flatMap((p) => p.blocks ?? []),
    irreversible: join('irreversible'),
    warning: join('warning'),
    note: join('note'),
  };
}

/** Views that read any of `keys`, directly or through other such views, in creation order. */
function dependentViews(catalog: Catalog, keys: Set<string>, sp: readonly string[]): Table[] {
  const found = new Set(keys);
  const out: Table[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of catalog.tables.values()) {
      if (found.has(t.key) || (t.kind !== 'view' && t.kind !== 'materialized-view')) continue;
      if (relationsIn(t.node).some((r) => (r.schema ? found.has(`${r.schema}.${r.name}`) : sp.some((s) => found.has(`${s}.${r.name}`))))) {
        found.add(t.key);
        out.push(t);
        grew = true;
      }
    }
  }
  const order = [...catalog.tables.keys()];
  return out.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

function dropRelations(ctx: InvertContext, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  const kind = RELATIONS[v.removeType as string];
  const parts: Inverse[] = [];
  const tables: Table[] = [];
  for (const o of (v.objects as unknown[] | undefined) ?? []) {
    const names = items(o);
    const t = resolveTable(ctx.catalog, names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1] ?? '', sp);
    if (!t) parts.push(missing(v, `${kind} ${names.join('.')}`));
    else tables.push(t);
  }
  const keys = new Set(tables.map((t) => t.key));
  const pending = new Set(keys);
  const deferred: string[] = [];
  for (const t of [...tables].reverse()) {
    pending.delete(t.key);
    const view = t.kind === 'view' || t.kind === 'materialized-view';
    const r = recreateTable(ctx.catalog, t, sp, pending);
    deferred.push(...r.deferred);
    const lost = view ? undefined : `the rows of ${t.key} are lost: it comes back empty`;
    const unknownView = view && !t.node ? `the definition of ${t.key} is not known` : undefined;
    // Views, and tables made by CREATE TABLE … AS, are defined by a query: they may have to wait for what it reads.
    const byQuery = view || !!(t.node as Json | undefined)?.query;
    const restored = byQuery
      ? { blocks: [{ restores: [t.key], reads: relationKeys(ctx.catalog, t.node, sp), star: hasStar(t.node), sql: r.sql }] }
      : { sql: r.sql, restores: [t.key] };
    parts.push({ ...restored, irreversible: unknownView ?? lost });
  }
  parts.push({ sql: deferred });
  if (v.behavior === 'DROP_CASCADE') {
    // CASCADE also dropped foreign keys pointing at these tables and views reading them.
    const fks: string[] = [];
    for (const other of ctx.catalog.tables.values()) {
      if (keys.has(other.key)) continue;
      for (const k of other.constraints) if (k.type === 'foreign' && k.references && keys.has(k.references.table)) fks.push(addConstraintSql(other, k, sp));
    }
    const views = dependentViews(ctx.catalog, keys, sp);
    const blocks = views.map((view) => ({
      restores: [view.key],
      reads: relationKeys(ctx.catalog, view.node, sp),
      star: hasStar(view.node),
      sql: recreateView(ctx.catalog, view, sp),
    }));
    parts.push({ sql: fks, blocks });
  }
  return merge(parts);
}

function dropIndexes(ctx: InvertContext, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  return merge(
    ((v.objects as unknown[] | undefined) ?? []).map((o) => {
      const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items);
      const schema = q && (q.schema ? [q.schema] : sp).find((s) => ctx.catalog.indexes.has(`${s}.${q.name}`));
      const ix = q && schema ? ctx.catalog.indexes.get(`${schema}.${q.name}`) : undefined;
      if (!ix) return missing(v, `index ${q?.name ?? '?'}`);
      // An index dropped CONCURRENTLY (so as not to block writes) is re-created CONCURRENTLY.
      const sql = createIndexSql(ix, sp, v.concurrent === true);
      if (!sql) return { irreversible: `the definition of index ${ix.name} is not known` };
      const out = [sql];
      if (ix.comment !== undefined) out.push(commentSql('OBJECT_INDEX', { List: { items: nameList(`${schema}.${ix.name}`, sp) } }, ix.comment));
      return { sql: out };
    }),
  );
}

function functionKey(list: unknown, sp: readonly string[]): string {
  const q = listName(list);
  return `${q?.schema ?? sp[0] ?? 'public'}.${q?.name ?? ''}`;
}

function dropFunctions(ctx: InvertContext, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  const parts: Inverse[] = [];
  const dropped: FunctionDef[] = [];
  for (const o of (v.objects as unknown[] | undefined) ?? []) {
    const w = as<ObjectWithArgs>(o, 'ObjectWithArgs');
    if (!w) continue;
    const key = functionKey(w.objname, sp);
    const args = w.args_unspecified ? undefined : (w.objargs ?? []).map((t) => typeNameText(as<TypeName>(t, 'TypeName')));
    const found = (ctx.catalog.functions.get(key) ?? []).filter((f) => !args || f.argTypes.join(',') === args.join(','));
    if (!found.length) parts.push(missing(v, `function ${key}(${args?.join(', ') ?? ''})`));
    for (const f of found) {
      dropped.push(f);
      parts.push(f.node ? { sql: recreateFunction(f, sp, false) } : { irreversible: `the definition of ${key} is not known` });
    }
  }
  if (v.behavior === 'DROP_CASCADE') {
    // CASCADE dropped the triggers that call these functions.
    const keys = new Set(dropped.map((f) => f.key));
    for (const t of ctx.catalog.tables.values()) {
      for (const tr of t.triggers ?? []) {
        if (keys.has(functionKey((tr.node as Json).funcname, sp))) parts.push({ sql: [createTriggerSql(t, tr, sp)] });
      }
    }
  }
  return merge(parts);
}

function onTable(ctx: InvertContext, v: Json, what: 'trigger' | 'policy'): Inverse {
  const sp = ctx.state.searchPath;
  return merge(
    ((v.objects as unknown[] | undefined) ?? []).map((o) => {
      const names = items(o);
      const name = names[names.length - 1];
      const rel = names.slice(0, -1);
      const t = resolveTable(ctx.catalog, rel.length > 1 ? rel[rel.length - 2] : undefined, rel[rel.length - 1] ?? '', sp);
      if (what === 'trigger') {
        const tr = t?.triggers?.find((x) => x.name === name);
        if (!t || !tr) return missing(v, `trigger ${name}`);
        const sql = [createTriggerSql(t, tr, sp)];
        if (tr.comment !== undefined) sql.push(commentSql('OBJECT_TRIGGER', { List: { items: [...nameList(t.key, sp), strNode(name)] } }, tr.comment));
        return { sql };
      }
      const p = t?.policies.find((x) => x.name === name);
      const sql = t && p ? createPolicySql(t, p, sp) : undefined;
      return sql ? { sql: [sql] } : missing(v, `policy ${name}`);
    }),
  );
}

function dropTypes(ctx: InvertContext, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  return merge(
    ((v.objects as unknown[] | undefined) ?? []).map((o) => {
      const names = strs(as<TypeName>(o, 'TypeName')?.names);
      const name = names[names.length - 1];
      const schema = (names.length > 1 ? [names[names.length - 2]] : sp).find(
        (s) => ctx.catalog.enums.has(`${s}.${name}`) || ctx.catalog.types?.has(`${s}.${name}`),
      );
      const e = schema ? ctx.catalog.enums.get(`${schema}.${name}`) : undefined;
      const t = schema ? ctx.catalog.types?.get(`${schema}.${name}`) : undefined;
      const sql = e ? recreateEnum(e, sp) : t ? recreateType(t, sp) : undefined;
      if (!sql) return missing(v, `type ${names.join('.')}`);
      const cascade = v.behavior === 'DROP_CASCADE' ? 'CASCADE also dropped the columns and functions using it; they are not restored' : undefined;
      return { sql, irreversible: cascade };
    }),
  );
}

function dropSequences(ctx: InvertContext, v: Json): Inverse {
  const sp = ctx.state.searchPath;
  return merge(
    ((v.objects as unknown[] | undefined) ?? []).map((o) => {
      const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items);
      const schema = q && (q.schema ? [q.schema] : sp).find((s) => ctx.catalog.sequences?.has(`${s}.${q.name}`));
      const seq = q && schema ? ctx.catalog.sequences?.get(`${schema}.${q.name}`) : undefined;
      if (!seq) return missing(v, `sequence ${q?.name ?? '?'}`);
      return { sql: recreateSequence(seq, sp), irreversible: `the current value of sequence ${seq.key} is lost: it restarts` };
    }),
  );
}

function dropNamed(ctx: InvertContext, v: Json, kind: 'schema' | 'extension'): Inverse {
  return merge(
    ((v.objects as unknown[] | undefined) ?? []).map((o) => {
      const name = str(o) ?? '';
      const known = kind === 'schema' ? ctx.catalog.schemas.has(name) : ctx.catalog.extensions.has(name);
      if (!known) return missing(v, `${kind} ${name}`);
      const stmt = kind === 'schema' ? { CreateSchemaStmt: { schemaname: name } } : { CreateExtensionStmt: { extname: name } };
      const sql = [deparse(stmt)];
      const comment = ctx.catalog.comments?.get(`${kind} ${name}`);
      if (comment !== undefined) sql.push(commentSql(kind === 'schema' ? 'OBJECT_SCHEMA' : 'OBJECT_EXTENSION', strNode(name), comment));
      const cascade = v.behavior === 'DROP_CASCADE' ? `CASCADE also dropped what depended on ${kind} ${name}; that is not restored` : undefined;
      return { sql, irreversible: cascade };
    }),
  );
}

export function invertDrop(ctx: InvertContext, v: Json): Inverse {
  const t = String(v.removeType);
  if (RELATIONS[t]) return dropRelations(ctx, v);
  switch (t) {
    case 'OBJECT_INDEX':
      return dropIndexes(ctx, v);
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
      return dropFunctions(ctx, v);
    case 'OBJECT_TRIGGER':
      return onTable(ctx, v, 'trigger');
    case 'OBJECT_POLICY':
      return onTable(ctx, v, 'policy');
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return dropTypes(ctx, v);
    case 'OBJECT_SEQUENCE':
      return dropSequences(ctx, v);
    case 'OBJECT_SCHEMA':
      return dropNamed(ctx, v, 'schema');
    case 'OBJECT_EXTENSION':
      return dropNamed(ctx, v, 'extension');
    default:
      return {
        irreversible: `pgdba does not keep the definition of the dropped ${t
          .replace(/^OBJECT_/, '')
          .toLowerCase()
          .replace(/_/g, ' ')}`,
      };
  }
}
