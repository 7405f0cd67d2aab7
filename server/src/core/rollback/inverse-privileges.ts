// Inverses of GRANT / REVOKE (↔, respecting what the catalog says was held before), default privileges, role grants and COMMENT.
import type { GrantStmt, ObjectWithArgs, RangeVar, TypeName } from '@pgsql/types';
import { grantees, privileges, resolveTable, tableKey } from '../catalog/build';
import { cloneNode } from '../catalog/rewrite';
import type { Catalog, Grant } from '../catalog/types';
import { as, listName, str, strs, typeNameText } from '../parse/ast';
import { deparse, type Json } from './sql';
import type { InvertContext, Inverse } from './types';

function covers(held: Grant[], grantee: string, privs: string[]): boolean {
  const mine = held.filter((g) => g.grantee === grantee).flatMap((g) => g.privileges);
  return mine.includes('ALL') || privs.every((p) => mine.includes(p));
}

function functionKey(list: unknown, sp: readonly string[]): string {
  const q = listName(list);
  return `${q?.schema ?? sp[0] ?? 'public'}.${q?.name ?? ''}`;
}

/** What the grantees held on the statement's objects before, or undefined when the catalog does not track that kind. */
function heldBefore(ctx: InvertContext, s: GrantStmt): ((grantee: string, privs: string[]) => boolean) | undefined {
  if (s.targtype !== 'ACL_TARGET_OBJECT') return undefined;
  const sp = ctx.state.searchPath;
  if (s.objtype === 'OBJECT_TABLE') {
    const tables = (s.objects ?? []).map((o) => as<RangeVar>(o, 'RangeVar')).map((rv) => rv && resolveTable(ctx.catalog, rv.schemaname, rv.relname ?? '', sp));
    if (tables.some((t) => !t)) return undefined;
    return (grantee, privs) => tables.every((t) => covers(t!.grants, grantee, privs));
  }
  if (s.objtype === 'OBJECT_FUNCTION' || s.objtype === 'OBJECT_PROCEDURE' || s.objtype === 'OBJECT_ROUTINE') {
    const fns = (s.objects ?? [])
      .map((o) => as<ObjectWithArgs>(o, 'ObjectWithArgs'))
      .map((o) => {
        const args = o?.objargs?.map((t) => typeNameText(as<TypeName>(t, 'TypeName')));
        return (ctx.catalog.functions.get(functionKey(o?.objname, sp)) ?? []).find((f) => !args || f.argTypes.join(',') === args.join(','));
      });
    if (fns.some((f) => !f)) return undefined;
    return (grantee, privs) =>
      fns.every((f) => (grantee === 'public' && privs.every((p) => p === 'EXECUTE' || p === 'ALL') ? f!.publicExecute : covers(f!.grants, grantee, privs)));
  }
  return undefined;
}

function createdTargets(ctx: InvertContext, s: GrantStmt): boolean {
  if (s.objtype !== 'OBJECT_TABLE' || s.targtype !== 'ACL_TARGET_OBJECT') return false;
  return (s.objects ?? []).every((o) => {
    const rv = as<RangeVar>(o, 'RangeVar');
    return rv && ctx.created.tables.has(tableKey(rv, ctx.state, ctx.catalog));
  });
}

export function invertGrant(ctx: InvertContext, s: GrantStmt): Inverse {
  if (createdTargets(ctx, s)) return { note: 'covered by dropping the tables' };
  const privs = privileges(s.privileges);
  const held = heldBefore(ctx, s);
  const roles = (s.grantees ?? []).filter((g) => {
    const name = grantees([g])[0];
    if (!held || !name) return true;
    // GRANT of what was already held changes nothing; REVOKE of what was not held changes nothing either.
    return s.is_grant ? !held(name, privs) : held(name, privs);
  });
  if (!roles.length) return { note: s.is_grant ? 'already granted before: nothing to undo' : 'not held before: nothing to undo' };
  const n = cloneNode(s) as unknown as Json;
  n.grantees = roles;
  n.is_grant = !s.is_grant;
  // REVOKE GRANT OPTION FOR → GRANT … WITH GRANT OPTION; GRANT … WITH GRANT OPTION → REVOKE (the privilege and the option).
  n.grant_option = !s.is_grant && s.grant_option === true;
  delete n.behavior;
  const warning = held ? undefined : 'the privileges held before are not known to pgdba: check this restores them';
  return { sql: [deparse({ GrantStmt: n })], warning };
}

export function invertDefaultPrivileges(v: Json): Inverse {
  const n = cloneNode(v) as Json;
  const action = n.action as Json;
  action.is_grant = !action.is_grant;
  action.grant_option = false;
  return { sql: [deparse({ AlterDefaultPrivilegesStmt: n })], warning: 'the default privileges in force before are not known to pgdba' };
}

export function invertGrantRole(v: Json): Inverse {
  const n = cloneNode(v) as Json;
  n.is_grant = !v.is_grant;
  return { sql: [deparse({ GrantRoleStmt: n })] };
}

/** The comment an object had before, and whether the object was created in this migration. */
function previous(ctx: InvertContext, v: Json): { text?: string; known: boolean; created?: boolean } {
  const c: Catalog = ctx.catalog;
  const sp = ctx.state.searchPath;
  const items = strs(as<{ items?: unknown[] }>(v.object, 'List')?.items);
  const rel = (parts: string[]) => resolveTable(c, parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? '', sp);
  switch (v.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const t = rel(items);
      return { text: t?.comment, known: !!t, created: t && ctx.created.tables.has(t.key) };
    }
    case 'OBJECT_COLUMN': {
      const t = rel(items.slice(0, -1));
      const col = t?.columns.get(items[items.length - 1]);
      return { text: col?.comment, known: !!col, created: t && ctx.created.tables.has(t.key) };
    }
    case 'OBJECT_TRIGGER': {
      const t = rel(items.slice(0, -1));
      const tr = t?.triggers?.find((x) => x.name === items[items.length - 1]);
      return { text: tr?.comment, known: !!tr, created: t && ctx.created.tables.has(t.key) };
    }
    case 'OBJECT_INDEX': {
      const q = listName(as<{ items?: unknown[] }>(v.object, 'List')?.items);
      const ix = q && (q.schema ? [q.schema] : sp).map((s) => c.indexes.get(`${s}.${q.name}`)).find(Boolean);
      return {
        text: ix?.comment,
        known: !!ix,
        created: ix ? ctx.created.tables.has(ix.table) || ctx.created.indexes.has(`${ix.table.split('.')[0]}.${ix.name}`) : false,
      };
    }
    case 'OBJECT_SEQUENCE': {
      const q = listName(as<{ items?: unknown[] }>(v.object, 'List')?.items);
      const seq = q && (q.schema ? [q.schema] : sp).map((s) => c.sequences?.get(`${s}.${q.name}`)).find(Boolean);
      return { text: seq?.comment, known: !!seq, created: seq ? ctx.created.sequences.has(seq.key) : false };
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE': {
      const o = as<ObjectWithArgs>(v.object, 'ObjectWithArgs');
      const key = functionKey(o?.objname, sp);
      const args = o?.objargs?.map((t) => typeNameText(as<TypeName>(t, 'TypeName')));
      const f = (c.functions.get(key) ?? []).find((x) => !args || x.argTypes.join(',') === args.join(','));
      return { text: f?.comment, known: !!f, created: f ? ctx.created.functions.has(`${key}(${f.argTypes.join(',')})`) : false };
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = strs(as<TypeName>(v.object, 'TypeName')?.names);
      const key = `${names.length > 1 ? names[names.length - 2] : sp[0]}.${names[names.length - 1]}`;
      const obj = c.enums.get(key) ?? c.types?.get(key);
      return { text: obj?.comment, known: !!obj, created: ctx.created.types.has(key) };
    }
    case 'OBJECT_SCHEMA':
    case 'OBJECT_EXTENSION': {
      const name = str(v.object) ?? '';
      const kind = v.objtype === 'OBJECT_SCHEMA' ? 'schema' : 'extension';
      return { text: c.comments?.get(`${kind} ${name}`), known: true, created: kind === 'schema' && ctx.created.schemas.has(name) };
    }
    default:
      return { known: false };
  }
}

export function invertComment(ctx: InvertContext, v: Json): Inverse {
  const prev = previous(ctx, v);
  if (prev.created) return { note: 'the object was created in this migration' };
  const n = cloneNode(v) as Json;
  if (prev.text === undefined) delete n.comment;
  else n.comment = prev.text;
  if (prev.text === v.comment) return { note: 'same comment as before: nothing to undo' };
  const warning = prev.known ? undefined : 'the previous comment is not known to pgdba: it is removed';
  return { sql: [deparse({ CommentStmt: n })], warning };
}
